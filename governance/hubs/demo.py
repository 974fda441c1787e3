"""Demo hubs (``manage.py seed_demo``), matching the pilot's history as the playbook tells it,
with every phase represented. Idempotent: a hub that exists is left as it is.

- Östersund: a pilot hub (project start 1 June 2021, opened late autumn 2021, "När Samverket
  öppnade under senhösten 2021"), in operations since the project ended ("även efter projektets
  slut när verksamheten gått över i ordinarie verksamhet"). Principal Länsstyrelsen i Jämtlands
  län, which employs its community manager.
- Stockholm: the other pilot hub, with Vasakronan as principal ("i egenskap av
  fastighetsägare/avtalspart") employing its community manager; closed after the pilot ("nu när
  platsen inte längre kommer finnas i Stockholm"), its history kept.
- Sundsvall in preparation, Luleå proposed and Linköping in startup: new initiatives the playbook
  names ("Luleå, Skellefteå, Sundsvall, Gävle, Malmö, Linköping mfl."); their details are
  invented for the demo.

Dates inside the pilot that the playbook does not give (the day the hubs opened) are
illustrative.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_fsm_log.models import StateLog

from governance.core.demo import ensure
from governance.core.registry import declarations
from governance.hubs import services
from governance.hubs.choices import County, HubRole, ItemStatus, PremisesStatus
from governance.hubs.models import Hub, HubChecklistItem
from governance.organisations.models import Organisation, RoleAssignment

PROJECT_START = date(2021, 6, 1)
OPENED = date(2021, 11, 15)
PILOT_ENDED = date(2023, 6, 1)

# The phase each transition enters (close is dated through closed_on).
ENTERS = {
    "start_preparation": "preparation",
    "start_up": "startup",
    "start_operations": "operations",
}
# Whose required items must be resolved before a transition: the phase it leaves.
LEAVES = {"start_up": "preparation", "start_operations": "startup"}


@dataclass(frozen=True)
class DemoHub:
    name: str
    municipality: str
    county: str
    principal: str | None = None  # organisation number
    premises_address: str = ""
    premises_status: str = PremisesStatus.NONE
    community_manager: str | None = None  # username
    # (transition, on, comment), in order
    steps: tuple[tuple[str, date, str], ...] = ()
    # (aspect, score 0–3, note)
    readiness: tuple[tuple[str, int, str], ...] = ()
    # checklist key: note, for items the hub has
    item_notes: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    # planned start of preparation, startup and operations (the overview's timeline)
    planned: dict[str, date] = field(default_factory=dict)


HUBS = [
    DemoHub(
        name="Samverket Östersund",
        municipality="Östersund",
        county=County.JAMTLAND,
        principal="2021002346",  # Länsstyrelsen i Jämtlands län
        premises_address="Prästgatan 50, Östersund",
        premises_status=PremisesStatus.READY,
        community_manager="cm",
        steps=(
            ("start_preparation", PROJECT_START, "Projektstart (Vinnova), 1 juni 2021."),
            ("start_up", OPENED, "Hubben öppnar, senhösten 2021."),
            ("start_operations", PILOT_ENDED, "Piloten är avslutad; ordinarie verksamhet."),
        ),
        readiness=(
            (
                "relationships",
                3,
                "Myndighetsnätverket i Jämtland: en vana att finansiera gemensamma initiativ.",
            ),
            ("premises", 3, "Central lokal; Gomorron Östersund AB är hyresvärd."),
            ("people", 3, "Community manager anställd av Länsstyrelsen i Jämtlands län."),
            ("principal", 3, "Länsstyrelsen i Jämtlands län är huvudman."),
        ),
        item_notes={
            "start-membership-model-chosen": (
                "Individuella medlemskap, sedan piloten sista halvår den öppna medlemsmodellen."
            ),
        },
        notes=(
            "Pilothubb 2021–2023. Huvudman är Länsstyrelsen i Jämtlands län, som också anställer "
            "hubbens community manager; Gomorron Östersund AB är hyresvärd."
        ),
    ),
    DemoHub(
        name="Samverket Stockholm",
        municipality="Stockholm",
        county=County.STOCKHOLM,
        principal="5560614603",  # Vasakronan AB
        premises_address="Klarabergsviadukten 63, Stockholm",
        premises_status=PremisesStatus.READY,
        community_manager="cm_stockholm",
        steps=(
            ("start_preparation", PROJECT_START, "Projektstart (Vinnova), 1 juni 2021."),
            ("start_up", OPENED, "Hubben öppnar, senhösten 2021."),
            ("close", PILOT_ENDED, "Piloten är avslutad; platsen i Stockholm finns inte kvar."),
        ),
        readiness=(
            (
                "relationships",
                0,
                "Ingen historik av relationer mellan högsta ledningarna; betydligt svårare att "
                "förankra processen och affärsmodellen.",
            ),
            ("premises", 3, "Vasakronan är fastighetsägare och hyresvärd."),
            ("people", 3, "Community manager anställd av Vasakronan."),
            (
                "principal",
                2,
                "Länsstyrelsen i Stockholm stod inte bakom ansökan; Vasakronan gick in som "
                "hyresvärd och avtalspart.",
            ),
        ),
        item_notes={"start-membership-model-chosen": "Individuella medlemskap."},
        notes=(
            "Pilothubb 2021–2023. Huvudman var Vasakronan (fastighetsägare och avtalspart för "
            "medlemsavtalen), som också anställde hubbens community manager. Avslutad efter "
            "piloten; historiken finns kvar."
        ),
    ),
    DemoHub(
        name="Samverket Sundsvall",
        municipality="Sundsvall",
        county=County.VASTERNORRLAND,
        steps=(("start_preparation", date(2026, 6, 15), "Demo"),),
        planned={
            "preparation_planned_on": date(2026, 5, 1),
            "startup_planned_on": date(2027, 1, 11),
            "operations_planned_on": date(2027, 9, 1),
        },
        readiness=(
            ("relationships", 2, "Kommunen och regionen är med."),
            ("premises", 1, "Två lokaler är tänkbara."),
            ("people", 2, "En CM-kandidat har tid från januari."),
            ("principal", 1, "Sundsvalls kommun överväger."),
        ),
    ),
    DemoHub(
        name="Samverket Luleå",
        municipality="Luleå",
        county=County.NORRBOTTEN,
        planned={"preparation_planned_on": date(2027, 2, 1)},
    ),
    DemoHub(
        name="Samverket Linköping",
        municipality="Linköping",
        county=County.OSTERGOTLAND,
        principal="2120000449",  # Linköpings kommun
        premises_address="Linköping centrum",
        premises_status=PremisesStatus.CONTRACTED,
        community_manager="cm_linkoping",
        steps=(
            ("start_preparation", date(2025, 11, 3), "Demo"),
            ("start_up", date(2026, 8, 3), "Demo"),
        ),
        planned={
            "preparation_planned_on": date(2025, 10, 1),
            "startup_planned_on": date(2026, 6, 1),
            "operations_planned_on": date(2027, 3, 1),
        },
        readiness=(
            ("relationships", 2, "Kommunens och regionens ledningar möts i befintliga nätverk."),
            ("premises", 3, "En central lokal är avtalad."),
            ("people", 2, "Community manager på plats; konceptutvecklare på deltid."),
            ("principal", 3, "Linköpings kommun är huvudman."),
        ),
        item_notes={"start-membership-model-chosen": "Den öppna medlemsmodellen."},
    ),
]

# username, role, hub: roles beyond each hub's community manager. owner1–3 and board1–2 hold
# no stored role: they hold seats in Östersund's owner group and creative board
# (governance/boards/demo_seats.py), from which those roles are derived.
HUB_ROLES = [
    ("principal", HubRole.PRINCIPAL_STAFF, "Samverket Östersund"),
    ("team", HubRole.ESTABLISHMENT_TEAM, "Samverket Sundsvall"),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _resolve_required_items(hub: Hub, coordinator: User, phase: str, on: date) -> None:
    for key in hub.checklist_items.filter(phase=phase, required=True).values_list("key", flat=True):
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.DONE
        )
    hub.checklist_items.filter(phase=phase, status=ItemStatus.DONE).update(changed_at=_at(on))


def _half_done(hub: Hub, coordinator: User, phase: str, on: date) -> None:
    """A hub part-way through its phase: the first half of the phase's items done."""
    keys = list(
        hub.checklist_items.filter(phase=phase).order_by("position").values_list("key", flat=True)
    )
    for key in keys[: len(keys) // 2]:
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.DONE
        )
    HubChecklistItem.objects.filter(hub=hub, phase=phase, status=ItemStatus.DONE).update(
        changed_at=_at(on)
    )


