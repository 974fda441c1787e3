"""The break-even forecast flow and the live forecast flows."""

from datetime import date
from typing import Any

from django.utils import timezone
from prefect import flow, task

from flows.tracking import record_failure, record_result, record_start, tracked_run
from governance.audit.context import acting_for_flow_run
from governance.forecasts.selectors import current_scenario_ids
from governance.forecasts.services import forecasts_compute, live_forecasts_compute


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


@task
def compute_and_store_live(hub_ids: list[int] | None, on: str | None, run_id: int) -> dict:
    """One batched engine call over the hubs' pipelines; a stored live result per hub."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    results = live_forecasts_compute(today=today, hub_ids=hub_ids, flow_run_id=run_id)
    return {
        "on": today.isoformat(),
        "result_ids": [result.pk for result in results],
        "break_even_months": {str(r.hub_id): r.break_even_month for r in results},
        "payback_months": {str(r.hub_id): r.payback_month for r in results},
    }


@flow(name="run-live-forecast", on_failure=[record_failure])
def run_live_forecast(run_id: int, hub_id: int, on: str | None = None) -> None:
    """A hub's live forecast: started, debounced, when one of its agreements changes state, or
    by a person. ``on`` (ISO date) names the day; by default today."""
    with tracked_run(run_id, "run_live_forecast") as run_id:
        if run_id is not None:
            record_result(run_id, compute_and_store_live([hub_id], on, run_id))


@flow(name="nightly-live-forecasts", on_failure=[record_failure])
def nightly_live_forecasts(run_id: int | None = None, on: str | None = None) -> None:
    """Each night (ForecastsConfig.schedules), after the agreement calendar: every hub's live
    forecast in one batched engine call (the national live view)."""
    with tracked_run(run_id, "nightly_live_forecasts") as run_id:
        if run_id is not None:
            record_result(run_id, compute_and_store_live(None, on, run_id))
