"""Reading budgets, scenarios and forecast results: the budget in force, a scenario's defaults
from the hub's budget and fee schedule, the hub's current scenario, the national table."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.forecasts import engine
from governance.forecasts.choices import BudgetLineCategory
from governance.forecasts.engine import DEFAULT_HORIZON_MONTHS, FeeTier, MonthlyGrant, Scenario
from governance.forecasts.guards import budget_facts
from governance.forecasts.models import Budget, ForecastResult, ForecastScenario
from governance.hubs.models import Hub
from governance.memberships.selectors import fee_schedule_in_force

MONTHS_PER_YEAR = 12
ORE_PER_KRONA = 100


def budgets_with_facts() -> QuerySet[Budget]:
    """Budgets with the facts their guards read, their lines and who agreed."""
    return (
        Budget.objects.annotate(**budget_facts())
        .select_related("hub")
        .prefetch_related("lines", "agreed_by")
    )


def budget_in_force(hub: Hub | int | None, *, on: date) -> Budget | None:
    """The adopted version of ``hub``'s budget (``None``: the national node's) for the year of
    ``on``; the one everyone reads."""
    hub_id = hub.pk if isinstance(hub, Hub) else hub
    return Budget.objects.filter(hub=hub_id).in_force(on).prefetch_related("lines").first()


def scenarios_for_hub(hub_id: int) -> QuerySet[ForecastScenario]:
    return ForecastScenario.objects.filter(hub=hub_id).select_related("hub")


def current_scenario_ids() -> list[int]:
    """Every hub's current scenario: the one saved last."""
    latest = ForecastScenario.objects.filter(hub=OuterRef("hub")).order_by("-updated_at", "-pk")
    return list(
        ForecastScenario.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .order_by("hub__name")
        .values_list("pk", flat=True)
    )


def latest_results_by_hub() -> QuerySet[ForecastResult]:
    """The latest result of every hub's current scenario (the national table); live results
    have a table of their own (pipeline.national_live_sum)."""
    return (
        ForecastResult.objects.filter(scenario__in=current_scenario_ids())
        .filter(
            pk=Subquery(
                ForecastResult.objects.filter(scenario=OuterRef("scenario"), is_live=False)
                .order_by("-computed_at", "-pk")
                .values("pk")[:1]
            )
        )
        .select_related("hub")
        .order_by("hub__name")
    )


def result_get(result_id: int) -> ForecastResult:
    return ForecastResult.objects.select_related("hub", "scenario").get(pk=result_id)


def _months_between(start: date | None, end: date | None, default: int) -> int:
    if start is None or end is None or end < start:
        return default
    return (end.year - start.year) * MONTHS_PER_YEAR + end.month - start.month


def scenario_defaults(hub: Hub, *, on: date | None = None) -> dict[str, Any]:
    """Inputs filled in from the hub's planned phase dates, its budget in force (SEK a year
    made monthly) and its fee schedule in force (the general ladder): a starting point to edit.

    The budget's investment capital and start-up support are left out: they finance phases
    1–2, and the hub's guard compares them with the liquidity need the forecast shows
    ("Fas 1 och 2 kräver likviditet alternativt projekt-/uppstartsstöd"); in the forecast too
    they would be counted twice. Other financing is an operating grant, spread by month.
    """
    on = on or timezone.localdate()
    start = hub.preparation_planned_on or on
    preparation = _months_between(start, hub.startup_planned_on, 6)
    startup = _months_between(hub.startup_planned_on, hub.operations_planned_on, 12)
    budget = budget_in_force(hub, on=on)
    totals = budget.totals() if budget else dict.fromkeys(BudgetLineCategory.values, 0)
    schedule = fee_schedule_in_force(hub, on=on)
    ladder = (
        [tier.yearly_fee_ore // ORE_PER_KRONA for tier in schedule.tiers.all()] if schedule else []
    )
    ladder = [fee for fee in ladder if fee > 0]
    budgeted_fees = totals[BudgetLineCategory.MEMBERSHIP_FEES]
    if ladder:
        # The budget's fee income counted in members of the ladder's first tier.
        members = round(budgeted_fees / ladder[0]) if budgeted_fees else 0
        tiers = [FeeTier(fee, members if index == 0 else 0) for index, fee in enumerate(ladder)]
    else:
        tiers = [FeeTier(budgeted_fees, 1)]
    other = totals[BudgetLineCategory.OTHER_FINANCING]
    scenario = Scenario(
        fee_tiers=tuple(tiers),
        start_month=start.replace(day=1),
        preparation_months=preparation,
        startup_months=startup,
        horizon_months=DEFAULT_HORIZON_MONTHS,
        cm_monthly_cost=round(totals[BudgetLineCategory.STAFF] / MONTHS_PER_YEAR),
        premises_rent_monthly=round(totals[BudgetLineCategory.PREMISES] / MONTHS_PER_YEAR),
        rent_from_month=preparation + 1,
        premises_investment=totals[BudgetLineCategory.INVESTMENT],
        operating_costs_monthly=round(totals[BudgetLineCategory.OPERATIONS] / MONTHS_PER_YEAR),
        activities_monthly=round(totals[BudgetLineCategory.ACTIVITIES] / MONTHS_PER_YEAR),
        seats_sold=1 if totals[BudgetLineCategory.SEATS] else 0,
        seat_monthly_price=round(totals[BudgetLineCategory.SEATS] / MONTHS_PER_YEAR),
        monthly_grants=(
            (MonthlyGrant(round(other / MONTHS_PER_YEAR), 1, DEFAULT_HORIZON_MONTHS),)
            if other
            else ()
        ),
        lump_sums=(),
    )
    return scenario.to_dict()


_ENGINE_ERRORS = {
    "negative": lambda: _("Beloppet får inte vara negativt."),
    "out_of_range": lambda: _("Värdet ligger utanför det tillåtna intervallet."),
    "empty_ladder": lambda: _("Avgiftstrappan behöver minst en nivå."),
    "unknown_shape": lambda: _("Okänd form på upptrappningen."),
    "ends_before_start": lambda: _("Slutmånaden får inte komma före startmånaden."),
}


def checked_scenario(inputs: dict[str, Any]) -> engine.Scenario:
    """The engine's scenario from stored or sent inputs, or a ValidationError naming each input
    it cannot compute (``inputs.<name>``)."""
    try:
        scenario = engine.Scenario.from_dict(inputs)
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError({"inputs": _("Indata är ofullständiga.")}) from error
    errors = engine.scenario_errors(scenario)
    if errors:
        raise ValidationError(
            {
                f"inputs.{name}": ValidationError(_ENGINE_ERRORS[code](), code=code)
                for name, code in errors.items()
            }
        )
    return scenario


def scenario_inputs_checked(inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs as the engine reads them back (for storing), checked."""
    return checked_scenario(inputs).to_dict()


def fee_solution(inputs: dict[str, Any], *, count_grants: bool) -> engine.FeeSolution:
    """The fee-level solver's answer for these inputs (nothing stored is read)."""
    return engine.solve_fee_level(checked_scenario(inputs), count_grants=count_grants)


def scenarios_with_latest_result(hub_id: int) -> list[tuple[ForecastScenario, Any]]:
    """The hub's scenarios (current first), each with its latest result or None; two queries."""
    scenarios = list(scenarios_for_hub(hub_id))
    latest: dict[int, ForecastResult] = {}
    for result in ForecastResult.objects.filter(scenario__in=scenarios, is_live=False).order_by(
        "computed_at", "pk"
    ):
        latest[result.scenario_id] = result
    return [(scenario, latest.get(scenario.pk)) for scenario in scenarios]
