"""The forecasts' web pages: a hub's scenarios and their latest forecasts, the scenario form,
a run's progress, a forecast with its chart, the fee solver, a hub's live forecast with its
pipeline, and the national tables (planned and live). They ask the same rules and call the same
services and selectors as the API; the forms (forms.py) check what was typed with the API's own
schemas."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.errors import ConflictError
from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun
from governance.forecasts import engine, pipeline, selectors, services
from governance.forecasts.forms import FeeSolverForm, ScenarioForm
from governance.forecasts.models import ForecastResult, ForecastScenario
from governance.hubs.models import Hub
from governance.web.registry import OverviewCell, OverviewColumn


def _require(request: HttpRequest, permission: str, obj: object = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
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
            "may_solve": request.user.has_perm("forecasts.solve_fee"),
        },
    )


def _scenario_page(
    request: HttpRequest,
    *,
    hub: Hub,
    form: ScenarioForm,
    scenario: ForecastScenario | None = None,
    may_edit: bool,
) -> HttpResponse:
    latest = scenario.results.order_by("-computed_at", "-pk").first() if scenario else None
    if not may_edit:
        form.extra_rows = 0
    return render(
        request,
        "forecasts/scenario_form.html",
        {
            "hub": hub,
            "scenario": scenario,
            "form": form,
            "may_edit": may_edit,
            "readonly": not may_edit,
            "may_solve": request.user.has_perm("forecasts.solve_fee"),
            "latest": latest,
        },
    )


@login_required
def scenario_create(request: HttpRequest, hub_id: int) -> HttpResponse:
    """A new scenario for a hub, its inputs filled in from the hub's budget and fee schedule in
    force (``selectors.scenario_defaults``, as the API's create without inputs)."""
    hub = get_object_or_404(Hub, pk=hub_id)
    _require(request, "forecasts.edit_forecast", hub)
    if request.method != "POST":
        form = ScenarioForm(initial=selectors.scenario_defaults(hub))
        return _scenario_page(request, hub=hub, form=form, may_edit=True)
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            scenario = services.scenario_create(
                actor=request.user,
                hub_id=hub.pk,
                name=form.cleaned.name,
                inputs=form.cleaned.inputs.engine_values(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Scenariot är sparat. Beräkna prognosen när du vill."))
            return redirect("web:forecasts:scenario", scenario_id=scenario.pk)
    return _scenario_page(request, hub=hub, form=form, may_edit=True)


@login_required
def scenario_edit(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """A scenario's inputs: those who may edit change them and run the forecast, the hub's
    readers see them."""
    scenario = get_object_or_404(ForecastScenario.objects.select_related("hub"), pk=scenario_id)
    _require(request, "forecasts.view_forecast", scenario)
    may_edit = request.user.has_perm("forecasts.edit_forecast", scenario)
    if request.method != "POST":
        form = ScenarioForm(initial=scenario.inputs, name=scenario.name)
        return _scenario_page(
            request, hub=scenario.hub, form=form, scenario=scenario, may_edit=may_edit
        )
    if not may_edit:
        raise PermissionDenied
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_update(
                actor=request.user,
                scenario_id=scenario.pk,
                name=form.cleaned.name,
                inputs=form.cleaned.inputs.engine_values(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Ändringarna är sparade. Beräkna prognosen på nytt."))
            return redirect("web:forecasts:scenario", scenario_id=scenario.pk)
    return _scenario_page(request, hub=scenario.hub, form=form, scenario=scenario, may_edit=True)


@login_required
@require_POST
def scenario_copy(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """A copy of a scenario to vary, opened in the form."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    copy = services.scenario_copy(actor=request.user, scenario_id=scenario_id)
    messages.success(request, _("Scenariot är kopierat. Ändra kopian och spara."))
    return redirect("web:forecasts:scenario", scenario_id=copy.pk)


@login_required
@require_POST
def run_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Start the forecast flow and follow it on the run's page."""
    get_object_or_404(ForecastScenario, pk=scenario_id)
    run = services.forecast_run_request(actor=request.user, scenario_id=scenario_id)
    return redirect("web:forecasts:run_progress", run_id=run.pk)


@login_required
@require_POST
def run_national(request: HttpRequest) -> HttpResponse:
    """Forecast every hub's current scenario in one batch and follow the run."""
    run = services.forecast_national_run_request(actor=request.user)
    return redirect("web:forecasts:run_progress", run_id=run.pk)


@login_required
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """A forecast run's progress (the flow run's status, asked again until it ends), then its
    forecast: a run of one scenario opens the result once it is stored."""
    run = get_object_or_404(FlowRun, pk=run_id, flow_name=services.FORECAST_FLOW)
    _require(request, "flowruns.view_flowrun", run)
    result_ids = (run.result or {}).get("result_ids") or []
    page = reverse("web:forecasts:run_progress", args=[run.pk])
    if run.state == FlowRunState.COMPLETED and (len(result_ids) == 1 or request.htmx):
        # Done: one forecast opens at once; several are listed on this page, drawn whole.
        target = (
            reverse("web:forecasts:detail", args=[result_ids[0]]) if len(result_ids) == 1 else page
        )
        if request.htmx:
            response = HttpResponse()
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    context: dict[str, Any] = {
        "run": run,
        "finished": run.state in {FlowRunState.COMPLETED, FlowRunState.FAILED},
        "state_label": run.get_state_display(),
        "poll_url": page,
        "results": ForecastResult.objects.filter(pk__in=result_ids).select_related("hub"),
    }
    template = "web/partials/flow_run_status.html" if request.htmx else "forecasts/run.html"
    return render(request, template, context)


@login_required
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
    # Swedish writes a minus sign and a space before the per cent sign, kept on one line.
    percent = f"{round(change * 100):+d}".replace("-", "\u2212")
    return f"{labels[driver]} {percent}\xa0%"


@login_required
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


def _ladder(tiers: list[dict[str, Any]], solution: engine.FeeSolution) -> list[dict[str, Any]]:
    """Each tier's fee now and the fee that breaks even, beside its members."""
    return [
        {"now": tier["yearly_fee"], "members": tier["members"], "needed": needed}
        for tier, needed in zip(tiers, solution.ladder or [None] * len(tiers), strict=True)
    ]


@login_required
def fee_level(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The fee solver on a saved scenario: the ladder that breaks even at steady state and the
    member organisations needed at the current fees."""
    scenario = get_object_or_404(ForecastScenario.objects.select_related("hub"), pk=scenario_id)
    _require(request, "forecasts.view_forecast", scenario)
    solution = selectors.fee_solution(scenario.inputs, count_grants=False)
    return render(
        request,
        "forecasts/fee_level.html",
        {
            "scenario": scenario,
            "solution": solution,
            "ladder": _ladder(scenario.inputs["fee_tiers"], solution),
            "may_solve": request.user.has_perm("forecasts.solve_fee"),
        },
    )


def _solver_start(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The inputs the solver starts from and what they are: a saved scenario
    (``?scenario=``), a hub's defaults from its budget and fees (``?hub=``), or the engine's
    defaults with an empty ladder. Reading a scenario or hub takes the right to read it."""
    try:
        scenario_id = int(request.GET.get("scenario", 0))
        hub_id = int(request.GET.get("hub", 0))
    except ValueError as error:
        raise Http404 from error
    if scenario_id:
        scenario = get_object_or_404(ForecastScenario.objects.select_related("hub"), pk=scenario_id)
        _require(request, "forecasts.view_forecast", scenario)
        start = _("Från scenariot %(name)s (%(hub)s).")
        return scenario.inputs, start % {"name": scenario.name, "hub": scenario.hub.name}
    if hub_id:
        hub = get_object_or_404(Hub, pk=hub_id)
        _require(request, "forecasts.view_forecast", hub)
        start = _("Från budgeten och avgifterna som gäller för %(hub)s.")
        return selectors.scenario_defaults(hub), start % {"hub": hub.name}
    return engine.Scenario(fee_tiers=()).to_dict(), ""


@login_required
def fee_solver(request: HttpRequest) -> HttpResponse:
    """The fee solver on inputs typed in (or started from a scenario or a hub's budget): the
    fee level that breaks even at steady state and the members needed at the current fees,
    answered at once (the solver is fast). Checked as ``POST /api/forecasts/solve-fee``."""
    _require(request, "forecasts.solve_fee")
    solution = ladder = None
    if request.method == "POST":
        form = FeeSolverForm(request.POST)
        started_from = ""
        if form.is_valid():
            values = form.cleaned.inputs.engine_values()
            try:
                solution = selectors.fee_solution(values, count_grants=form.count_grants)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                ladder = _ladder(values["fee_tiers"], solution)
    else:
        initial, started_from = _solver_start(request)
        form = FeeSolverForm(initial=initial)
    return render(
        request,
        "forecasts/fee_solver.html",
        {"form": form, "solution": solution, "ladder": ladder, "started_from": started_from},
    )


@login_required
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


def overview_break_even_column(request: HttpRequest, hub_ids: list[int]) -> OverviewColumn | None:
    """The national overview's break-even column (``ForecastsConfig.web_overview_columns``):
    each hub's break-even month from the latest forecast of its current scenario, "aldrig"
    when it never breaks even within the horizon, "—" when it has no forecast yet. The
    coordinator's, as the national forecast table is."""
    if not request.user.has_perm("forecasts.view_national"):
        return None
    cells = {
        result.hub_id: OverviewCell(
            text=date_format(result.break_even_on, "F Y") if result.break_even_on else _("aldrig"),
            href=reverse("web:forecasts:detail", args=[result.pk]),
        )
        for result in selectors.latest_results_by_hub().filter(hub__in=hub_ids)
    }
    return OverviewColumn(title=_("Break even"), cells=cells)
