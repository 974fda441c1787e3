"""The scheduled flow board_vote_deadlines: one reminder within 24 hours of the deadline to the
seats that have not voted, and the close at the deadline, deciding the matter."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from flows.board_votes import board_vote_deadlines
from governance.audit.context import acting_for_flow_run
from governance.audit.models import AuditEntry
from governance.boards.models import Decision, Matter
from governance.boards.voting import vote_cast, vote_deadlines_advance
from governance.flowruns.models import FlowRun
from tests.boards.helpers_decisions import NOW, voting_matter


def _advance(now):
    run = FlowRun.objects.create(flow_name="board_vote_deadlines", state="running")
    with acting_for_flow_run(run.pk), time_machine.travel(now, tick=False):
        return vote_deadlines_advance(now=now)


@pytest.mark.django_db
def test_one_reminder_within_a_day_then_the_close_decides(
    seated, django_capture_on_commit_callbacks
):
    for n, user in enumerate([*seated.owners, seated.substitute]):
        user.email = f"ledamot{n}@example.se"
        user.save()
    matter = voting_matter(seated, days=2)
    for owner in seated.owners[:2]:
        vote_cast(actor=owner, matter_id=matter.pk, choice="yes", now=NOW)
    assert _advance(NOW + timedelta(hours=1))["reminded"] == []  # more than a day left
    with django_capture_on_commit_callbacks(execute=True):
        night = _advance(NOW + timedelta(days=1, hours=1))
    assert night["reminded"] == [matter.pk]
    assert [m.to for m in mail.outbox] == [[seated.owners[2].email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert _advance(NOW + timedelta(days=1, hours=2))["reminded"] == []
    assert len(mail.outbox) == 1
    closed = _advance(NOW + timedelta(days=2, minutes=1))
    assert closed["closed"] == [{"id": matter.pk, "state": "adopted"}]
    assert Matter.objects.get(pk=matter.pk).state == "adopted"
    decision = Decision.objects.get(matter=matter)
    assert decision.recorded_by == seated.principal  # who opened the vote keeps the minutes
    entry = AuditEntry.objects.filter(verb="vote_closed").get()
    assert entry.flow_run_id is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_started_by_its_schedule_closes_a_passed_vote(seated):
    matter = voting_matter(seated, days=1)
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        board_vote_deadlines()
    run = FlowRun.objects.get(flow_name="board_vote_deadlines")
    assert run.state == "completed", run.error
    assert run.result["closed"] == [{"id": matter.pk, "state": "rejected"}]
