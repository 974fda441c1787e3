"""The boards' demo in today's Östersund, as ``seed_demo`` leaves it: both bodies seated from the
memberships with the demo users in their seats, the budget and the fee schedule adopted by two
decisions in approved minutes, and a vote by correspondence open for owner1 and owner2."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from governance.boards.demo_decisions import OPEN_VOTE_TITLE, seed_board_decisions
from governance.boards.models import Decision, Matter, Minutes, Seat
from governance.boards.voting import votes_waiting_for
from governance.organisations.roles import user_roles

pytestmark = pytest.mark.django_db
OSTERSUND = "Samverket Östersund"


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_the_demo_users_hold_their_organisations_seats(demo):
    held = {
        (holder.user.username, seat.board.body)
        for seat in Seat.objects.filter(board__hub__name=OSTERSUND, closed_on=None)
        for holder in seat.holders.filter(to_on=None)
    }
    assert held == {
        ("owner1", "owner_group"),
        ("owner2", "owner_group"),
        ("owner3", "owner_group"),
        ("board1", "creative_board"),
        ("board2", "creative_board"),
    }
    owner1 = User.objects.get(username="owner1")
    assert {role for role, _hub in user_roles(owner1)} == {"owner_group_rep"}


def test_the_demo_adopts_budget_and_fees_by_decision_and_opens_a_vote(demo):
    seed_board_decisions()  # a second run changes nothing
    decisions = Decision.objects.filter(board__hub__name=OSTERSUND)
    assert [d.number for d in decisions] == [1, 2]
    [minutes] = Minutes.objects.filter(board__hub__name=OSTERSUND)
    assert minutes.state == "approved"
    budget = decisions.get(number=1).matter.budget
    assert budget.state == "adopted"
    assert budget.decision_reference == f"Ägargruppen {OSTERSUND} {budget.year} §1"
    assert decisions.get(number=2).matter.fee_schedule.state == "adopted"
    vote = Matter.objects.get(title=OPEN_VOTE_TITLE)
    assert vote.state == "voting"
    assert vote.routes.get().reason  # routed by the rules table, with its reason
    for username in ("owner1", "owner2"):
        user = User.objects.get(username=username)
        assert list(votes_waiting_for(user, timezone.localdate())) == [vote]
