"""Demo budgets, scenarios and forecasts: Östersund, Stockholm's pilot years, Sundsvall, Luleå,
Linköping and the national node. Invented but plausible figures (SEK), not tuned to produce a
number: Stockholm's premises and staff are several times Östersund's (playbook "Affärsmodell":
its break-even fees came out about four times Östersund's), and Stockholm breaks even only with
a subsidy ("hade behövts, framförallt i Stockholm"). Idempotent: what exists is left alone.

A hub leaves preparation only with an adopted budget whose financing covers its current
forecast's liquidity need (guards.py), so the hubs' demo walk asks ``before_hub_transition``
to seed a hub's budget and forecasts before it moves one out of preparation (Östersund,
Stockholm, Linköping). The walk runs today, so the budgets are this year's. Sundsvall stays
in preparation, blocked among other things by its financing: 900 000 kr against a liquidity
need of about 1 930 000 kr in its forecast.

The scenarios hold no investment capital or start-up support: those are the budget's financing,
which the guard compares with the need the forecast shows (selectors.scenario_defaults)."""

from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.boards.selectors import hub_owner_group_seated
from governance.forecasts import services
from governance.forecasts.choices import BudgetState
from governance.forecasts.engine import FeeTier, MonthlyGrant, Scenario
from governance.forecasts.models import Budget, ForecastResult, ForecastScenario
from governance.hubs.models import Hub
from governance.organisations.models import Organisation


@dataclass(frozen=True)
class DemoBudget:
    hub: str | None  # None: the national node
    lines: list[tuple[str, int, str]]


@dataclass(frozen=True)
class DemoScenario:
    hub: str
    name: str
    inputs: Scenario


@dataclass(frozen=True)
class DemoEconomy:
    budgets: list[DemoBudget] = field(default_factory=list)
    scenarios: list[DemoScenario] = field(default_factory=list)


OSTERSUND = Scenario(
    fee_tiers=(FeeTier(20_000, 14), FeeTier(50_000, 8), FeeTier(120_000, 4)),
    start_month=date(2021, 9, 1),
    preparation_months=6,
    startup_months=12,
    horizon_months=72,
    cm_monthly_cost=55_000,
    concept_developer_monthly_cost=25_000,
    premises_rent_monthly=35_000,
    rent_from_month=7,
    premises_investment=250_000,
    operating_costs_monthly=8_000,
    activities_monthly=5_000,
    cost_indexation=0.02,
    fee_indexation=0.02,
    ramp_months=18,
    ramp_shape="s_curve",
    seats_sold=10,
    seat_monthly_price=1_500,
)
# Fees are indexed like the costs (reviewed yearly); without it every margin erodes.
# The pilot years: twice the staff, premises in the city centre, fees about four times
# Östersund's; without a subsidy the fees never cover the costs.
STOCKHOLM_WITHOUT_SUBSIDY = Scenario(
    fee_tiers=(FeeTier(80_000, 10), FeeTier(200_000, 6), FeeTier(450_000, 2)),
    start_month=date(2022, 1, 1),
    preparation_months=6,
    startup_months=12,
    horizon_months=36,
    cm_fte=2.0,
    cm_monthly_cost=65_000,
    concept_developer_monthly_cost=45_000,
    other_staff_monthly_cost=40_000,
    premises_rent_monthly=180_000,
    rent_from_month=7,
    premises_investment=900_000,
    operating_costs_monthly=25_000,
    activities_monthly=15_000,
    cost_indexation=0.02,
    fee_indexation=0.02,
    ramp_months=12,
    seats_sold=20,
    seat_monthly_price=3_500,
)
STOCKHOLM_WITH_SUBSIDY = replace(
    STOCKHOLM_WITHOUT_SUBSIDY, monthly_grants=(MonthlyGrant(150_000, 7, 36),)
)
SUNDSVALL = Scenario(
    fee_tiers=(FeeTier(25_000, 14), FeeTier(60_000, 8), FeeTier(120_000, 4)),
    start_month=date(2026, 3, 1),
    preparation_months=9,
    startup_months=12,
    horizon_months=72,
    cm_monthly_cost=55_000,
    concept_developer_monthly_cost=30_000,
    premises_rent_monthly=45_000,
    rent_from_month=10,
    premises_investment=350_000,
    operating_costs_monthly=10_000,
    activities_monthly=6_000,
    cost_indexation=0.02,
    fee_indexation=0.02,
    ramp_months=18,
    ramp_shape="s_curve",
    seats_sold=8,
    seat_monthly_price=1_800,
)
LINKOPING = Scenario(
    fee_tiers=(FeeTier(22_000, 16), FeeTier(55_000, 8), FeeTier(110_000, 4)),
    start_month=date(2025, 11, 1),
    preparation_months=9,
    startup_months=7,
    horizon_months=72,
    cm_monthly_cost=55_000,
    concept_developer_monthly_cost=25_000,
    premises_rent_monthly=40_000,
    rent_from_month=10,
    premises_investment=300_000,
    operating_costs_monthly=9_000,
    activities_monthly=6_000,
    cost_indexation=0.02,
    fee_indexation=0.02,
    ramp_months=18,
    ramp_shape="s_curve",
    seats_sold=8,
    seat_monthly_price=1_600,
)
LULEA = Scenario(
    fee_tiers=(FeeTier(20_000, 10), FeeTier(45_000, 6), FeeTier(100_000, 3)),
    start_month=date(2026, 9, 1),
    preparation_months=9,
    startup_months=12,
    horizon_months=60,
    cm_monthly_cost=52_000,
    concept_developer_monthly_cost=25_000,
    premises_rent_monthly=30_000,
    rent_from_month=10,
    premises_investment=200_000,
    operating_costs_monthly=8_000,
    activities_monthly=5_000,
    cost_indexation=0.02,
    fee_indexation=0.02,
    ramp_months=18,
    seats_sold=6,
    seat_monthly_price=1_500,
)

