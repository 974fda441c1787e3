"""Every write to budgets, scenarios and forecast results, each checked against rules.py and
audited in the same transaction. Forecasts are computed by the engine in one batch and stored
with the exact inputs and engine version they came from."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import Changes, audit_changes, audit_record
from governance.errors import ConflictError
from governance.flowruns.choices import WAITING_STATES, FlowRunState
from governance.flowruns.models import FlowRun
from governance.forecasts import engine
from governance.forecasts.charts import render_forecast_chart
from governance.forecasts.choices import BudgetLineCategory, BudgetState
from governance.forecasts.models import (
    Budget,
    BudgetLine,
    ForecastResult,
    ForecastScenario,
    LiveForecastDemand,
)
from governance.forecasts.pipeline import hub_pipelines, state_probabilities
from governance.forecasts.selectors import (
    budgets_with_facts,
    current_scenario_ids,
    scenario_defaults,
    scenario_inputs_checked,
)
from governance.hubs.models import Hub
from governance.lifecycle import versions
from governance.lifecycle.services import transition_run
from governance.memberships.models import Agreement
from governance.permissions import require_permission
from governance.workflows import dispatch
from governance.writes import model_create, model_update

BUDGET_EDITABLE_FIELDS = ["agreed_on", "decision_reference", "note"]
FORECAST_FLOW = "run_break_even_forecast"
LIVE_FLOW = "run_live_forecast"


def _hub_or_none(hub_id: int | None) -> Hub | None:
    if hub_id is None:
        return None
    try:
        return Hub.objects.select_for_update().get(pk=hub_id)
    except Hub.DoesNotExist as error:
        raise ValidationError({"hub_id": _("Det finns ingen hubb med detta id.")}) from error


def _lines_replace(budget: Budget, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for index, line in enumerate(lines):
        if line["category"] not in BudgetLineCategory.values:
            raise ValidationError({f"lines.{index}.category": _("Okänd kategori.")})
    budget.lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            budget=budget,
            position=position,
            category=line["category"],
            amount_sek=line["amount_sek"],
            note=line.get("note", ""),
        )
        for position, line in enumerate(lines)
    )
    return [
        {
            "category": line["category"],
            "amount_sek": line["amount_sek"],
            "note": line.get("note", ""),
        }
        for line in lines
    ]


def _lines_audited(budget: Budget) -> list[dict[str, Any]]:
    return [
        {"category": line.category, "amount_sek": line.amount_sek, "note": line.note}
        for line in budget.lines.all()
    ]


@transaction.atomic
def budget_create(
    *,
    actor: User,
    hub_id: int | None,
    year: int,
    lines: list[dict[str, Any]],
    agreed_by: Iterable[int] = (),
    **fields: Any,
) -> Budget:
    """A new draft version of a hub's budget for ``year`` (``hub_id=None``: the national
    node's)."""
    hub = _hub_or_none(hub_id)
    require_permission(actor, "forecasts.edit_budget", hub)
    agreeing = versions.organisations_checked(agreed_by)
    version = versions.next_version(Budget, hub=hub, year=year)
    budget, changes = model_create(
        Budget,
        data={**fields, "hub": hub.pk if hub else None, "year": year, "version": version},
        fields=[*BUDGET_EDITABLE_FIELDS, "hub", "year", "version"],
    )
    stored_lines = _lines_replace(budget, lines)
    budget.agreed_by.set(agreeing)
    changes.after.update(lines=stored_lines, agreed_by=[o.pk for o in agreeing])
    audit_changes(actor=actor, verb="created", target=budget, changes=changes)
    return budget


