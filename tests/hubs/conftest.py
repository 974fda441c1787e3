import pytest

from governance.hubs import services
from governance.hubs.choices import ItemStatus, PremisesStatus
from governance.hubs.models import Hub
from tests.factories import AgreementFactory, HubFactory, OrganisationFactory, UserFactory


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


def satisfy_preparation(hub: Hub, actor) -> None:
    """What leaving preparation needs: its required items, a principal, premises at least
    contracted and a community manager."""
    resolve_required(hub, actor, "preparation")
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
