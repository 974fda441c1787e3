"""State changes of flow-run records; called by the dispatcher and by the flows themselves.

A record is the outbox of its run: ``queued`` until the dispatcher hands it to the flow server
(``pending``), ``running`` once a worker started it, then ``completed`` or ``failed``. A run
whose worker was lost is queued again, at most FLOW_MAX_ATTEMPTS hand-offs in all.
Flow-run bookkeeping leaves no audit entry (the record shows it); an operator's re-queueing does.
"""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun
from governance.permissions import require_permission

# Back-off between hand-offs of one run while the flow server cannot take it: 1, 2, 4 … 30 s.
HANDOFF_BACKOFF_MAX_SECONDS = 30

FINISHED_STATES = (FlowRunState.COMPLETED, FlowRunState.FAILED)


class FlowRunNotRequeueableError(Exception):
    """Only a failed run or one flagged as stuck may be queued again."""


@transaction.atomic
def flowrun_mark_running(*, run_id: int, prefect_flow_run_id: UUID | None) -> bool:
    """The flow has started; answers False if this Prefect run is not the record's current
    attempt (the record was handed over again, or has finished), and the flow must stop."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    if run.state in FINISHED_STATES or _is_stale_attempt(run, prefect_flow_run_id):
        return False
    run.state = FlowRunState.RUNNING
    run.prefect_flow_run_id = prefect_flow_run_id or run.prefect_flow_run_id
    run.started_at = run.started_at or timezone.now()
    run.error = ""
    run.save(update_fields=["state", "prefect_flow_run_id", "started_at", "error"])
    return True


@transaction.atomic
def flowrun_start_scheduled(*, flow_name: str, prefect_flow_run_id: UUID | None) -> FlowRun:
    """A run its Prefect schedule started, not a request: its record begins as running,
    requested by nobody, so that it is listed and its audit entries point at it."""
    return FlowRun.objects.create(
        flow_name=flow_name,
        state=FlowRunState.RUNNING,
        prefect_flow_run_id=prefect_flow_run_id,
        started_at=timezone.now(),
        attempts=1,
    )


@transaction.atomic
def flowrun_mark_completed(*, run_id: int, result: dict[str, Any]) -> FlowRun:
    """The flow finished; its summary is stored on the record."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    run.state = FlowRunState.COMPLETED
    run.result = result
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "result", "finished_at"])
    return run