@transaction.atomic
def budget_update(
    *,
    actor: User,
    budget_id: int,
    lines: list[dict[str, Any]] | None = None,
    agreed_by: Iterable[int] | None = None,
    **fields: Any,
) -> Budget:
    """Change a draft; an adopted version never changes (409)."""
    budget = Budget.objects.select_for_update().get(pk=budget_id)
    require_permission(actor, "forecasts.edit_budget", budget)
    versions.require_draft(
        budget, _("Bara ett utkast kan ändras; en fastställd budget ändras aldrig.")
    )
    changes = model_update(budget, data=fields, fields=BUDGET_EDITABLE_FIELDS)
    before, after = dict(changes.before or {}), dict(changes.after)
    if lines is not None:
        old_lines = _lines_audited(budget)
        new_lines = _lines_replace(budget, lines)
        if old_lines != new_lines:
            before["lines"], after["lines"] = old_lines, new_lines
    if agreed_by is not None:
        versions.agreed_by_set(budget, versions.organisations_checked(agreed_by), before, after)
    audit_changes(
        actor=actor, verb="updated", target=budget, changes=Changes(before=before, after=after)
    )
    return budget


@transaction.atomic
def budget_transition(*, actor: User, budget_id: int, name: str, comment: str = "") -> Budget:
    """Run one transition; adopting a version supersedes the year's earlier adopted ones."""
    budget = transition_run(
        budgets_with_facts(), pk=budget_id, name=name, actor=actor, comment=comment
    )
    if name == "adopt":
        replaced = Budget.objects.filter(
            hub=budget.hub_id,
            year=budget.year,
            state=BudgetState.ADOPTED,
            version__lt=budget.version,
        )
        versions.supersede_replaced(budgets_with_facts, replaced, by=budget, actor=actor)
    return budget


@transaction.atomic
def scenario_create(
    *, actor: User, hub_id: int, name: str, inputs: dict[str, Any] | None = None
) -> ForecastScenario:
    """Save a scenario for a hub; without inputs, the defaults from its budget and fees."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "forecasts.edit_forecast", hub)
    values = scenario_inputs_checked(inputs if inputs is not None else scenario_defaults(hub))
    scenario, changes = model_create(
        ForecastScenario,
        data={"hub": hub.pk, "name": name, "inputs": values},
        fields=["hub", "name", "inputs"],
    )
    audit_changes(actor=actor, verb="created", target=scenario, changes=changes)
    return scenario


@transaction.atomic
def scenario_update(
    *, actor: User, scenario_id: int, name: str | None = None, inputs: dict[str, Any] | None = None
) -> ForecastScenario:
    """Change a scenario's name or inputs; results already computed keep their own inputs."""
    scenario = ForecastScenario.objects.select_for_update().get(pk=scenario_id)
    require_permission(actor, "forecasts.edit_forecast", scenario)
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = name
    if inputs is not None:
        data["inputs"] = scenario_inputs_checked(inputs)
    changes = model_update(scenario, data=data, fields=["name", "inputs"])
    audit_changes(actor=actor, verb="updated", target=scenario, changes=changes)
    return scenario


@transaction.atomic
def scenario_copy(*, actor: User, scenario_id: int, name: str | None = None) -> ForecastScenario:
    """A new scenario of the same hub with the same inputs, to vary."""
    original = ForecastScenario.objects.get(pk=scenario_id)
    require_permission(actor, "forecasts.edit_forecast", original)
    copy_name = name or _("Kopia av %(name)s") % {"name": original.name}
    return scenario_create(
        actor=actor, hub_id=original.hub_id, name=copy_name[:200], inputs=original.inputs
    )


@transaction.atomic
def scenario_delete(*, actor: User, scenario_id: int) -> None:
    """Delete a scenario; its results stay, with their inputs."""
    scenario = ForecastScenario.objects.select_for_update().get(pk=scenario_id)
    require_permission(actor, "forecasts.edit_forecast", scenario)
    audit_record(actor=actor, verb="deleted", target=scenario, before={"name": scenario.name})
    scenario.delete()


def forecast_run_request(*, actor: User, scenario_id: int) -> FlowRun:
    """Start the forecast flow for one scenario (202 with the flow-run record)."""
    scenario = ForecastScenario.objects.get(pk=scenario_id)
    require_permission(actor, "forecasts.edit_forecast", scenario)
    return dispatch(FORECAST_FLOW, requested_by=actor, scenario_id=scenario_id)


def forecast_national_run_request(*, actor: User) -> FlowRun:
    """Start the forecast flow for every hub's current scenario, in one batch."""
    require_permission(actor, "forecasts.view_national")
    return dispatch(FORECAST_FLOW, requested_by=actor, scenario_id=None)


