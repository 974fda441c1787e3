"""The break-even forecast flow."""

from typing import Any

from prefect import flow, task

from flows.tracking import record_failure, record_result, record_start
from governance.audit.context import acting_for_flow_run
from governance.forecasts.selectors import current_scenario_ids
from governance.forecasts.services import forecasts_compute


@task
def scenarios_to_forecast(scenario_id: int | None) -> list[int]:
    """The one scenario asked for, or every hub's current scenario."""
    return [scenario_id] if scenario_id is not None else current_scenario_ids()


@task
def compute_and_store(scenario_ids: list[int], run_id: int) -> dict[str, Any]:
    """One batched engine call; a stored result and chart per scenario."""
    results = forecasts_compute(scenario_ids=scenario_ids, flow_run_id=run_id)
    return {
        "result_ids": [result.pk for result in results],
        "break_even_months": {str(r.hub_id): r.break_even_month for r in results},
    }


@flow(name="run-break-even-forecast", on_failure=[record_failure])
def run_break_even_forecast(run_id: int, scenario_id: int | None = None) -> None:
    """Forecast one scenario, or every hub's current scenario in one batch."""
    with acting_for_flow_run(run_id):
        if record_start(run_id):
            record_result(run_id, compute_and_store(scenarios_to_forecast(scenario_id), run_id))