DEMO = DemoEconomy(
    budgets=[
        DemoBudget(
            "Samverket Östersund",
            [
                ("staff", 660_000, "Community manager, 1,0 tjänst"),
                ("premises", 420_000, "Hyra, ca 300 m²"),
                ("operations", 96_000, "Städning, it, försäkring"),
                ("activities", 60_000, "Frukostmöten och inspirationsdagar"),
                ("membership_fees", 1_160_000, "26 medlemsorganisationer"),
                ("seats", 180_000, "Tio platser"),
                ("startup_support", 950_000, "Projektstöd (Vinnova) under etableringen"),
                ("investment_capital", 600_000, "Östersunds kommun och Region Jämtland Härjedalen"),
            ],
        ),
        DemoBudget(
            "Samverket Stockholm",
            [
                ("staff", 2_040_000, "Två community managers och administration"),
                ("premises", 2_160_000, "Hyra i city"),
                ("operations", 300_000, ""),
                ("activities", 180_000, ""),
                ("investment", 900_000, "Inredning"),
                ("membership_fees", 2_500_000, "Pilotårens avgifter"),
                ("seats", 840_000, "20 platser"),
                ("startup_support", 1_800_000, "Stöd under pilotåren"),
                ("investment_capital", 1_500_000, "Vasakronan"),
            ],
        ),
        DemoBudget(
            "Samverket Sundsvall",
            [
                ("staff", 660_000, "Community manager från uppstart"),
                ("premises", 540_000, ""),
                ("operations", 120_000, ""),
                ("activities", 72_000, ""),
                ("investment", 350_000, "Inredning"),
                ("membership_fees", 1_300_000, ""),
                ("seats", 170_000, ""),
                ("investment_capital", 500_000, "Sundsvalls kommun"),
                ("startup_support", 400_000, "Regionalt uppstartsstöd"),
            ],
        ),
        DemoBudget(
            "Samverket Linköping",
            [
                ("staff", 660_000, "Community manager och konceptutvecklare på deltid"),
                ("premises", 480_000, ""),
                ("operations", 108_000, ""),
                ("activities", 72_000, ""),
                ("investment", 300_000, "Inredning"),
                ("membership_fees", 1_230_000, ""),
                ("seats", 150_000, ""),
                ("investment_capital", 1_100_000, "Linköpings kommun"),
                ("startup_support", 600_000, "Region Östergötland"),
            ],
        ),
        DemoBudget(
            "Samverket Luleå",
            [
                ("staff", 624_000, ""),
                ("premises", 360_000, ""),
                ("operations", 96_000, ""),
                ("activities", 60_000, ""),
                ("investment", 200_000, ""),
                ("membership_fees", 770_000, ""),
                ("seats", 108_000, ""),
                ("investment_capital", 400_000, ""),
            ],
        ),
        DemoBudget(
            None,
            [
                ("staff", 1_800_000, "Konceptnoden, två tjänster"),
                ("operations", 300_000, "Gemensamma system och licenser"),
                ("activities", 250_000, "Nationella träffar"),
                ("other_financing", 2_350_000, "Huvudmännens gemensamma finansiering"),
            ],
        ),
    ],
    # The last saved scenario of a hub is its current one.
    scenarios=[
        DemoScenario("Samverket Östersund", "Grundscenario", OSTERSUND),
        DemoScenario("Samverket Stockholm", "Pilotåren utan stöd", STOCKHOLM_WITHOUT_SUBSIDY),
        DemoScenario("Samverket Stockholm", "Pilotåren med stöd", STOCKHOLM_WITH_SUBSIDY),
        DemoScenario("Samverket Sundsvall", "Grundscenario", SUNDSVALL),
        DemoScenario("Samverket Luleå", "Grundscenario", LULEA),
        DemoScenario("Samverket Linköping", "Grundscenario", LINKOPING),
    ],
)


