"""The forecasts' web pages: a hub's scenarios and their latest forecasts, a forecast with its
chart, a hub's live forecast with its pipeline, and the national tables (planned and live).
They ask the same rules and call the same services and selectors as the API."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.errors import ConflictError
from governance.forecasts import pipeline, selectors, services
from governance.forecasts.models import ForecastResult, ForecastScenario
from governance.hubs.models import Hub


def _require(request: HttpRequest, permission: str, obj: object = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def hub_forecasts(request: HttpRequest, hub_id: int) -> HttpResponse:
    """A hub's scenarios, the current one first, each with its latest forecast."""
    hub = get_object_or_404(Hub, pk=hub_id)
    _require(request, "forecasts.view_forecast", hub)
    return render(
        request,
        "forecasts/hub.html",
        {
            "hub": hub,
            "rows": selectors.scenarios_with_latest_result(hub_id),
            "may_edit": request.user.has_perm("forecasts.edit_forecast", hub),
        },
    )


@require_POST
def run_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Start the forecast flow and follow it on the flow run's page."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    run = services.forecast_run_request(actor=request.user, scenario_id=scenario_id)
    return redirect("web:flow_run", run_id=run.pk)


def forecast_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    """One forecast: key figures, chart, sensitivity table and downloads."""
    result = get_object_or_404(ForecastResult.objects.select_related("hub"), pk=result_id)
    _require(request, "forecasts.view_forecast", result)
    sensitivity = [
        {**row, "label": _sensitivity_label(row["driver"], row["change"])}
        for row in result.sensitivity
    ]
    return render(request, "forecasts/result.html", {"result": result, "sensitivity": sensitivity})


def _sensitivity_label(driver: str, change: float) -> str:
    labels = {
        "base": _("Som scenariot"),
        "members": _("Medlemmar"),
        "fees": _("Avgifter"),
        "rent": _("Hyra"),
        "staff": _("Personal"),
    }
    if driver == "base":
        return labels[driver]
    return f"{labels[driver]} {round(change * 100):+d} %"


def compare(request: HttpRequest) -> HttpResponse:
    """Forecasts side by side (``?ids=1&ids=2``): key figures and charts."""
    try:
        ids = [int(value) for value in request.GET.getlist("ids")][:4]
    except ValueError as error:
        raise Http404 from error
    results = [get_object_or_404(ForecastResult.objects.select_related("hub"), pk=pk) for pk in ids]
    for result in results:
        _require(request, "forecasts.view_forecast", result)
    return render(request, "forecasts/compare.html", {"results": results})


def fee_level(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The fee solver on a saved scenario: the ladder that breaks even at steady state and the
    member organisations needed at the current fees."""
    scenario = get_object_or_404(ForecastScenario.objects.select_related("hub"), pk=scenario_id)
    _require(request, "forecasts.view_forecast", scenario)
    solution = selectors.fee_solution(scenario.inputs, count_grants=False)
    tiers = scenario.inputs["fee_tiers"]
    ladder = [
        {"now": tier["yearly_fee"], "members": tier["members"], "needed": needed}
        for tier, needed in zip(tiers, solution.ladder or [None] * len(tiers), strict=True)
    ]
    return render(
        request,
        "forecasts/fee_level.html",
        {"scenario": scenario, "solution": solution, "ladder": ladder},
    )


def national(request: HttpRequest) -> HttpResponse:
    """Every hub's latest forecast of its current scenario (the coordinator's)."""
    _require(request, "forecasts.view_national")
    live = pipeline.national_live_sum()
    return render(
        request,
        "forecasts/national.html",
        {
            "rows": selectors.latest_results_by_hub(),
            "live_hubs": live["hubs"],
            "live_years": pipeline.yearly_totals(live["months"]),
        },
    )


def live_forecast(request: HttpRequest, hub_id: int) -> HttpResponse:
    """A hub's live forecast: key figures, chart and the pipeline of agreements it read."""
    hub = get_object_or_404(Hub, pk=hub_id)
    _require(request, "forecasts.view_live_forecast", hub)
    result = pipeline.latest_live_result(hub_id)
    return render(
        request,
        "forecasts/live.html",
        {
            "hub": hub,
            "result": result,
            "agreements": pipeline.pipeline_table(result) if result else [],
            "changed_since": pipeline.live_changed_since(hub_id),
            "may_run": request.user.has_perm("forecasts.run_live_forecast", hub),
        },
    )


@require_POST
def run_live_forecast(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Compute the hub's live forecast now and follow it on the flow run's page."""
    get_object_or_404(Hub, pk=hub_id)
    try:
        run = services.live_forecast_run_request(actor=request.user, hub_id=hub_id)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect("web:forecasts:live", hub_id=hub_id)
    return redirect("web:flow_run", run_id=run.pk)
