"""Keep a flow's FlowRun record in step with the Prefect run: started, completed, failed.

Plain functions, not tasks: they are bookkeeping, and each task run costs Prefect API calls.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect.runtime import flow_run

from governance.audit.context import acting_for_flow_run
from governance.flowruns.models import FlowRun
from governance.flowruns.services import (
    flowrun_mark_completed,
    flowrun_mark_failed,
    flowrun_mark_running,
    flowrun_start_scheduled,
)


def record_start(run_id: int) -> bool:
    """Mark the record running and store Prefect's flow-run id on it; False if this Prefect run
    is an attempt the record no longer follows (it was handed over again), which must stop."""
    return flowrun_mark_running(run_id=run_id, prefect_flow_run_id=flow_run.get_id())


@contextmanager
def tracked_run(run_id: int | None, flow_name: str) -> Iterator[int | None]:
    """The record of this run, for a flow that is both dispatched and scheduled.

    Dispatched (``run_id`` given): as ``record_start``; yields None when this attempt must stop.
    Started by its schedule (no ``run_id``): creates the record, running and requested by
    nobody. Either way audit entries written inside are attributed to the run."""
    if run_id is None:
        run_id = flowrun_start_scheduled(
            flow_name=flow_name, prefect_flow_run_id=flow_run.get_id()
        ).pk
    elif not record_start(run_id):
        yield None
        return
    with acting_for_flow_run(run_id):
        yield run_id


def record_result(run_id: int, result: dict[str, Any]) -> None:
    """Store the flow's summary and mark the record completed."""
    flowrun_mark_completed(run_id=run_id, result=result)


def record_failure(flow: Any, prefect_run: Any, state: Any) -> None:
    """Prefect state hook (on_failure): mark the record failed with the reason.

    Not on_crashed: a crash is the worker's loss, not the flow's failure; the dispatcher's
    reconciliation queues such a run again (governance/workflows.py)."""
    run_id = prefect_run.parameters.get("run_id")
    if run_id is None:  # started by its schedule: the record carries the Prefect run's id
        run_id = (
            FlowRun.objects.filter(prefect_flow_run_id=prefect_run.id)
            .values_list("pk", flat=True)
            .first()
        )
        if run_id is None:
            return  # it failed before it could create its record
    flowrun_mark_failed(
        run_id=run_id, error=str(state.message or state), prefect_flow_run_id=prefect_run.id
    )
