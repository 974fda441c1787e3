"""Endpoints for budgets, forecast scenarios and forecasts; handlers only translate HTTP."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Path, Query, Router, Status

from governance.flowruns.schemas import FlowRunOut
from governance.forecasts import pipeline, selectors, services
from governance.forecasts.charts import render_forecast_chart
from governance.forecasts.exports import forecast_csv, forecast_xlsx
from governance.forecasts.models import Budget, ForecastResult, ForecastScenario
from governance.forecasts.schemas import (
    BudgetIn,
    BudgetOut,
    BudgetPatchIn,
    ForecastOut,
    ForecastSummaryOut,
    LiveForecastOut,
    LiveNationalOut,
    LiveRunIn,
    ScenarioCopyIn,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatchIn,
    SolveFeeIn,
    SolveFeeOut,
)
from governance.hubs.models import Hub
from governance.lifecycle.api import add_transition_routes
from governance.permissions import require_permission

hub_router = Router(tags=["forecasts"])
budget_router = Router(tags=["forecasts"])
scenario_router = Router(tags=["forecasts"])
forecast_router = Router(tags=["forecasts"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _budget_fields(payload: BudgetIn | BudgetPatchIn) -> dict:
    return payload.dict(exclude_unset=True)


def _budget(budget_id: int) -> Budget:
    return get_object_or_404(selectors.budgets_with_facts(), pk=budget_id)


def _readable_hub(request: HttpRequest, hub_id: int, permission: str) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    require_permission(request.user, permission, hub)
    return hub


def _readable_result(request: HttpRequest, result_id: int) -> ForecastResult:
    result = get_object_or_404(ForecastResult.objects.select_related("hub"), pk=result_id)
    require_permission(request.user, "forecasts.view_forecast", result)
    return result


@hub_router.get("/budgets", response=list[BudgetOut])
def list_hub_budgets(request: HttpRequest, hub_id: Path[int]) -> list[Budget]:
    """The hub's budget versions, newest year and version first."""
    _readable_hub(request, hub_id, "forecasts.view_budget")
    return list(selectors.budgets_with_facts().filter(hub=hub_id))


@hub_router.post("/budgets", response={201: BudgetOut})
def create_hub_budget(request: HttpRequest, hub_id: Path[int], payload: BudgetIn) -> Status:
    """A draft version of the hub's budget for a year, with its cost and financing lines."""
    get_object_or_404(Hub, pk=hub_id)
    budget = services.budget_create(actor=request.user, hub_id=hub_id, **_budget_fields(payload))
    return Status(201, _budget(budget.pk))


@hub_router.get("/forecast-scenarios", response=list[ScenarioOut])
def list_hub_scenarios(request: HttpRequest, hub_id: Path[int]) -> list[ForecastScenario]:
    """The hub's saved scenarios, the current one (saved last) first."""
    _readable_hub(request, hub_id, "forecasts.view_forecast")
    return list(selectors.scenarios_for_hub(hub_id))


@hub_router.post("/forecast-scenarios", response={201: ScenarioOut})
def create_hub_scenario(request: HttpRequest, hub_id: Path[int], payload: ScenarioIn) -> Status:
    """Save a scenario; without ``inputs`` it starts from the hub's budget and fees."""
    get_object_or_404(Hub, pk=hub_id)
    inputs = payload.inputs.engine_values() if payload.inputs else None
    scenario = services.scenario_create(
        actor=request.user, hub_id=hub_id, name=payload.name, inputs=inputs
    )
    return Status(201, scenario)


@budget_router.get("/national", response=list[BudgetOut])
def list_national_budgets(request: HttpRequest) -> list[Budget]:
    """The national node's budget versions (its shared resources)."""
    require_permission(request.user, "forecasts.view_national")
    return list(selectors.budgets_with_facts().filter(hub__isnull=True))


@budget_router.post("/national", response={201: BudgetOut})
def create_national_budget(request: HttpRequest, payload: BudgetIn) -> Status:
    budget = services.budget_create(actor=request.user, hub_id=None, **_budget_fields(payload))
    return Status(201, _budget(budget.pk))


@budget_router.get("/{int:budget_id}", response=BudgetOut)
def get_budget(request: HttpRequest, budget_id: int) -> Budget:
    budget = _budget(budget_id)
    require_permission(request.user, "forecasts.view_budget", budget)
    return budget


@budget_router.patch("/{int:budget_id}", response=BudgetOut)
def update_budget(request: HttpRequest, budget_id: int, payload: BudgetPatchIn) -> Budget:
    """Change a draft; ``lines`` replaces every line. An adopted budget answers 409."""
    get_object_or_404(Budget, pk=budget_id)
    services.budget_update(actor=request.user, budget_id=budget_id, **_budget_fields(payload))
    return _budget(budget_id)


add_transition_routes(
    budget_router,
    selectors.budgets_with_facts,
    view_permission="forecasts.view_budget",
    run=services.budget_transition,
)


def _scenario(request: HttpRequest, scenario_id: int) -> ForecastScenario:
    scenario = get_object_or_404(ForecastScenario, pk=scenario_id)
    require_permission(request.user, "forecasts.view_forecast", scenario)
    return scenario


@scenario_router.get("/{int:scenario_id}", response=ScenarioOut)
def get_scenario(request: HttpRequest, scenario_id: int) -> ForecastScenario:
    return _scenario(request, scenario_id)