def _stored_months(frame: Any) -> list[dict[str, Any]]:
    rows = frame.assign(calendar_month=frame["calendar_month"].dt.strftime("%Y-%m-%d"))
    rows["phase"] = rows["phase"].astype(str)
    money = [c for c in rows.columns if c.startswith(("revenue_", "cost_")) or "net" in c]
    rows[[*money, "cumulative_cash"]] = rows[[*money, "cumulative_cash"]].round().astype(int)
    return rows.to_dict(orient="records")


def _result_store(
    scenario: ForecastScenario,
    values: engine.Scenario,
    answer: engine.Forecast,
    *,
    flow_run_id: int | None,
    title: str,
    pipeline: engine.Pipeline | None = None,
    live_inputs: dict[str, Any] | None = None,
) -> ForecastResult:
    """Store one answer with its inputs, sensitivity table and chart, audited."""
    months = _stored_months(answer.months)
    sensitivity = engine.sensitivity_table(values, pipeline).astype(object)
    result = ForecastResult.objects.create(
        scenario=scenario,
        hub=scenario.hub,
        scenario_name=scenario.name,
        inputs=scenario.inputs,
        engine_version=answer.engine_version,
        flow_run_id=flow_run_id,
        break_even_month=answer.break_even_month,
        payback_month=answer.payback_month,
        peak_liquidity_need_sek=round(answer.peak_liquidity_need),
        lowest_cash_month=answer.lowest_cash_month,
        months=months,
        sensitivity=sensitivity.where(sensitivity.notna(), None).to_dict(orient="records"),
        chart_png=render_forecast_chart(
            months,
            title=title,
            break_even_month=answer.break_even_month,
            payback_month=answer.payback_month,
        ),
        is_live=live_inputs is not None,
        live_inputs=live_inputs,
    )
    audit_record(
        actor=None,
        verb="live_forecast_computed" if result.is_live else "forecast_computed",
        target=result,
        after={
            "scenario": scenario.pk,
            "break_even_month": result.break_even_month,
            "payback_month": result.payback_month,
            "peak_liquidity_need_sek": result.peak_liquidity_need_sek,
        },
    )
    return result


@transaction.atomic
def forecasts_compute(
    *, scenario_ids: list[int], flow_run_id: int | None = None
) -> list[ForecastResult]:
    """Compute the scenarios in one engine call and store a result with its chart for each, in
    the order asked (a scenario deleted meanwhile is left out)."""
    found = ForecastScenario.objects.filter(pk__in=scenario_ids).select_related("hub").in_bulk()
    scenarios = [found[pk] for pk in dict.fromkeys(scenario_ids) if pk in found]
    inputs = [engine.Scenario.from_dict(scenario.inputs) for scenario in scenarios]
    answers = engine.forecast_many(inputs)
    return [
        _result_store(
            scenario,
            values,
            answer,
            flow_run_id=flow_run_id,
            title=f"{scenario.hub.name}: {scenario.name}",
        )
        for scenario, values, answer in zip(scenarios, inputs, answers, strict=True)
    ]


# --- Live forecasts (README "Live forecast") ----------------------------------------------


