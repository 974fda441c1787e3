"""The flow-run record as outbox: hand-off back-off, recovery of runs whose worker was lost,
stale attempts, runs flagged as stuck and an operator's re-queueing."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.flowruns.services import (
    FlowRunNotRequeueableError,
    flowrun_claim_next_queued,
    flowrun_mark_failed,
    flowrun_mark_handed_over,
    flowrun_mark_running,
    flowrun_postpone_handoff,
    flowrun_recover_lost,
    flowrun_requeue,
)
from governance.workflows import requeue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _handed_over(attempts: int = 1) -> FlowRun:
    run = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    for _ in range(attempts):
        flowrun_mark_handed_over(run=run, prefect_flow_run_id=uuid.uuid4())
    return run


def test_flowrun_postpone_handoff_backs_off_doubling_up_to_30_seconds():
    run = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    delays = []
    for _ in range(7):
        before = timezone.now()
        flowrun_postpone_handoff(run=run, problem="connection refused")
        delays.append(round((run.next_handoff_at - before).total_seconds()))
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    run.refresh_from_db()
    assert (run.state, run.last_problem) == ("queued", "connection refused")


def test_flowrun_claim_next_queued_takes_due_runs_oldest_first():
    later = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    waiting = FlowRun.objects.create(
        flow_name="revalidate_org_numbers", next_handoff_at=timezone.now() + timedelta(minutes=1)
    )
    FlowRun.objects.filter(pk=later.pk).update(queued_at=timezone.now() - timedelta(seconds=5))
    first = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    FlowRun.objects.filter(pk=first.pk).update(queued_at=timezone.now() - timedelta(seconds=9))
    with transaction.atomic():
        assert flowrun_claim_next_queued().pk == first.pk
    FlowRun.objects.filter(pk__in=[first.pk, later.pk]).update(state="pending")
    with transaction.atomic():
        assert flowrun_claim_next_queued() is None  # `waiting` is backing off
    assert waiting.pk


def test_flowrun_recover_lost_queues_the_run_again_with_the_reason():
    run = _handed_over()
    lost_id = run.prefect_flow_run_id

    flowrun_recover_lost(run_id=run.pk, prefect_flow_run_id=lost_id, reason="worker gone")

    run.refresh_from_db()
    assert (run.state, run.attempts, run.prefect_flow_run_id) == ("queued", 1, None)
    assert run.last_problem == "worker gone"
    assert run.error == ""


def test_flowrun_recover_lost_gives_up_after_the_maximum_attempts(settings):
    settings.FLOW_MAX_ATTEMPTS = 2
    run = _handed_over(attempts=2)

    flowrun_recover_lost(
        run_id=run.pk, prefect_flow_run_id=run.prefect_flow_run_id, reason="Arbetaren försvann."
    )

    run.refresh_from_db()
    assert run.state == "failed"
    assert run.error == "Gav upp efter 2 försök. Arbetaren försvann."
    assert run.finished_at is not None


def test_flowrun_recover_lost_leaves_a_run_that_has_moved_on():
    run = _handed_over()
    flowrun_recover_lost(run_id=run.pk, prefect_flow_run_id=uuid.uuid4(), reason="old attempt")
    FlowRun.objects.filter(pk=run.pk).update(state="completed")
    flowrun_recover_lost(run_id=run.pk, prefect_flow_run_id=run.prefect_flow_run_id, reason="x")
    run.refresh_from_db()
    assert (run.state, run.last_problem) == ("completed", "")


def test_a_stale_attempt_of_a_deployed_run_neither_starts_nor_fails_it(settings):
    settings.FLOW_MODE = "deployment"
    run = _handed_over()
    stale = uuid.uuid4()

    assert flowrun_mark_running(run_id=run.pk, prefect_flow_run_id=stale) is False
    flowrun_mark_failed(run_id=run.pk, error="boom", prefect_flow_run_id=stale)
    run.refresh_from_db()
    assert run.state == "pending"
    assert flowrun_mark_running(run_id=run.pk, prefect_flow_run_id=run.prefect_flow_run_id)
    run.refresh_from_db()
    assert run.state == "running"


def test_an_inline_run_is_always_the_current_attempt():
    run = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    assert flowrun_mark_running(run_id=run.pk, prefect_flow_run_id=uuid.uuid4()) is True


def test_a_run_waiting_longer_than_the_bound_is_flagged_stuck(settings):
    settings.FLOW_STUCK_AFTER_SECONDS = 60
    fresh = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    old = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    old_done = FlowRun.objects.create(flow_name="revalidate_org_numbers", state="completed")
    FlowRun.objects.filter(pk__in=[old.pk, old_done.pk]).update(
        queued_at=timezone.now() - timedelta(seconds=61)
    )

    assert list(FlowRun.objects.stuck()) == [FlowRun.objects.get(pk=old.pk)]
    assert FlowRun.objects.get(pk=old.pk).is_stuck
    assert not FlowRun.objects.get(pk=fresh.pk).is_stuck
    assert not FlowRun.objects.get(pk=old_done.pk).is_stuck
    assert set(FlowRun.objects.not_stuck().values_list("pk", flat=True)) == {
        fresh.pk,
        old_done.pk,
    }


def test_requeue_queues_a_failed_run_again_audits_it_and_starts_it(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    started = []
    monkeypatch.setattr("governance.workflows._start_inline", started.append)
    run = _handed_over(attempts=3)
    flowrun_mark_failed(run_id=run.pk, error="Gav upp efter 3 försök.")

    with django_capture_on_commit_callbacks(execute=True):
        requeue(run_id=run.pk, actor=coordinator)

    run.refresh_from_db()
    # Inline, this process runs it again: pending, not queued for a dispatcher.
    assert (run.state, run.attempts, run.error, run.finished_at) == ("pending", 0, "", None)
    entry = AuditEntry.objects.get(verb="flow_requeued")
    assert entry.actor == coordinator
    assert entry.before["state"] == "failed"
    assert entry.after["state"] == "pending"
    assert started == [run.pk]  # inline mode starts it again after the commit


def test_flowrun_requeue_refuses_running_runs_and_other_users(coordinator):
    run = _handed_over()
    with pytest.raises(FlowRunNotRequeueableError):
        flowrun_requeue(run_id=run.pk, actor=coordinator)
    FlowRun.objects.filter(pk=run.pk).update(state="failed")
    with pytest.raises(PermissionDenied):
        flowrun_requeue(run_id=run.pk, actor=UserFactory())
