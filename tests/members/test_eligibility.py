"""Who may apply (playbook "Medlemskap"): employees of an organisation with an active agreement
covering the hub — the hub's own or a national one; in the seat model no more members than
seats, the seat holders being one list with memberships' own."""

import pytest
from django.core.exceptions import ValidationError

from governance.errors import ConflictError
from governance.memberships import services as memberships
from governance.memberships.models import SeatHolder
from tests.factories import AgreementFactory, HubFactory, OrganisationFactory, UserFactory
from tests.members.conftest import apply, register, seat_agreement, walk

pytestmark = pytest.mark.django_db


def test_an_employee_of_an_organisation_with_an_active_hub_agreement_may_apply(
    hub, employer, agreement
):
    member = apply(hub, employer)
    assert member.state == "applied"
    assert member.organisation == employer
    assert member.onboarding.count() == 4


def test_a_national_agreement_covers_every_hub(hub, employer):
    AgreementFactory(hub=None, principal=OrganisationFactory(), member=employer, state="active")
    assert apply(hub, employer).hub == hub
    assert apply(HubFactory(), employer, name="Cia Berg").state == "applied"


def test_without_an_agreement_the_application_is_refused_on_the_employer(hub, employer):
    with pytest.raises(ValidationError) as refused:
        apply(hub, employer)
    assert refused.value.error_dict["org_number"][0].code == "no_active_agreement"


@pytest.mark.parametrize("state", ["expired", "terminated", "signed", "draft"])
def test_an_agreement_that_is_not_active_makes_no_one_eligible(hub, employer, state):
    AgreementFactory(hub=hub, principal=hub.principal, member=employer, state=state)
    with pytest.raises(ValidationError):
        apply(hub, employer)


def test_another_hubs_agreement_does_not_cover_this_hub(hub, employer):
    other = HubFactory(principal=OrganisationFactory())
    AgreementFactory(hub=other, principal=other.principal, member=employer, state="active")
    with pytest.raises(ValidationError):
        apply(hub, employer)


def test_an_invalid_org_number_is_refused_by_the_shared_validator(hub, employer, agreement):
    with pytest.raises(ValidationError) as refused:
        apply(hub, employer, org_number="556036-0794")  # checksum off by one
    assert refused.value.error_dict["org_number"][0].code == "invalid_checksum"


def test_a_full_seat_agreement_is_a_409_naming_the_agreement_and_its_seats(hub, employer, cm):
    seats = seat_agreement(hub, employer, seats=1)
    walk(cm, register(cm, hub, employer), "approve")
    with pytest.raises(ConflictError) as full:
        apply(hub, employer)
    assert full.value.code == "seat_limit_reached"
    assert full.value.details["agreement"] == {
        "id": seats.pk,
        "number": seats.number,
        "seats": 1,
    }
    assert seats.number in full.value.message
    assert "1 platser" in full.value.message


def test_an_approved_member_in_the_seat_model_holds_a_seat(hub, employer, cm):
    seats = seat_agreement(hub, employer, seats=2)
    member = walk(cm, register(cm, hub, employer), "approve")
    holder = SeatHolder.objects.get(agreement=seats)
    assert member.seat_holder == holder
    assert (holder.name, holder.email, holder.until) == ("Anna Ek", "anna@example.se", None)


def test_seats_the_organisation_named_itself_count_against_the_members(hub, employer, cm):
    seats = seat_agreement(hub, employer, seats=1)
    memberships.seat_holder_add(
        actor=UserFactory(roles=["national_coordinator"]),
        agreement_id=seats.pk,
        name="Named Holder",
        email="named@example.se",
    )
    with pytest.raises(ConflictError):
        apply(hub, employer)


def test_leaving_frees_the_seat_and_keeps_the_holders_row(hub, employer, cm):
    seats = seat_agreement(hub, employer, seats=1)
    member = walk(cm, register(cm, hub, employer), "approve", "leave")
    assert SeatHolder.objects.get(pk=member.seat_holder_id).until == member.left_on
    assert apply(hub, employer).agreement is None  # room again; the agreement is set at approval
    assert seats.seat_holders.count() == 1


def test_the_open_model_is_chosen_before_a_seat_agreement(hub, employer, cm):
    seat_agreement(hub, employer, seats=1)
    AgreementFactory(hub=None, principal=OrganisationFactory(), member=employer, state="active")
    member = walk(cm, register(cm, hub, employer), "approve")
    assert member.agreement.model == "open"
    assert member.seat_holder is None
