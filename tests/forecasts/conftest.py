from datetime import date

import pytest

from governance.forecasts import services
from tests.factories import HubFactory, OrganisationFactory, UserFactory
from tests.forecasts.factories import ForecastScenarioFactory


@pytest.fixture
def hub(db):
    return HubFactory(name="Testhubben", principal=OrganisationFactory())


@pytest.fixture
def principal_staff(hub):
    return UserFactory(roles=[("principal_staff", hub)])


@pytest.fixture
def scenario(hub):
    return ForecastScenarioFactory(hub=hub, name="Grund")


@pytest.fixture
def result(scenario):
    (computed,) = services.forecasts_compute(scenario_ids=[scenario.pk])
    return computed


def record_agreement(budget) -> None:
    """What principal staff record before adopting a hub's budget in preparation."""
    budget.agreed_by.set([OrganisationFactory()])
    budget.agreed_on, budget.decision_reference = date(2025, 12, 1), "Dnr 2/2025"
    budget.save()


@pytest.fixture
def hub_in(coordinator):
    """The hubs tests' helper: a hub moved by the real services into the given phase."""
    from tests.hubs.conftest import hub_in as make

    return make.__wrapped__(coordinator)