@transaction.atomic
def flowrun_mark_failed(
    *, run_id: int, error: str, prefect_flow_run_id: UUID | None = None
) -> FlowRun:
    """The flow (or its start) failed; keep the message for whoever polls. A failure reported
    by an attempt the record no longer follows changes nothing."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    if run.state == FlowRunState.COMPLETED or _is_stale_attempt(run, prefect_flow_run_id):
        return run
    run.state = FlowRunState.FAILED
    run.error = error[:10_000]
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "finished_at"])
    return run


def flowrun_claim_next_queued() -> FlowRun | None:
    """Lock the oldest queued run that is due for hand-off, skipping those another dispatcher
    holds; call inside a transaction, which keeps the claim until it ends."""
    return (
        FlowRun.objects.select_for_update(skip_locked=True)
        .filter(state=FlowRunState.QUEUED)
        .exclude(next_handoff_at__gt=timezone.now())
        .order_by("queued_at", "pk")
        .first()
    )


def flowrun_mark_handed_over(*, run: FlowRun, prefect_flow_run_id: UUID) -> FlowRun:
    """The flow server has the run (a claimed record, inside the claiming transaction)."""
    run.state = FlowRunState.PENDING
    run.prefect_flow_run_id = prefect_flow_run_id
    run.attempts += 1
    run.handoff_failures = 0
    run.next_handoff_at = None
    run.save(
        update_fields=[
            "state",
            "prefect_flow_run_id",
            "attempts",
            "handoff_failures",
            "next_handoff_at",
        ]
    )
    return run


def flowrun_postpone_handoff(*, run: FlowRun, problem: str) -> FlowRun:
    """The flow server could not take the run: it stays queued and is tried again after a
    back-off that doubles with each failure in a row (a claimed record, as above)."""
    run.handoff_failures += 1
    delay = min(2 ** (run.handoff_failures - 1), HANDOFF_BACKOFF_MAX_SECONDS)
    run.next_handoff_at = timezone.now() + timedelta(seconds=delay)
    run.last_problem = problem[:10_000]
    run.save(update_fields=["handoff_failures", "next_handoff_at", "last_problem"])
    return run


@transaction.atomic
def flowrun_recover_lost(*, run_id: int, prefect_flow_run_id: UUID, reason: str) -> FlowRun:
    """The worker of this attempt was lost: queue the run again, or, after FLOW_MAX_ATTEMPTS
    hand-offs, mark it failed with the reason. Nothing changes if the record has moved on."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    if run.state not in (FlowRunState.PENDING, FlowRunState.RUNNING) or (
        run.prefect_flow_run_id != prefect_flow_run_id
    ):
        return run
    if run.attempts >= settings.FLOW_MAX_ATTEMPTS:
        run.state = FlowRunState.FAILED
        run.error = _("Gav upp efter %(attempts)d försök. %(reason)s") % {
            "attempts": run.attempts,
            "reason": reason,
        }
        run.finished_at = timezone.now()
        run.last_problem = reason
        run.save(update_fields=["state", "error", "finished_at", "last_problem"])
        return run
    # Only deployed runs are handed over, and so lost: back to the dispatcher.
    _queue_again(run, state=FlowRunState.QUEUED, problem=reason)
    return run


@transaction.atomic
def flowrun_requeue(*, run_id: int, actor: User) -> FlowRun:
    """An operator queues a failed or stuck run again, with a fresh count of attempts
    (started by ``governance.workflows.requeue``)."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    require_permission(actor, "flowruns.requeue_flowrun", run)
    if run.state != FlowRunState.FAILED and not run.is_stuck:
        raise FlowRunNotRequeueableError(run.pk)
    before = {"state": run.state, "attempts": run.attempts, "error": run.error}
    run.attempts = 0
    run.error = ""
    run.finished_at = None
    _queue_again(
        run,
        state=flowrun_waiting_state(),
        problem=_("Köad igen av %(user)s.") % {"user": actor.get_username()},
    )
    audit_record(
        actor=actor,
        verb="flow_requeued",
        target=run,
        before=before,
        after={"state": run.state, "attempts": run.attempts, "error": run.error},
    )
    return run


def flowrun_waiting_state() -> FlowRunState:
    """The state a run starts in: ``queued`` for the dispatcher (deployment mode); inline, this
    process runs it after the commit, and no dispatcher sharing the database may take it."""
    return FlowRunState.QUEUED if settings.FLOW_MODE == "deployment" else FlowRunState.PENDING


def _queue_again(run: FlowRun, *, state: FlowRunState, problem: str) -> None:
    run.state = state
    run.prefect_flow_run_id = None
    run.started_at = None
    run.queued_at = timezone.now()
    run.next_handoff_at = None
    run.handoff_failures = 0
    run.last_problem = problem[:10_000]
    run.save(
        update_fields=[
            "state",
            "prefect_flow_run_id",
            "started_at",
            "queued_at",
            "next_handoff_at",
            "handoff_failures",
            "last_problem",
            "attempts",
            "error",
            "finished_at",
        ]
    )


def _is_stale_attempt(run: FlowRun, prefect_flow_run_id: UUID | None) -> bool:
    # Only deployed runs are handed over, each attempt under its own Prefect id; an inline run
    # is started by this process once, and is always the record's current attempt.
    return (
        settings.FLOW_MODE == "deployment"
        and prefect_flow_run_id is not None
        and str(run.prefect_flow_run_id) != str(prefect_flow_run_id)
    )
