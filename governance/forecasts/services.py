"""Every write to budgets, scenarios and forecast results, each checked against rules.py and
audited in the same transaction. Forecasts are computed by the engine in one batch and stored
with the exact inputs and engine version they came from."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit.services import Changes, audit_changes, audit_record
from governance.flowruns.models import FlowRun
from governance.forecasts import engine
from governance.forecasts.charts import render_forecast_chart
from governance.forecasts.choices import BudgetLineCategory, BudgetState
from governance.forecasts.models import Budget, BudgetLine, ForecastResult, ForecastScenario
from governance.forecasts.selectors import (
    budgets_with_facts,
    scenario_defaults,
    scenario_inputs_checked,
)
from governance.hubs.models import Hub
from governance.lifecycle import versions
from governance.lifecycle.services import transition_run
from governance.permissions import require_permission
from governance.workflows import dispatch
from governance.writes import model_create, model_update

BUDGET_EDITABLE_FIELDS = ["agreed_on", "decision_reference", "note"]
FORECAST_FLOW = "run_break_even_forecast"


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
    results = []
    for scenario, values, answer in zip(scenarios, inputs, answers, strict=True):
        months = _stored_months(answer.months)
        sensitivity = engine.sensitivity_table(values).astype(object)
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
                title=f"{scenario.hub.name}: {scenario.name}",
                break_even_month=answer.break_even_month,
                payback_month=answer.payback_month,
            ),
        )
        audit_record(
            actor=None,
            verb="forecast_computed",
            target=result,
            after={
                "scenario": scenario.pk,
                "break_even_month": result.break_even_month,
                "payback_month": result.payback_month,
                "peak_liquidity_need_sek": result.peak_liquidity_need_sek,
            },
        )
        results.append(result)
    return results
