"""State changes of flow-run records; called by the dispatcher and by the flows themselves."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun


@transaction.atomic
def flowrun_mark_running(*, run_id: int, prefect_flow_run_id: UUID | None) -> FlowRun:
    """The flow has started; remember Prefect's id so the two can be matched."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    run.state = FlowRunState.RUNNING
    run.prefect_flow_run_id = prefect_flow_run_id or run.prefect_flow_run_id
    run.started_at = run.started_at or timezone.now()
    run.error = ""
    run.save(update_fields=["state", "prefect_flow_run_id", "started_at", "error"])
    return run


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
def flowrun_mark_failed(*, run_id: int, error: str) -> FlowRun:
    """The flow (or its start) failed; keep the message for whoever polls."""
    run = FlowRun.objects.select_for_update().get(pk=run_id)
    run.state = FlowRunState.FAILED
    run.error = error[:10_000]
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "finished_at"])
    return run
