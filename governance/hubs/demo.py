"""Demo hubs (``manage.py seed_demo``): Östersund and Stockholm in operations with their
history 2021–2023, Sundsvall part-way through preparation, Luleå proposed. Idempotent: a hub
that exists is left as it is."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from governance.core.demo import ensure
from governance.hubs import services
from governance.hubs.choices import County, HubRole, ItemStatus, PremisesStatus
from governance.hubs.models import Hub, HubChecklistItem
from governance.organisations.models import Organisation, RoleAssignment

# name: municipality, county, principal's org number, premises, dates of entering each phase
HUBS = {
    "Samverket Östersund": (
        "Östersund",
        County.JAMTLAND,
        "2021002346",
        "Prästgatan 50, Östersund",
        [date(2021, 3, 1), date(2021, 10, 4), date(2022, 5, 2)],
    ),
    "Samverket Stockholm": (
        "Stockholm",
        County.STOCKHOLM,
        "2021005521",
        "Klarabergsviadukten 63, Stockholm",
        [date(2021, 9, 1), date(2022, 3, 7), date(2022, 11, 7)],
    ),
    "Samverket Sundsvall": ("Sundsvall", County.VASTERNORRLAND, None, "", [date(2026, 6, 15)]),
    "Samverket Luleå": ("Luleå", County.NORRBOTTEN, None, "", []),
}
TRANSITIONS = ["start_preparation", "start_up", "start_operations"]

# username: (role, hub)
HUB_ROLES = [
    ("principal", HubRole.PRINCIPAL_STAFF, "Samverket Östersund"),
    ("cm", HubRole.COMMUNITY_MANAGER, "Samverket Östersund"),
    ("team", HubRole.ESTABLISHMENT_TEAM, "Samverket Sundsvall"),
    ("owner1", HubRole.OWNER_GROUP_REP, "Samverket Östersund"),
    ("owner2", HubRole.OWNER_GROUP_REP, "Samverket Östersund"),
    ("owner3", HubRole.OWNER_GROUP_REP, "Samverket Östersund"),
    ("board1", HubRole.CREATIVE_BOARD_REP, "Samverket Östersund"),
    ("board2", HubRole.CREATIVE_BOARD_REP, "Samverket Östersund"),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _resolve_required_items(hub: Hub, coordinator: User, on: date) -> None:
    for key in hub.checklist_items.filter(phase=hub.phase, required=True).values_list(
        "key", flat=True
    ):
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.DONE
        )
    hub.checklist_items.filter(phase=hub.phase).update(changed_at=_at(on))


def _walk_through_phases(hub: Hub, coordinator: User, entered: list[date]) -> None:
    """Move the hub through its phases with the real services, then date the history."""
    if not entered:
        return
    for index, day in enumerate(entered):
        if index > 0:
            _resolve_required_items(hub, coordinator, day)
        services.hub_transition(
            actor=coordinator, hub_id=hub.pk, name=TRANSITIONS[index], comment="Demo"
        )
        hub.refresh_from_db()
    logs = StateLog.objects.for_(hub).order_by("pk")
    for log, day in zip(logs, entered, strict=True):
        StateLog.objects.filter(pk=log.pk).update(timestamp=_at(day))
    phases = ["preparation", "startup", "operations"]
    Hub.objects.filter(pk=hub.pk).update(
        phase_entered_on=entered[-1],
        **{f"{phase}_started_on": day for phase, day in zip(phases, entered, strict=False)},
    )


def _established_operations(hub: Hub, coordinator: User, since: date) -> None:
    """A hub in operations since the pilot has its rituals in place and scores well."""
    _resolve_required_items(hub, coordinator, since + timedelta(days=60))
    services.readiness_update(
        actor=coordinator,
        hub_id=hub.pk,
        scores=[
            {"aspect": aspect, "score": 3, "note": "Etablerad under piloten 2021–2023."}
            for aspect in ("relationships", "premises", "people", "principal")
        ],
    )


def _partly_done_preparation(hub: Hub, coordinator: User) -> None:
    keys = list(
        hub.checklist_items.filter(phase="preparation")
        .order_by("position")
        .values_list("key", flat=True)
    )
    for key in keys[: len(keys) // 2]:
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.DONE
        )
    HubChecklistItem.objects.filter(hub=hub, status=ItemStatus.DONE).update(
        changed_at=_at(date(2026, 9, 1))
    )
    services.readiness_update(
        actor=coordinator,
        hub_id=hub.pk,
        scores=[
            {"aspect": "relationships", "score": 2, "note": "Kommunen och regionen är med."},
            {"aspect": "premises", "score": 1, "note": "Två lokaler är tänkbara."},
            {"aspect": "people", "score": 2, "note": "En CM-kandidat har tid från januari."},
            {"aspect": "principal", "score": 1, "note": "Sundsvalls kommun överväger."},
        ],
    )


@transaction.atomic
def seed_hubs() -> None:
    """Create the demo hubs that do not exist yet, and the users' roles in them."""
    coordinator = User.objects.get(username="coordinator")
    for name, (municipality, county, principal, address, entered) in HUBS.items():
        if Hub.objects.filter(name=name).exists():
            continue
        hub = services.hub_create(
            actor=coordinator, name=name, municipality=municipality, county=county
        )
        if principal:
            services.hub_update(
                actor=coordinator,
                hub_id=hub.pk,
                principal_id=Organisation.objects.get(org_number=principal).pk,
                premises_address=address,
                premises_status=PremisesStatus.READY,
            )
            services.hub_role_assign(
                actor=coordinator,
                hub_id=hub.pk,
                user_id=User.objects.get(username="cm").pk,
                role=HubRole.COMMUNITY_MANAGER,
            )
        _walk_through_phases(hub, coordinator, entered)
        if len(entered) == len(TRANSITIONS):
            _established_operations(Hub.objects.get(pk=hub.pk), coordinator, entered[-1])
        if name == "Samverket Sundsvall":
            _partly_done_preparation(Hub.objects.get(pk=hub.pk), coordinator)
    for username, role, hub_name in HUB_ROLES:
        ensure(
            RoleAssignment,
            {
                "user": User.objects.get(username=username),
                "role": role,
                "hub": Hub.objects.get(name=hub_name),
            },
        )
