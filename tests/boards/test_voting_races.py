"""Integrity under concurrency, with real parallel connections on PostgreSQL: two casts of one
seat leave one vote, a representative and a substitute at once leave one, a vote that arrives
while the vote closes is either in the result or refused, and paragraphs decided at once get
consecutive numbers."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from governance.boards.decisions import decision_record
from governance.boards.models import Decision, Matter, Vote
from governance.boards.voting import vote_cast, vote_close
from governance.errors import ConflictError
from tests.boards.helpers_decisions import matter_in, voting_matter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def run_at_once(*calls) -> list[str]:
    """Run each call in its own thread (its own connection), released together; the outcome
    of each in order of finishing: its result's repr, or the error's code/name."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            start.wait()
            call()
            outcomes.append("ok")
        except ConflictError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported in the assertion
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _now():
    return timezone.now()


def test_two_casts_of_one_seat_leave_one_vote(seated):
    matter = voting_matter(seated, now=_now())
    owner = seated.owners[0]
    outcomes = run_at_once(
        *[
            lambda choice=choice: vote_cast(actor=owner, matter_id=matter.pk, choice=choice)
            for choice in ("yes", "no", "abstain", "yes")
        ]
    )
    assert outcomes == ["ok"] * 4
    assert Vote.objects.filter(matter=matter).count() == 1


def test_a_representative_and_a_substitute_at_once_leave_one_vote(seated):
    for _round in range(3):
        matter = voting_matter(seated, now=_now())
        outcomes = run_at_once(
            lambda m=matter: vote_cast(actor=seated.owners[0], matter_id=m.pk, choice="yes"),
            lambda m=matter: vote_cast(actor=seated.substitute, matter_id=m.pk, choice="no"),
        )
        [vote] = Vote.objects.filter(matter=matter)
        # Whoever locked first: the representative's vote stands either way.
        assert vote.choice == "yes"
        assert vote.cast_by == seated.owners[0]
        assert sorted(outcomes) in (["ok", "ok"], ["ok", "representative_voted"])


def test_a_vote_arriving_while_the_vote_closes_is_counted_or_refused(seated):
    for _round in range(3):
        matter = voting_matter(seated, now=_now())
        vote_cast(actor=seated.owners[0], matter_id=matter.pk, choice="yes")
        vote_cast(actor=seated.owners[1], matter_id=matter.pk, choice="yes")
        later = Matter.objects.get(pk=matter.pk).vote_deadline + timedelta(seconds=1)
        outcomes = {}

        def close(m=matter, at=later):
            vote_close(actor=seated.principal, matter_id=m.pk, now=at)

        def late_cast(m=matter):
            # Still before the deadline by the clock, so only the close's lock can refuse it.
            vote_cast(actor=seated.owners[2], matter_id=m.pk, choice="no")

        outcomes = run_at_once(close, late_cast)
        decision = Decision.objects.get(matter=matter)
        stored = Vote.objects.filter(matter=matter, seat=seated.owner_seats[2]).exists()
        counted = decision.tally["no"] == 1
        assert stored == counted, outcomes
        if not stored:
            assert "vote_closed" in outcomes


def test_decisions_at_once_get_consecutive_paragraph_numbers(seated):
    matters = [matter_in(seated.owner_group, title=f"Ärende {n}") for n in range(6)]
    outcomes = run_at_once(
        *[
            lambda m=m: decision_record(actor=seated.principal, matter_id=m.pk, outcome="noted")
            for m in matters
        ]
    )
    assert outcomes == ["ok"] * 6
    numbers = sorted(
        Decision.objects.filter(board=seated.owner_group).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]
