"""The seat model: the organisation names who holds its seats and swaps one in one action."""

import pytest
from django.utils import timezone

from governance.audit.models import AuditEntry
from tests.factories import AgreementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats(hub):
    return AgreementFactory(
        hub=hub, principal=hub.principal, model="seats", seats=2, employees=1, state="active"
    )


def _holder(name: str) -> dict:
    return {"name": name, "email": f"{name.lower()}@example.se"}


def test_the_member_organisation_names_holders_up_to_the_seats(api_client, seats):
    someone = PersonFactory(organisation=seats.member).user
    client = api_client(someone)
    url = f"/api/agreements/{seats.pk}/seat-holders"
    assert client.post(url, _holder("Anna")).status_code == 201
    assert client.post(url, _holder("Bo")).status_code == 201
    full = client.post(url, _holder("Cecilia"))
    assert full.status_code == 409
    assert full.json()["code"] == "no_free_seat"
    assert full.json()["message"] == "Alla 2 platser är tagna; byt en innehavare i stället."


def test_swapping_a_holder_is_one_logged_action(api_client, principal_staff, seats):
    client = api_client(principal_staff)
    url = f"/api/agreements/{seats.pk}/seat-holders"
    anna = client.post(url, _holder("Anna")).json()
    swapped = client.post(f"{url}/{anna['id']}/swap", _holder("David"))
    assert swapped.status_code == 201
    rows = client.get(url).json()
    today = str(timezone.localdate())
    assert [(row["name"], row["until"]) for row in rows] == [("Anna", today), ("David", None)]
    [entry] = AuditEntry.objects.filter(verb="seat_holder_swapped")
    assert (entry.before["holder"], entry.after["holder"]) == ("Anna", "David")
    again = client.post(f"{url}/{anna['id']}/swap", _holder("Erik"))
    assert again.status_code == 422


def test_the_open_model_has_no_seat_holders(api_client, coordinator, hub):
    open_model = AgreementFactory(hub=hub, principal=hub.principal)
    response = api_client(coordinator).post(
        f"/api/agreements/{open_model.pk}/seat-holders", _holder("Anna")
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_seat_model"


def test_others_may_not_name_holders(api_client, hub, seats):
    cm = UserFactory(roles=[("community_manager", hub)])
    url = f"/api/agreements/{seats.pk}/seat-holders"
    assert api_client(cm).post(url, _holder("Anna")).status_code == 403
    assert api_client(UserFactory()).get(url).status_code == 403