def _walk(hub: Hub, coordinator: User, demo: DemoHub) -> None:
    """Move the hub through its steps with the real services, then date the history."""
    for transition, on, comment in demo.steps:
        if transition in LEAVES:
            _resolve_required_items(hub, coordinator, LEAVES[transition], on)
        # What other apps' conditions need first (a signed agreement before operations), made
        # by their own seeders: declared as ``demo_hub_prerequisites`` on their AppConfig.
        for _app_label, prepare in declarations("demo_hub_prerequisites"):
            import_string(prepare)(hub, transition, coordinator)
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name=transition, comment=comment)
    logs = StateLog.objects.for_(hub).order_by("pk")
    for log, (_transition, on, _comment) in zip(logs, demo.steps, strict=True):
        StateLog.objects.filter(pk=log.pk).update(timestamp=_at(on))
    dates: dict[str, date] = {}
    for transition, on, _comment in demo.steps:
        if transition in ENTERS:
            dates.update({f"{ENTERS[transition]}_started_on": on, "phase_entered_on": on})
        elif transition == "close":
            dates["closed_on"] = on
    if dates:
        Hub.objects.filter(pk=hub.pk).update(**dates)


def _where_it_stands(hub: Hub, coordinator: User, demo: DemoHub) -> None:
    """The work done in the hub's last phase (before closing, for a closed hub)."""
    if not demo.steps:
        return
    entered = [(ENTERS[name], on) for name, on, _comment in demo.steps if name in ENTERS]
    phase, since = entered[-1]
    if hub.phase == "operations":
        _resolve_required_items(hub, coordinator, phase, since + timedelta(days=60))
    elif hub.phase == "closed":
        _resolve_required_items(hub, coordinator, phase, hub.closed_on - timedelta(days=30))
    else:
        _half_done(hub, coordinator, phase, since + timedelta(days=60))
    for key, note in demo.item_notes.items():
        if hub.checklist_items.filter(key=key).exists():
            services.checklist_item_update(actor=coordinator, hub_id=hub.pk, key=key, note=note)


