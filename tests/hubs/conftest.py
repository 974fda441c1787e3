from datetime import date

import pytest
from django.utils import timezone

from governance.forecasts.models import ForecastResult
from governance.hubs import services
from governance.hubs.choices import ItemStatus, PremisesStatus
from governance.hubs.models import Hub
from tests.factories import (
    AgreementFactory,
    FeeScheduleFactory,
    HubFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forecasts.factories import BudgetFactory, ForecastResultFactory


@pytest.fixture
def hub_in(coordinator):
    """A hub moved by the real services into the given phase, guards satisfied on the way."""

    def make(phase: str, **fields) -> Hub:
        hub = HubFactory(**fields)
        if phase == "proposed":
            return hub
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_preparation")
        if phase == "preparation":
            return Hub.objects.get(pk=hub.pk)
        satisfy_preparation(hub, coordinator)
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
        if phase == "startup":
            return Hub.objects.get(pk=hub.pk)
        satisfy_startup(hub, coordinator)
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
        return Hub.objects.get(pk=hub.pk)

    return make


def resolve_required(hub: Hub, actor, phase: str) -> None:
    for key in hub.checklist_items.filter(phase=phase, required=True).values_list("key", flat=True):
        services.checklist_item_update(actor=actor, hub_id=hub.pk, key=key, status=ItemStatus.DONE)


def agree_on_economy(hub: Hub, *, financing_sek: int | None = None) -> ForecastResult:
    """What leaving preparation needs of the memberships and forecasts apps: an adopted fee
    schedule in force, an adopted budget for this year, and a current forecast whose peak
    liquidity need the budget's investment capital covers (by default exactly; or
    ``financing_sek``). Returns the forecast."""
    FeeScheduleFactory(hub=hub, state="adopted", effective_from=date(2020, 1, 1))
    result = ForecastResultFactory(scenario__hub=hub)
    financing = result.peak_liquidity_need_sek if financing_sek is None else financing_sek
    BudgetFactory(
        hub=hub,
        year=timezone.localdate().year,
        state="adopted",
        lines=[("staff", 600_000), ("investment_capital", financing)],
    )
    return result


def satisfy_preparation(hub: Hub, actor) -> None:
    """What leaving preparation needs: its required items, a principal, premises at least
    contracted, a community manager, and the fee schedule, budget and financing
    (``agree_on_economy``)."""
    resolve_required(hub, actor, "preparation")
    agree_on_economy(hub)
    services.hub_update(
        actor=actor,
        hub_id=hub.pk,
        principal_id=OrganisationFactory().pk,
        premises_status=PremisesStatus.CONTRACTED,
    )
    services.hub_role_assign(
        actor=actor, hub_id=hub.pk, user_id=UserFactory().pk, role="community_manager"
    )


def satisfy_startup(hub: Hub, actor) -> None:
    """What leaving startup needs: its required items and a signed membership agreement."""
    resolve_required(hub, actor, "startup")
    hub = Hub.objects.get(pk=hub.pk)
    AgreementFactory(hub=hub, principal=hub.principal or OrganisationFactory(), state="signed")