@scenario_router.patch("/{int:scenario_id}", response=ScenarioOut)
def update_scenario(
    request: HttpRequest, scenario_id: int, payload: ScenarioPatchIn
) -> ForecastScenario:
    """Rename a scenario or replace its inputs (``inputs`` whole)."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    inputs = payload.inputs.engine_values() if payload.inputs else None
    return services.scenario_update(
        actor=request.user, scenario_id=scenario_id, name=payload.name, inputs=inputs
    )


@scenario_router.delete("/{int:scenario_id}", response={204: None})
def delete_scenario(request: HttpRequest, scenario_id: int) -> Status:
    get_object_or_404(ForecastScenario, pk=scenario_id)
    services.scenario_delete(actor=request.user, scenario_id=scenario_id)
    return Status(204, None)


@scenario_router.post("/{int:scenario_id}/copy", response={201: ScenarioOut})
def copy_scenario(
    request: HttpRequest, scenario_id: int, payload: ScenarioCopyIn | None = None
) -> Status:
    """A new scenario with the same inputs, to vary."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    name = payload.name if payload else None
    return Status(
        201, services.scenario_copy(actor=request.user, scenario_id=scenario_id, name=name)
    )


@scenario_router.post("/{int:scenario_id}/run", response={202: FlowRunOut})
def run_scenario(request: HttpRequest, scenario_id: int) -> Status:
    """Start the forecast flow; poll the flow run, then read the result it names."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    return Status(202, services.forecast_run_request(actor=request.user, scenario_id=scenario_id))


@forecast_router.get("/national", response=list[ForecastSummaryOut])
def national_forecasts(request: HttpRequest) -> list[ForecastResult]:
    """Every hub's latest forecast of its current scenario: break-even and payback month and
    liquidity need."""
    require_permission(request.user, "forecasts.view_national")
    return list(selectors.latest_results_by_hub())


@forecast_router.post("/national/run", response={202: FlowRunOut})
def run_national_forecasts(request: HttpRequest) -> Status:
    """Forecast every hub's current scenario in one batched engine call."""
    return Status(202, services.forecast_national_run_request(actor=request.user))


@forecast_router.get("/live", response=LiveForecastOut)
def live_forecast(request: HttpRequest, hub: Query[int]) -> ForecastResult:
    """The hub's latest live forecast (``?hub=``): fee revenue from its agreements, weighted by
    state, then the scenario's ramp; with the pipeline, probabilities and day it read. 404
    until one has been computed."""
    _readable_hub(request, hub, "forecasts.view_live_forecast")
    result = pipeline.latest_live_result(hub)
    if result is None:
        raise Http404("No live forecast yet.")
    return result


@forecast_router.post("/live/run", response={202: FlowRunOut})
def run_live_forecast(request: HttpRequest, payload: LiveRunIn) -> Status:
    """Compute the hub's live forecast now; 409 ``no_scenario`` when it has no scenario."""
    get_object_or_404(Hub, pk=payload.hub_id)
    return Status(
        202, services.live_forecast_run_request(actor=request.user, hub_id=payload.hub_id)
    )


@forecast_router.get("/live/national", response=LiveNationalOut)
def live_national(request: HttpRequest) -> dict:
    """The national live total: every hub's latest live forecast summed by month (revenue,
    cost, net, cumulative cash), and each hub's break-even and payback."""
    require_permission(request.user, "forecasts.view_national_live")
    return pipeline.national_live_sum()


@forecast_router.get("/compare", response=list[ForecastOut])
def compare_forecasts(request: HttpRequest, ids: Query[list[int]]) -> list[ForecastResult]:
    """Several results side by side (``?ids=1&ids=2``), in the order asked."""
    return [_readable_result(request, result_id) for result_id in ids[:10]]


@forecast_router.post("/solve-fee", response=SolveFeeOut)
def solve_fee(request: HttpRequest, payload: SolveFeeIn) -> object:
    """The fee level at which the hub breaks even at steady state, and the members needed at
    the current fees (answered directly: it is fast)."""
    require_permission(request.user, "forecasts.solve_fee")
    return selectors.fee_solution(payload.inputs.engine_values(), count_grants=payload.count_grants)


@forecast_router.get("/{int:result_id}", response=ForecastOut)
def get_forecast(request: HttpRequest, result_id: int) -> ForecastResult:
    """A result: its key figures, inputs, monthly rows and sensitivity table."""
    return _readable_result(request, result_id)


@forecast_router.get("/{int:result_id}/chart.png")
def forecast_chart(request: HttpRequest, result_id: int) -> HttpResponse:
    """The result's chart, its words in the reader's language."""
    result = _readable_result(request, result_id)
    language = translation.get_language() or "sv"
    png = bytes(result.chart_png) if language.startswith("sv") and result.chart_png else None
    if png is None:
        png = render_forecast_chart(
            result.months,
            title=f"{result.hub.name}: {result.scenario_name}",
            break_even_month=result.break_even_month,
            payback_month=result.payback_month,
            language=language,
        )
    return HttpResponse(png, content_type="image/png")


@forecast_router.get("/{int:result_id}/export.csv")
def forecast_export_csv(request: HttpRequest, result_id: int) -> HttpResponse:
    result = _readable_result(request, result_id)
    response = HttpResponse(forecast_csv(result.months), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prognos-{result.pk}.csv"'
    return response


@forecast_router.get("/{int:result_id}/export.xlsx")
def forecast_export_xlsx(request: HttpRequest, result_id: int) -> HttpResponse:
    result = _readable_result(request, result_id)
    response = HttpResponse(forecast_xlsx(result.months), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="prognos-{result.pk}.xlsx"'
    return response