def _seed_budget(demo: DemoBudget, coordinator: User) -> None:
    """This year's budget (the one in force now), adopted where the principal's path is open."""
    hub = Hub.objects.get(name=demo.hub) if demo.hub else None
    year = timezone.localdate().year
    if Budget.objects.filter(hub=hub, year=year).exists():
        return
    agreeing = [hub.principal_id] if hub and hub.principal_id else []
    if hub and not agreeing:
        agreeing = [Organisation.objects.order_by("pk").values_list("pk", flat=True).first()]
    budget = services.budget_create(
        actor=coordinator,
        hub_id=hub.pk if hub else None,
        year=year,
        lines=[
            {"category": category, "amount_sek": amount, "note": note}
            for category, amount, note in demo.lines
        ],
        agreed_by=agreeing if hub else [],
        agreed_on=date(year - 1, 11, 20) if hub else None,
        decision_reference=f"Överenskommelse {year}" if hub else "",
    )
    # A hub with an owner group adopts by its decision (the boards' issue): left as a draft.
    has_owner_group = bool(hub) and hub_owner_group_seated(hub.pk)
    if budget.state == BudgetState.DRAFT and not (hub and has_owner_group):
        services.budget_transition(actor=coordinator, budget_id=budget.pk, name="adopt")


def _seed_scenarios(scenarios: list[DemoScenario], coordinator: User) -> None:
    """The scenarios that do not exist yet, computed through the engine in one call."""
    new_scenarios = []
    for demo in scenarios:
        hub = Hub.objects.get(name=demo.hub)
        if not ForecastScenario.objects.filter(hub=hub, name=demo.name).exists():
            scenario = services.scenario_create(
                actor=coordinator, hub_id=hub.pk, name=demo.name, inputs=demo.inputs.to_dict()
            )
            new_scenarios.append(scenario.pk)
    if new_scenarios:
        services.forecasts_compute(scenario_ids=new_scenarios)


def before_hub_transition(hub: Hub, transition: str, coordinator: User) -> None:
    """Before the hubs' demo moves a hub out of preparation: its budget, adopted before the hub
    has an owner group, and its forecasts (the seeder below then finds them)."""
    if transition != "start_up":
        return
    for demo_budget in DEMO.budgets:
        if demo_budget.hub == hub.name:
            _seed_budget(demo_budget, coordinator)
    _seed_scenarios([demo for demo in DEMO.scenarios if demo.hub == hub.name], coordinator)


@transaction.atomic
def seed_forecasts() -> None:
    """Budgets, scenarios and their forecasts, planned and live, computed here through the
    engine."""
    coordinator = User.objects.get(username="coordinator")
    for demo_budget in DEMO.budgets:
        _seed_budget(demo_budget, coordinator)
    _seed_scenarios(DEMO.scenarios, coordinator)
    # Each hub's live forecast from its agreements (Östersund has them in every state), once.
    without_live = list(
        ForecastScenario.objects.exclude(
            hub__in=ForecastResult.objects.filter(is_live=True).values("hub")
        )
        .values_list("hub", flat=True)
        .distinct()
    )
    if without_live:
        services.live_forecasts_compute(today=timezone.localdate(), hub_ids=without_live)