@transaction.atomic
def seed_hubs() -> None:
    """Create the demo hubs that do not exist yet, and the users' roles in them."""
    coordinator = User.objects.get(username="coordinator")
    for demo in HUBS:
        if Hub.objects.filter(name=demo.name).exists():
            continue
        hub = services.hub_create(
            actor=coordinator, name=demo.name, municipality=demo.municipality, county=demo.county
        )
        details = {
            "premises_address": demo.premises_address,
            "notes": demo.notes,
            **demo.planned,
        }
        if demo.principal:
            details["principal_id"] = Organisation.objects.get(org_number=demo.principal).pk
        if demo.premises_status != PremisesStatus.NONE:
            details["premises_status"] = demo.premises_status
        services.hub_update(actor=coordinator, hub_id=hub.pk, **details)
        if demo.community_manager:
            services.hub_role_assign(
                actor=coordinator,
                hub_id=hub.pk,
                user_id=User.objects.get(username=demo.community_manager).pk,
                role=HubRole.COMMUNITY_MANAGER,
            )
        _walk(hub, coordinator, demo)
        _where_it_stands(Hub.objects.get(pk=hub.pk), coordinator, demo)
        if demo.readiness:
            services.readiness_update(
                actor=coordinator,
                hub_id=hub.pk,
                scores=[
                    {"aspect": aspect, "score": score, "note": note}
                    for aspect, score, note in demo.readiness
                ],
            )
    for username, role, hub_name in HUB_ROLES:
        ensure(
            RoleAssignment,
            {
                "user": User.objects.get(username=username),
                "role": role,
                "hub": Hub.objects.get(name=hub_name),
            },
        )
