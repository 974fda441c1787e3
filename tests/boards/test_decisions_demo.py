"""The demo's decisions on seats built for the demo users (the seats' seeder builds them in the
full demo)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from governance.boards.demo_decisions import OPEN_VOTE_TITLE, seed_board_decisions
from governance.boards.models import Decision, Matter, Minutes
from governance.boards.voting import votes_waiting_for
from governance.forecasts.models import Budget
from tests.boards.demo_seats import seat_demo_users

pytestmark = pytest.mark.django_db


def test_the_demo_adopts_budget_and_fees_by_decision_and_opens_a_vote():
    call_command("seed_demo")
    seat_demo_users()
    seed_board_decisions()
    seed_board_decisions()  # idempotent
    decisions = Decision.objects.filter(board__hub__name="Samverket Östersund")
    assert [d.number for d in decisions] == [1, 2]
    [minutes] = Minutes.objects.filter(board__hub__name="Samverket Östersund")
    assert minutes.state == "approved"
    budget = Decision.objects.get(number=1, board__hub__name="Samverket Östersund").matter.budget
    assert budget.state == "adopted"
    assert budget.decision_reference.startswith("Ägargruppen Samverket Östersund")
    assert Budget.objects.filter(pk=budget.pk).exists()
    schedule = Decision.objects.get(
        number=2, board__hub__name="Samverket Östersund"
    ).matter.fee_schedule
    assert schedule.state == "adopted"
    vote = Matter.objects.get(title=OPEN_VOTE_TITLE)
    assert vote.state == "voting"
    from django.utils import timezone

    for username in ("owner1", "owner2"):
        user = User.objects.get(username=username)
        assert list(votes_waiting_for(user, timezone.localdate())) == [vote]
