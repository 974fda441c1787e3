"""Voting: one vote per seat, substitutes, changing, conflicts (jäv), quorum and majority edges,
extending and closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.audit.models import AuditEntry
from governance.boards.choices import Majority, MatterState
from governance.boards.models import Board, Decision, Matter, Vote
from governance.boards.voting import (
    conflict_declare,
    majority_reached,
    quorum_reached,
    vote_cast,
    vote_close,
    vote_extend,
    vote_open,
    vote_record,
    vote_result,
    votes_waiting_for,
)
from governance.errors import ConflictError
from tests.boards.helpers_decisions import NOW, matter_in, voting_matter

pytestmark = pytest.mark.django_db


def cast(user, matter, choice, reason="", now=NOW):
    return vote_cast(actor=user, matter_id=matter.pk, choice=choice, reason=reason, now=now)


def test_opening_needs_the_principal_a_future_deadline_and_moves_to_voting(seated):
    matter = matter_in(seated.owner_group)
    with pytest.raises(PermissionDenied):
        vote_open(actor=seated.owners[0], matter_id=matter.pk, deadline=NOW + timedelta(1), now=NOW)
    with pytest.raises(ValidationError) as error:
        vote_open(actor=seated.principal, matter_id=matter.pk, deadline=NOW, now=NOW)
    assert "deadline" in error.value.message_dict
    opened = voting_matter(seated)
    assert opened.state == MatterState.VOTING
    assert opened.vote_deadline == NOW + timedelta(days=7)
    assert AuditEntry.objects.filter(verb="vote_opened").exists()


def test_a_body_without_representatives_cannot_open_a_vote(seated):
    from governance.boards.models import SeatHolder

    SeatHolder.objects.filter(seat__board=seated.owner_group).delete()
    matter = matter_in(seated.owner_group)
    with pytest.raises(ConflictError) as error:
        vote_open(actor=seated.principal, matter_id=matter.pk, deadline=NOW + timedelta(1), now=NOW)
    assert "ledamöter" in " ".join(error.value.details["unmet"])


def test_one_vote_per_seat_changeable_until_the_close(seated):
    matter = voting_matter(seated)
    cast(seated.owners[0], matter, "yes")
    vote = cast(seated.owners[0], matter, "no", "Ändrade mig")
    assert Vote.objects.filter(matter=matter).count() == 1
    assert (vote.choice, vote.reason, vote.changed_at) == ("no", "Ändrade mig", NOW)


def test_a_substitute_votes_when_the_representative_has_not_and_never_overrides(seated):
    matter = voting_matter(seated)
    cast(seated.substitute, matter, "no")
    assert Vote.objects.get(matter=matter).cast_as == "substitute"
    cast(seated.owners[0], matter, "yes")  # the representative replaces the substitute's vote
    assert Vote.objects.get(matter=matter).choice == "yes"
    with pytest.raises(ConflictError) as error:
        cast(seated.substitute, matter, "no")
    assert error.value.code == "representative_voted"
    assert Vote.objects.get(matter=matter).choice == "yes"


@pytest.mark.parametrize("who", ["outsider", "principal", "community_manager", "board_member"])
def test_only_seat_holders_of_the_body_vote(seated, who):
    matter = voting_matter(seated)
    user = seated.board_members[0] if who == "board_member" else getattr(seated, who)
    with pytest.raises(PermissionDenied):
        cast(user, matter, "yes")


def test_a_vote_after_the_deadline_or_the_close_is_refused(seated):
    matter = voting_matter(seated)
    with pytest.raises(ConflictError) as error:
        cast(seated.owners[0], matter, "yes", now=NOW + timedelta(days=8))
    assert error.value.code == "vote_closed"


def test_a_conflict_removes_the_seats_vote_and_its_quorum_count(seated):
    matter = voting_matter(seated)
    cast(seated.owners[0], matter, "yes")
    conflict_declare(actor=seated.owners[0], matter_id=matter.pk, reason="Min organisation är part")
    assert not Vote.objects.filter(matter=matter).exists()
    assert AuditEntry.objects.filter(verb="vote_removed").exists()
    with pytest.raises(ConflictError) as error:
        cast(seated.substitute, matter, "yes")
    assert error.value.code == "conflict_declared"
    cast(seated.owners[1], matter, "yes")
    cast(seated.owners[2], matter, "no")
    result = vote_result(matter)
    assert (result.eligible, result.participating, result.quorum_reached) == (2, 2, True)
    assert [s.organisation for s in result.conflicts] == ["Medlem 1"]
    assert result.carried is False  # 1 yes, 1 no: a tie does not carry


def test_exactly_half_is_no_quorum_more_than_half_is(seated):
    assert quorum_reached(50, 2, 4) is False
    assert quorum_reached(50, 3, 4) is True
    assert quorum_reached(50, 0, 0) is False
    matter = voting_matter(seated)
    cast(seated.owners[0], matter, "yes")
    assert vote_result(matter).quorum_reached is False  # 1 of 3
    cast(seated.owners[1], matter, "abstain")
    result = vote_result(matter)
    assert result.quorum_reached is True  # abstaining takes part: 2 of 3
    assert result.carried is True  # 1 yes, 0 no
    assert [s.organisation for s in result.not_voted] == ["Medlem 3"]


@pytest.mark.parametrize(
    ("majority", "yes", "no", "abstain", "carried"),
    [
        (Majority.SIMPLE, 1, 1, 0, False),
        (Majority.SIMPLE, 0, 0, 3, False),
        (Majority.SIMPLE, 2, 1, 5, True),
        (Majority.ABSOLUTE, 2, 1, 1, False),
        (Majority.ABSOLUTE, 3, 1, 1, True),
        (Majority.TWO_THIRDS, 2, 1, 0, True),
        (Majority.TWO_THIRDS, 3, 2, 0, False),
        (Majority.TWO_THIRDS, 0, 0, 0, False),
    ],
)
def test_majority_rules(majority, yes, no, abstain, carried):
    assert majority_reached(majority, yes, no, abstain) is carried


def test_all_abstaining_does_not_carry(seated):
    matter = voting_matter(seated)
    for owner in seated.owners:
        cast(owner, matter, "abstain")
    result = vote_result(matter)
    assert result.quorum_reached
    assert not result.carried


def test_the_principal_records_votes_at_a_meeting(seated):
    matter = voting_matter(seated)
    vote = vote_record(
        actor=seated.principal,
        matter_id=matter.pk,
        seat_id=seated.owner_seats[2].pk,
        choice="no",
        now=NOW,
    )
    assert (vote.cast_by, vote.seat) == (seated.principal, seated.owner_seats[2])
    with pytest.raises(PermissionDenied):
        vote_record(
            actor=seated.owners[0],
            matter_id=matter.pk,
            seat_id=seated.owner_seats[2].pk,
            choice="yes",
            now=NOW,
        )


def test_extending_before_the_deadline_is_logged_after_it_is_refused(seated):
    matter = voting_matter(seated)
    later = NOW + timedelta(days=10)
    vote_extend(actor=seated.principal, matter_id=matter.pk, deadline=later, now=NOW)
    entry = AuditEntry.objects.get(verb="vote_extended")
    assert entry.after["vote_deadline"] == later.isoformat()
    with pytest.raises(ConflictError):
        vote_extend(
            actor=seated.principal,
            matter_id=matter.pk,
            deadline=later + timedelta(days=5),
            now=later + timedelta(minutes=1),
        )


def test_closing_early_needs_every_seat_and_decides_by_the_result(seated):
    matter = voting_matter(seated)
    cast(seated.owners[0], matter, "yes")
    cast(seated.owners[1], matter, "yes")
    with pytest.raises(ConflictError) as error:
        vote_close(actor=seated.principal, matter_id=matter.pk, early=True, now=NOW)
    assert error.value.code == "not_everyone_voted"
    with pytest.raises(ConflictError) as error:
        vote_close(actor=seated.principal, matter_id=matter.pk, now=NOW)
    assert error.value.code == "deadline_not_passed"
    cast(seated.owners[2], matter, "no", "För dyrt")
    closed = vote_close(actor=seated.principal, matter_id=matter.pk, early=True, now=NOW)
    assert closed.state == MatterState.ADOPTED
    decision = Decision.objects.get(matter=matter)
    assert decision.method == "vote"
    assert (decision.tally["yes"], decision.tally["no"]) == (2, 1)
    assert {s["organisation"]: s["choice"] for s in decision.tally["seats"]} == {
        "Medlem 1": "yes",
        "Medlem 2": "yes",
        "Medlem 3": "no",
    }
    with pytest.raises(ConflictError):
        cast(seated.owners[2], matter, "yes")


def test_a_vote_without_quorum_is_rejected_at_the_deadline(seated):
    matter = voting_matter(seated)
    cast(seated.owners[0], matter, "yes")
    with pytest.raises(PermissionDenied):
        vote_close(actor=seated.owners[0], matter_id=matter.pk, now=NOW + timedelta(days=8))
    closed = vote_close(actor=seated.principal, matter_id=matter.pk, now=NOW + timedelta(days=8))
    assert closed.state == MatterState.REJECTED
    assert Decision.objects.get(matter=matter).tally["quorum_reached"] is False


def test_a_voting_matter_is_not_adopted_directly_while_open(seated):
    from governance.boards.decisions import decision_record

    matter = voting_matter(seated)
    with pytest.raises(ConflictError) as error:
        decision_record(actor=seated.principal, matter_id=matter.pk, outcome="adopted")
    assert error.value.code == "vote_open"


def test_hidden_results_are_for_the_principal_until_the_close(seated):
    from governance.boards.voting import result_visible

    matter = voting_matter(seated)
    assert result_visible(seated.owners[0], matter)
    Board.objects.filter(pk=seated.owner_group.pk).update(results_visible_during_vote=False)
    matter = Matter.objects.select_related("board").get(pk=matter.pk)
    assert not result_visible(seated.owners[0], matter)
    assert result_visible(seated.principal, matter)


def test_votes_waiting_for_me(seated):
    matter = voting_matter(seated)
    today = NOW.date()
    assert list(votes_waiting_for(seated.owners[1], today, now=NOW)) == [matter]
    assert list(votes_waiting_for(seated.board_members[1], today, now=NOW)) == []
    cast(seated.owners[1], matter, "yes")
    assert list(votes_waiting_for(seated.owners[1], today, now=NOW)) == []
