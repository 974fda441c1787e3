"""Factories for budgets and forecast scenarios."""

from datetime import date

import factory

from governance.forecasts.engine import FeeTier, Scenario
from governance.forecasts.models import Budget, BudgetLine, ForecastScenario
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
