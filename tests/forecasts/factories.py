"""Factories for budgets and forecast scenarios."""

from datetime import date

import factory

from governance.forecasts.engine import ENGINE_VERSION, FeeTier, Scenario, forecast
from governance.forecasts.models import Budget, BudgetLine, ForecastResult, ForecastScenario
from tests.factories import HubFactory

# A hub that breaks even: 20 members at 30,000 a year (50,000 a month) against 40,000 a month.
SMALL_HUB = Scenario(
    fee_tiers=(FeeTier(yearly_fee=30_000, members=20),),
    start_month=date(2026, 1, 1),
    preparation_months=3,
    startup_months=6,
    horizon_months=36,
    ramp_months=6,
    cm_monthly_cost=30_000,
    concept_developer_monthly_cost=20_000,
    premises_rent_monthly=10_000,
    rent_from_month=4,
    premises_investment=100_000,
)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget
        skip_postgeneration_save = True

    hub = factory.SubFactory(HubFactory)
    year = 2026
    version = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        rows = (
            extracted
            if extracted is not None
            else [
                ("staff", 600_000),
                ("premises", 240_000),
                ("membership_fees", 500_000),
                ("startup_support", 400_000),
            ]
        )
        for position, (category, amount) in enumerate(rows):
            BudgetLine.objects.create(
                budget=self, position=position, category=category, amount_sek=amount
            )


class ForecastScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForecastScenario

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Scenario {n}")
    inputs = factory.LazyFunction(SMALL_HUB.to_dict)


class ForecastResultFactory(factory.django.DjangoModelFactory):
    """A stored result of its scenario with the engine's key figures, without the monthly rows,
    sensitivity table and chart that ``services.forecasts_compute`` also renders (slower)."""

    class Meta:
        model = ForecastResult
        exclude = ["answer"]

    scenario = factory.SubFactory(ForecastScenarioFactory)
    hub = factory.SelfAttribute("scenario.hub")
    scenario_name = factory.SelfAttribute("scenario.name")
    inputs = factory.SelfAttribute("scenario.inputs")
    engine_version = ENGINE_VERSION
    answer = factory.LazyAttribute(lambda result: forecast(Scenario.from_dict(result.inputs)))
    break_even_month = factory.SelfAttribute("answer.break_even_month")
    payback_month = factory.SelfAttribute("answer.payback_month")
    peak_liquidity_need_sek = factory.LazyAttribute(
        lambda result: round(result.answer.peak_liquidity_need)
    )
    lowest_cash_month = factory.SelfAttribute("answer.lowest_cash_month")
    months = factory.LazyFunction(list)
    sensitivity = factory.LazyFunction(list)
