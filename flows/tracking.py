"""Keep a flow's FlowRun record in step with the Prefect run: started, completed, failed.

Plain functions, not tasks: they are bookkeeping, and each task run costs Prefect API calls.
"""

from typing import Any

from prefect.runtime import flow_run

from governance.flowruns.services import (
    flowrun_mark_completed,
    flowrun_mark_failed,
    flowrun_mark_running,
)


def record_start(run_id: int) -> bool:
    """Mark the record running and store Prefect's flow-run id on it; False if this Prefect run
    is an attempt the record no longer follows (it was handed over again), which must stop."""
    return flowrun_mark_running(run_id=run_id, prefect_flow_run_id=flow_run.get_id())


def record_result(run_id: int, result: dict[str, Any]) -> None:
    """Store the flow's summary and mark the record completed."""
    flowrun_mark_completed(run_id=run_id, result=result)


def record_failure(flow: Any, prefect_run: Any, state: Any) -> None:
    """Prefect state hook (on_failure): mark the record failed with the reason.

    Not on_crashed: a crash is the worker's loss, not the flow's failure; the dispatcher's
    reconciliation queues such a run again (governance/workflows.py)."""
    flowrun_mark_failed(
        run_id=prefect_run.parameters["run_id"],
        error=str(state.message or state),
        prefect_flow_run_id=prefect_run.id,
    )
