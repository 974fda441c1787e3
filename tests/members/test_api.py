"""The members' API: list with filters, the CM's registration, read, transitions, onboarding
and the personal-data export."""

import pytest

from governance.memberships.models import Agreement
from tests.factories import HubFactory, OrganisationFactory
from tests.members.conftest import ANSWERS, apply, register, seat_agreement, walk

pytestmark = pytest.mark.django_db


def _body(hub, employer, **overrides) -> dict:
    return {
        "hub_id": hub.pk,
        "org_number": employer.org_number_display,
        "name": "Cia Berg",
        "email": "cia@example.se",
        **ANSWERS,
        **overrides,
    }


def test_the_cm_registers_an_application_confirmed(api_client, cm, hub, employer, agreement):
    response = api_client(cm).post("/api/members", _body(hub, employer))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["name"], body["organisation"]["id"]) == (
        "applied",
        "Cia Berg",
        employer.pk,
    )
    assert body["email_confirmed_at"] is not None
    assert [item["done"] for item in body["onboarding"]] == [False] * 4


def test_registration_without_an_agreement_is_422_on_the_org_number(api_client, cm, hub):
    response = api_client(cm).post("/api/members", _body(hub, OrganisationFactory()))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("org_number", "no_active_agreement")


def test_a_full_seat_agreement_is_409_naming_it(api_client, cm, hub, employer):
    seats = seat_agreement(hub, employer, seats=1)
    walk(cm, register(cm, hub, employer), "approve")
    response = api_client(cm).post("/api/members", _body(hub, employer))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "seat_limit_reached"
    assert body["agreement"] == {"id": seats.pk, "number": seats.number, "seats": 1}


def test_the_list_filters_by_hub_and_state_and_hides_unconfirmed(
    api_client, cm, hub, employer, agreement
):
    applied = register(cm, hub, employer)
    approved = walk(cm, register(cm, hub, employer, name="Dan Ek"), "approve")
    apply(hub, employer)  # unconfirmed: not shown
    client = api_client(cm)
    everyone = client.get("/api/members", {"hub": hub.pk}).json()
    assert {row["id"] for row in everyone["items"]} == {applied.pk, approved.pk}
    only = client.get("/api/members", {"state": "approved"}).json()
    assert [row["id"] for row in only["items"]] == [approved.pk]
    assert client.get("/api/members", {"hub": HubFactory().pk}).json()["count"] == 0


def test_the_list_runs_a_fixed_number_of_queries(
    api_client, cm, hub, employer, agreement, django_assert_max_num_queries
):
    for index in range(6):
        register(cm, hub, employer, name=f"Person{index} Ek")
    client = api_client(cm)
    with django_assert_max_num_queries(10):
        assert client.get("/api/members").json()["count"] == 6


def test_transitions_through_the_api(api_client, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    client = api_client(cm)
    view = client.get(f"/api/members/{member.pk}/transitions").json()
    assert [row["name"] for row in view["available"]] == ["approve"]
    assert [row["name"] for row in view["blocked"]] == ["decline"]
    approved = client.post(f"/api/members/{member.pk}/transitions/approve")
    assert approved.json()["state"] == "approved"
    refused = client.post(f"/api/members/{member.pk}/transitions/onboard")
    assert refused.status_code == 409
    assert refused.json()["unmet"] == ["4 av introduktionens fyra steg är inte gjorda."]


def test_declining_without_a_reason_is_422_on_the_comment(api_client, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    Agreement.objects.filter(pk=agreement.pk).update(state="expired")
    response = api_client(cm).post(f"/api/members/{member.pk}/transitions/decline", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "comment"
    declined = api_client(cm).post(
        f"/api/members/{member.pk}/transitions/decline", {"comment": "Avtalet har gått ut."}
    )
    assert declined.json()["state"] == "declined"


def test_onboarding_items_through_the_api(api_client, cm, hub, employer, agreement):
    member = walk(cm, register(cm, hub, employer), "approve")
    client = api_client(cm)
    changed = client.patch(f"/api/members/{member.pk}/onboarding/name_tag", {"done": True})
    assert changed.status_code == 200
    assert (changed.json()["done"], changed.json()["changed_by"]) == (True, cm.username)
    items = client.get(f"/api/members/{member.pk}/onboarding").json()
    assert [item["step"] for item in items if item["done"]] == ["name_tag"]
    unknown = client.patch(f"/api/members/{member.pk}/onboarding/cake", {"done": True})
    assert unknown.status_code == 422


def test_the_export_is_json_about_the_member(api_client, cm, hub, employer, agreement):
    member = register(cm, hub, employer)
    response = api_client(cm).get(f"/api/members/{member.pk}/personal-data")
    assert response.status_code == 200
    assert response.json()["member"]["email"] == "anna@example.se"