@transaction.atomic
def live_forecasts_compute(
    *, today: date, hub_ids: list[int] | None = None, flow_run_id: int | None = None
) -> list[ForecastResult]:
    """The live forecast of each hub asked for (every hub with a scenario when ``None``) on
    ``today``, in one engine call: its current scenario's costs and ramp, its pipeline of
    agreements (governance/forecasts/pipeline.py); stored with the pipeline read, the
    probabilities and the day, and marked live. The hubs' waiting changes are taken as read."""
    reading_from = timezone.now()
    scenarios = ForecastScenario.objects.filter(pk__in=current_scenario_ids())
    if hub_ids is not None:
        scenarios = scenarios.filter(hub__in=hub_ids)
    current = list(scenarios.select_related("hub").order_by("hub__name"))
    # First, so that a change committed while this runs stays marked if it is not read here.
    LiveForecastDemand.objects.filter(
        hub__in=[s.hub_id for s in current], changed_since__lte=reading_from
    ).update(changed_since=None)
    inputs = {scenario.hub_id: engine.Scenario.from_dict(scenario.inputs) for scenario in current}
    pipelines = hub_pipelines(inputs, today=today)
    answers = engine.forecast_many(
        [inputs[s.hub_id] for s in current], [pipelines[s.hub_id].engine_input for s in current]
    )
    probabilities = state_probabilities()
    return [
        _result_store(
            scenario,
            inputs[scenario.hub_id],
            answer,
            flow_run_id=flow_run_id,
            title=_("%(hub)s: liveprognos (%(scenario)s)")
            % {"hub": scenario.hub.name, "scenario": scenario.name},
            pipeline=pipelines[scenario.hub_id].engine_input,
            live_inputs={
                "on": today.isoformat(),
                "probabilities": probabilities,
                **pipelines[scenario.hub_id].engine_input.to_dict(),
                "agreements": pipelines[scenario.hub_id].agreements,
            },
        )
        for scenario, answer in zip(current, answers, strict=True)
    ]


def _live_run_covering(hub_id: int, *, since: datetime) -> bool:
    """A live run of the hub that will read a change made now: one waiting to start, or one
    requested within the debounce window that has not failed."""
    runs = FlowRun.objects.filter(flow_name=LIVE_FLOW, parameters__hub_id=hub_id)
    return (
        runs.filter(state__in=WAITING_STATES).exists()
        or runs.filter(created_at__gte=since).exclude(state=FlowRunState.FAILED).exists()
    )


def live_forecast_request(
    *, hub_ids: Iterable[int], actor: User | None, reason: str
) -> list[FlowRun]:
    """Mark the hubs' live forecasts out of date and start a live run for each hub that has a
    scenario and no run covering the change (debounced: at most one a hub per
    LIVE_FORECAST_DEBOUNCE_SECONDS; a change that comes while a run is already under way within
    the window stays marked for the next one or the nightly run). The hub's mark row is locked
    first, so two changes at once start one run."""
    window = timedelta(seconds=settings.LIVE_FORECAST_DEBOUNCE_SECONDS)
    with_scenario = set(
        ForecastScenario.objects.filter(hub__in=list(hub_ids)).values_list("hub_id", flat=True)
    )
    started = []
    with transaction.atomic():
        # In hub order, so that two requests for the same hubs lock them without a deadlock.
        for hub_id in sorted(with_scenario):
            demand, _created = LiveForecastDemand.objects.select_for_update().get_or_create(
                hub_id=hub_id
            )
            now = timezone.now()
            # Bookkeeping of the debounce, not a decision: the run it starts is audited.
            demand.changed_since = demand.changed_since or now
            demand.last_change = reason[:200]
            demand.save(update_fields=["changed_since", "last_change"])
            if not _live_run_covering(hub_id, since=now - window):
                started.append(dispatch(LIVE_FLOW, requested_by=actor, hub_id=hub_id))
    return started


def live_forecast_request_for_agreement(
    *, agreement: Agreement, actor: User | None, transition: str
) -> list[FlowRun]:
    """An agreement changed state: its hub's live forecast (a national one's, every hub it has
    a locality in) is out of date."""
    hub_ids = (
        [agreement.hub_id]
        if agreement.hub_id is not None
        else list(agreement.localities.values_list("hub_id", flat=True))
    )
    return live_forecast_request(
        hub_ids=hub_ids, actor=actor, reason=f"{agreement.number}: {transition}"
    )


def live_forecast_run_request(*, actor: User, hub_id: int) -> FlowRun:
    """Start a hub's live forecast now (202 with the flow-run record); 409 without a scenario."""
    hub = Hub.objects.get(pk=hub_id)
    require_permission(actor, "forecasts.run_live_forecast", hub)
    if not ForecastScenario.objects.filter(hub=hub).exists():
        raise ConflictError(
            "no_scenario",
            _("Hubben har inget scenario: liveprognosen tar kostnader och upptrappning därifrån."),
        )
    return dispatch(LIVE_FLOW, requested_by=actor, hub_id=hub_id)
