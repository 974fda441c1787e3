"""Every phase transition from an allowed and a refused state, with the guards' reasons."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django_fsm_log.models import StateLog

from governance.errors import ConflictError
from governance.hubs import services
from governance.hubs.choices import ItemStatus, PremisesStatus
from governance.hubs.models import Hub, HubChecklistItem
from governance.lifecycle.services import UnknownTransitionError
from governance.organisations.models import RoleAssignment
from tests.factories import HubFactory, UserFactory
from tests.hubs.conftest import satisfy_preparation, satisfy_startup

pytestmark = pytest.mark.django_db

ALL_TRANSITIONS = ["start_preparation", "start_up", "start_operations", "pause", "resume", "close"]
# Where each transition leads; resume returns to the phase the hub was paused in (startup here).
TARGET = {
    "start_preparation": "preparation",
    "start_up": "startup",
    "start_operations": "operations",
    "pause": "paused",
    "resume": "startup",
    "close": "closed",
}
ALLOWED_FROM = {
    "proposed": {"start_preparation", "close"},
    "preparation": {"start_up", "pause", "close"},
    "startup": {"start_operations", "pause", "close"},
    "operations": {"pause", "close"},
    "paused": {"resume", "close"},
    "closed": set(),
}


def _reach(hub_in, coordinator, state: str) -> Hub:
    if state == "paused":
        hub = hub_in("startup")
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="pause")
    elif state == "closed":
        hub = hub_in("proposed")
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="close")
    else:
        return hub_in(state)
    return Hub.objects.get(pk=hub.pk)


@pytest.mark.parametrize("state", list(ALLOWED_FROM))
@pytest.mark.parametrize("name", ALL_TRANSITIONS)
def test_hub_transition_from_each_state(hub_in, coordinator, state, name):
    hub = _reach(hub_in, coordinator, state)
    if state in ("preparation", "startup"):
        satisfy = satisfy_preparation if state == "preparation" else satisfy_startup
        satisfy(hub, coordinator)
    if name in ALLOWED_FROM[state]:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name=name)
        assert Hub.objects.get(pk=hub.pk).phase == TARGET[name]
    else:
        with pytest.raises(ConflictError) as refused:
            services.hub_transition(actor=coordinator, hub_id=hub.pk, name=name)
        assert refused.value.details["state"] == state
        assert set(refused.value.details["allowed"]) == ALLOWED_FROM[state]
        assert Hub.objects.get(pk=hub.pk).phase == state


def test_start_preparation_gives_the_hub_the_preparation_checklist(hub_in):
    hub = hub_in("preparation")
    items = HubChecklistItem.objects.filter(hub=hub)
    assert items.count() >= 15
    assert set(items.values_list("phase", flat=True)) == {"preparation"}
    assert hub.preparation_started_on == timezone.localdate()
    assert hub.phase_entered_on == timezone.localdate()


def test_leaving_preparation_lists_every_unmet_condition(hub_in, coordinator):
    hub = hub_in("preparation")
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    unmet = refused.value.details["unmet"]
    required = hub.checklist_items.filter(required=True).count()
    assert unmet == [
        unmet[0],
        "Ingen huvudman (principal organisation) är utsedd för hubben.",
        "Lokalen är inte avtalad (lokalens status är ”Ingen lokal”).",
        "Ingen community manager är utsedd för hubben.",
        # The memberships and forecasts apps' guards (their AppConfig hub_guards).
        "Hubben har ingen fastställd avgiftstrappa som gäller nu.",
        f"Hubben har ingen fastställd budget för {timezone.localdate().year}.",
        "Hubben har ingen beräknad prognos än: beräkna prognosen för hubbens aktuella scenario, "
        "så att finansieringen kan jämföras med likviditetsbehovet.",
    ]
    assert unmet[0].startswith(f"{required} obligatoriska punkter")
    assert refused.value.code == "transition_not_allowed"


def _without_community_manager(hub: Hub, coordinator) -> None:
    for assignment in RoleAssignment.objects.filter(hub=hub, role="community_manager"):
        services.hub_role_remove(actor=coordinator, hub_id=hub.pk, assignment_id=assignment.pk)


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ("items", "obligatorisk punkt"),
        ("principal", "huvudman"),
        ("premises", "”Ingen lokal”"),
        ("premises_only_identified", "”Identifierad”"),
        ("community_manager", "community manager"),
    ],
)
def test_leaving_preparation_is_refused_for_each_missing_condition(
    hub_in, coordinator, missing, words
):
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    if missing == "items":
        item = hub.checklist_items.filter(required=True).first()
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=item.key, status=ItemStatus.OPEN
        )
    elif missing == "principal":
        services.hub_update(actor=coordinator, hub_id=hub.pk, principal_id=None)
    elif missing == "premises":
        services.hub_update(actor=coordinator, hub_id=hub.pk, premises_status=PremisesStatus.NONE)
    elif missing == "premises_only_identified":
        services.hub_update(
            actor=coordinator, hub_id=hub.pk, premises_status=PremisesStatus.IDENTIFIED
        )
    else:
        _without_community_manager(hub, coordinator)
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert len(refused.value.details["unmet"]) == 1
    assert words in refused.value.details["unmet"][0]
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"


@pytest.mark.parametrize("premises", [PremisesStatus.CONTRACTED, PremisesStatus.READY])
def test_leaving_preparation_takes_premises_contracted_or_ready(hub_in, coordinator, premises):
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    services.hub_update(actor=coordinator, hub_id=hub.pk, premises_status=premises)
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert Hub.objects.get(pk=hub.pk).phase == "startup"


def test_the_unmet_conditions_are_in_english_for_an_english_reader(hub_in, coordinator):
    hub = hub_in("preparation")
    with translation.override("en"), pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert refused.value.details["unmet"][1:] == [
        "No principal organisation (huvudman) has been set for the hub.",
        "The premises are not contracted (the premises status is “No premises”).",
        "No community manager has been appointed for the hub.",
        "The hub has no adopted fee schedule in force.",
        f"The hub has no adopted budget for {timezone.localdate().year}.",
        "The hub has no forecast yet: compute the forecast of the hub's current scenario, so "
        "that the financing can be compared with the liquidity need.",
    ]


def test_one_open_required_item_is_named(hub_in, coordinator):
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    item = hub.checklist_items.filter(required=True).order_by("position").last()
    services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=item.key, status=ItemStatus.OPEN
    )
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert refused.value.details["unmet"] == [
        f"1 obligatorisk punkt i fasens checklista är inte klar: {item.title_sv}"
    ]


def test_a_required_item_waived_by_the_coordinator_does_not_block(hub_in, coordinator):
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    item = hub.checklist_items.filter(required=True).first()
    services.checklist_item_update(
        actor=coordinator,
        hub_id=hub.pk,
        key=item.key,
        status=ItemStatus.NOT_APPLICABLE,
        not_applicable_reason="Lokalen ägs av huvudmannen.",
    )
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert Hub.objects.get(pk=hub.pk).phase == "startup"


def test_leaving_startup_needs_its_required_items(hub_in, coordinator):
    hub = hub_in("startup")
    satisfy_startup(hub, coordinator)
    key = hub.checklist_items.filter(phase="startup", required=True).first().key
    services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.OPEN
    )
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
    assert len(refused.value.details["unmet"]) == 1
    assert "obligatorisk punkt" in refused.value.details["unmet"][0]


def test_leaving_startup_does_not_ask_for_the_community_manager_again(hub_in, coordinator):
    # The community manager is a condition of leaving preparation (playbook: Fas 2's central
    # roles); startup's exit asks only for its required items.
    hub = hub_in("startup")
    satisfy_startup(hub, coordinator)
    _without_community_manager(hub, coordinator)
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
    assert Hub.objects.get(pk=hub.pk).phase == "operations"


def test_only_the_preparation_items_of_the_current_phase_count(hub_in, coordinator):
    hub = hub_in("startup")
    satisfy_startup(hub, coordinator)
    # Reopening a preparation item after leaving the phase does not block startup's exit.
    key = hub.checklist_items.filter(phase="preparation", required=True).first().key
    services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.OPEN
    )
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
    hub = Hub.objects.get(pk=hub.pk)
    assert hub.phase == "operations"
    assert hub.checklist_items.filter(phase="operations").count() >= 15


def test_pause_and_resume_return_to_the_phase_and_do_not_count_paused_time(hub_in, coordinator):
    hub = hub_in("startup")
    entered = timezone.localdate() - timedelta(days=100)
    Hub.objects.filter(pk=hub.pk).update(phase_entered_on=entered)
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="pause")
    Hub.objects.filter(pk=hub.pk).update(paused_on=timezone.localdate() - timedelta(days=30))

    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="resume")

    hub = Hub.objects.get(pk=hub.pk)
    assert hub.phase == "startup"
    assert hub.phase_entered_on == entered + timedelta(days=30)
    assert (hub.paused_from, hub.paused_on) == ("", None)
    assert hub.checklist_items.filter(phase="startup").count() == (
        hub.checklist_items.filter(phase="startup").values("key").distinct().count()
    )


def test_every_transition_is_logged_with_who_and_comment(hub_in, coordinator):
    hub = hub_in("proposed")
    services.hub_transition(
        actor=coordinator, hub_id=hub.pk, name="start_preparation", comment="Beslut 12 mars"
    )
    log = StateLog.objects.for_(hub).get()
    assert (log.source_state, log.state, log.transition) == (
        "proposed",
        "preparation",
        "start_preparation",
    )
    assert log.by == coordinator
    assert log.description == "Beslut 12 mars"


@pytest.mark.parametrize(
    "role", [None, "principal_staff", "establishment_team", "community_manager"]
)
def test_only_the_coordinator_moves_a_hub(role):
    hub = HubFactory()
    user = UserFactory(roles=[(role, hub)] if role else [])
    with pytest.raises(PermissionDenied):
        services.hub_transition(actor=user, hub_id=hub.pk, name="start_preparation")
    assert Hub.objects.get(pk=hub.pk).phase == "proposed"
    assert not StateLog.objects.exists()


def test_unknown_transition_name_is_not_found(coordinator):
    hub = HubFactory()
    with pytest.raises(UnknownTransitionError):
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="delete")
