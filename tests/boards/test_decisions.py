"""Decisions in agreement and after a vote: numbered paragraphs per body and year, motions,
dissents, the minutes they go into, and the owner group adopting budgets and fee schedules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.boards.choices import MatterKind, MatterState, Venue
from governance.boards.decisions import decision_record, dissent_enter, paragraph_reference
from governance.boards.models import Decision, Matter, Meeting, Motion
from governance.boards.voting import vote_cast, vote_close
from governance.errors import ConflictError
from governance.forecasts.services import budget_transition
from governance.memberships.services import fee_schedule_transition
from governance.organisations.models import RoleAssignment
from tests.boards.helpers_decisions import NOW, matter_in, voting_matter
from tests.factories import FeeScheduleFactory
from tests.forecasts.factories import BudgetFactory

pytestmark = pytest.mark.django_db


def agree(seated, matter, outcome="adopted", **kwargs) -> Decision:
    return decision_record(actor=seated.principal, matter_id=matter.pk, outcome=outcome, **kwargs)


def test_a_decision_in_agreement_needs_no_vote_and_is_paragraph_one(seated):
    matter = matter_in(seated.creative_board, kind=MatterKind.COLLABORATION)
    decision = agree(seated, matter, text="Creative boarden bifaller initiativet.")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.ADOPTED
    assert (decision.number, decision.year, decision.method) == (1, NOW.year, "agreement")
    assert decision.tally == {}
    assert decision.minutes.board == seated.creative_board
    assert decision.minutes.meeting is None


@pytest.mark.parametrize("outcome", ["rejected", "noted"])
def test_agreement_may_reject_or_note(seated, outcome):
    decision = agree(seated, matter_in(seated.creative_board), outcome)
    assert decision.matter.state == outcome


def test_budget_and_fee_levels_are_not_noted(seated):
    matter = matter_in(seated.owner_group, kind=MatterKind.BUDGET)
    with pytest.raises(ConflictError) as error:
        agree(seated, matter, "noted")
    assert "antecknas inte" in " ".join(error.value.details["unmet"])


def test_only_the_principal_records(seated):
    with pytest.raises(PermissionDenied):
        decision_record(
            actor=seated.owners[0],
            matter_id=matter_in(seated.owner_group).pk,
            outcome="adopted",
        )


def test_paragraphs_are_numbered_per_body_and_into_the_same_open_minutes(seated):
    first = agree(seated, matter_in(seated.owner_group))
    second = agree(seated, matter_in(seated.owner_group))
    other = agree(seated, matter_in(seated.creative_board))
    assert [first.number, second.number, other.number] == [1, 2, 1]
    assert first.minutes == second.minutes != other.minutes


def test_a_decision_at_a_meeting_goes_into_the_meetings_minutes(seated):
    from governance.boards.models import AgendaItem

    meeting = Meeting.objects.create(
        board=seated.owner_group,
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=2),
        place="Rådhuset",
        convened_by=seated.principal,
    )
    matter = matter_in(seated.owner_group, venue=Venue.MEETING)
    AgendaItem.objects.create(meeting=meeting, matter=matter, position=1)
    decision = agree(seated, matter)
    assert decision.minutes.meeting == meeting


def test_the_carried_motion_is_marked_and_a_foreign_one_refused(seated):
    matter = matter_in(seated.owner_group)
    motions = [
        Motion.objects.create(
            matter=matter,
            position=n,
            text=f"Yrkande {n}",
            moved_by="X",
            recorded_by=seated.principal,
        )
        for n in (1, 2)
    ]
    other = matter_in(seated.owner_group)
    with pytest.raises(ValidationError):
        agree(seated, other, motion_id=motions[0].pk)
    agree(seated, matter, motion_id=motions[1].pk)
    assert [m.carried for m in Motion.objects.filter(matter=matter)] == [False, True]


def test_dissents_after_a_vote_only_from_seats_that_voted_no(seated):
    matter = voting_matter(seated)
    for owner, choice in zip(seated.owners, ["yes", "yes", "no"], strict=True):
        vote_cast(actor=owner, matter_id=matter.pk, choice=choice, now=NOW)
    Matter.objects.filter(pk=matter.pk).update(vote_closed_at=NOW)
    with pytest.raises(ValidationError):
        agree(seated, matter, dissents=[{"seat_id": seated.owner_seats[0].pk, "reason": "Nej"}])
    decision = agree(
        seated, matter, dissents=[{"seat_id": seated.owner_seats[2].pk, "reason": "För dyrt"}]
    )
    assert decision.method == "vote"
    [dissent] = decision.dissents.all()
    assert (dissent.user, dissent.reason) == (seated.owners[2], "För dyrt")


def test_a_seat_holder_enters_a_dissent_until_the_minutes_are_adjusted(seated):
    decision = agree(seated, matter_in(seated.owner_group))
    dissent = dissent_enter(actor=seated.owners[1], decision_id=decision.pk, reason="Emot")
    assert dissent.seat == seated.owner_seats[1]
    locked = agree(seated, matter_in(seated.owner_group), adjusted_at_once=True)
    with pytest.raises(ConflictError) as error:
        dissent_enter(actor=seated.owners[1], decision_id=locked.pk, reason="Emot")
    assert error.value.code == "minutes_adjusted"


def test_the_reference_names_the_body_the_hub_the_year_and_the_paragraph(seated):
    decision = agree(seated, matter_in(seated.owner_group))
    assert paragraph_reference(decision) == f"Ägargruppen Samverket Test {NOW.year} §1"


# --- Budgets and fee schedules ------------------------------------------------------------


def owner_group_roles(seated) -> None:
    """The hub has an owner group (the fact reads the owner-group role until seats replace it)."""
    for owner in seated.owners:
        RoleAssignment.objects.create(user=owner, role="owner_group_rep", hub=seated.hub)


def test_an_adopted_budget_matter_adopts_its_budget_recording_the_decision(seated):
    owner_group_roles(seated)
    earlier = BudgetFactory(hub=seated.hub, year=2026, version=1)
    earlier.__class__.objects.filter(pk=earlier.pk).update(state="adopted")
    budget = BudgetFactory(hub=seated.hub, year=2026, version=2)
    matter = voting_matter(seated, kind=MatterKind.BUDGET, budget=budget)
    vote_cast(actor=seated.owners[0], matter_id=matter.pk, choice="yes", now=NOW)
    vote_cast(actor=seated.owners[1], matter_id=matter.pk, choice="yes", now=NOW)
    vote_cast(actor=seated.owners[2], matter_id=matter.pk, choice="no", now=NOW)
    vote_close(actor=seated.principal, matter_id=matter.pk, early=True, now=NOW)
    budget.refresh_from_db()
    decision = Decision.objects.get(matter=matter)
    assert budget.state == "adopted"
    assert budget.decision_reference == paragraph_reference(decision)
    assert budget.agreed_on == NOW.date()
    assert sorted(o.name for o in budget.agreed_by.all()) == ["Medlem 1", "Medlem 2"]
    earlier.refresh_from_db()
    assert earlier.state == "superseded"


def test_an_adopted_fee_matter_in_agreement_adopts_its_schedule(seated):
    owner_group_roles(seated)
    schedule = FeeScheduleFactory(hub=seated.hub)
    matter = matter_in(seated.owner_group, kind=MatterKind.FEE_LEVELS, fee_schedule=schedule)
    decision = agree(seated, matter)
    schedule.refresh_from_db()
    assert schedule.state == "adopted"
    assert schedule.decision_reference == paragraph_reference(decision)
    assert schedule.agreed_by.count() == 3


def test_once_the_hub_has_an_owner_group_the_principal_cannot_adopt_directly(seated):
    owner_group_roles(seated)
    budget = BudgetFactory(hub=seated.hub, year=2026)
    budget.agreed_by.set(seated.organisations)
    budget.agreed_on, budget.decision_reference = NOW.date(), "Dnr 1"
    budget.save()
    with pytest.raises(ConflictError) as error:
        budget_transition(actor=seated.principal, budget_id=budget.pk, name="adopt")
    assert "ägargrupp" in " ".join(error.value.details["unmet"])
    schedule = FeeScheduleFactory(hub=seated.hub, agreed_on=NOW.date(), decision_reference="Dnr 2")
    schedule.agreed_by.set(seated.organisations)
    with pytest.raises(ConflictError) as error:
        fee_schedule_transition(actor=seated.principal, feeschedule_id=schedule.pk, name="adopt")
    assert "ägargrupp" in " ".join(error.value.details["unmet"])


def test_a_rejected_budget_matter_leaves_the_budget_a_draft(seated):
    budget = BudgetFactory(hub=seated.hub, year=2026)
    matter = matter_in(seated.owner_group, kind=MatterKind.BUDGET, budget=budget)
    agree(seated, matter, "rejected")
    budget.refresh_from_db()
    assert budget.state == "draft"
