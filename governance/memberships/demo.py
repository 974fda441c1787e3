"""Demo fee schedules and agreements (``manage.py seed_demo``), on the demo hubs.

- Östersund: the open model ("Medlemskap": fees by size tiers on employees at the locality),
  agreements in every state, one active agreement ending within 60 days, and a member named
  ``Bygg & Miljö <Test> AB`` (an ``&`` and a ``<`` that documents must carry intact).
- Stockholm: the pilot's seat model, its agreements ended when the hub closed after the pilot;
  its fees about four times Östersund's ("Affärsmodell": Östersund's came out about four times
  lower).
- Linköping (in startup): the open model's ladder as Östersund's, agreed among the
  organisations in preparation ("komma överens om budget/kostnadsnivåer") and adopted, as a hub
  needs before it leaves preparation.
- One national agreement (valid in every hub, allocated to Östersund and Linköping by the
  member's employees there), under the national owner's own national schedule.

Idempotent: an agreement of the same member and hub (or national) that exists is left alone;
dates relative to today are only read when an agreement is first made. The fee levels and
member organisations are invented for the demo.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.core.demo import ensure
from governance.hubs.models import Hub
from governance.lifecycle.services import transition_run
from governance.memberships import services
from governance.memberships.choices import AgreementState, FeeScheduleState
from governance.memberships.document_services import agreement_document_generate
from governance.memberships.models import Agreement, FeeSchedule
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import Organisation

OSTERSUND, STOCKHOLM, LINKOPING = (
    "Samverket Östersund",
    "Samverket Stockholm",
    "Samverket Linköping",
)
NATIONAL_OWNER = "2021005216"  # Vinnova, where the demo's national coordinator works
BYGG_OCH_MILJO = ("Bygg & Miljö <Test> AB", "5569000002")

# (employees from, to, yearly fee in kronor)
OSTERSUND_LADDER = [(1, 49, 5_000), (50, 199, 12_000), (200, 499, 25_000), (500, None, 40_000)]
STOCKHOLM_LADDER = [(lower, upper, fee * 4) for lower, upper, fee in OSTERSUND_LADDER]
NATIONAL_LADDER = [(1, 199, 30_000), (200, 999, 60_000), (1000, None, 100_000)]

# The states each agreement is walked through, in order, to reach the one named.
PATH = {
    AgreementState.DRAFT: [],
    AgreementState.GENERATED: ["mark_generated"],
    AgreementState.SENT: ["mark_generated", "send"],
    AgreementState.SIGNED: ["mark_generated", "send", "sign"],
    AgreementState.ACTIVE: ["mark_generated", "send", "sign", "activate"],
    AgreementState.EXPIRED: ["mark_generated", "send", "sign", "activate", "expire"],
    AgreementState.TERMINATED: ["mark_generated", "send", "sign", "activate"],
}


@dataclass(frozen=True)
class DemoAgreement:
    hub: str | None  # None: national
    member: str  # organisation number
    state: str
    start_on: date
    end_on: date
    employees: int = 0
    seats: int | None = None
    discount: tuple[int, str] | None = None  # (percent, reason), the first year
    localities: dict[str, int] = field(default_factory=dict)  # hub name: employees
    terminated: tuple[date, str] | None = None
    renewal: str | None = None  # the state the next period's renewal is taken to


def _agreements(today: date) -> list[DemoAgreement]:
    next_year = today.year + 1
    whole_next_year = (date(next_year, 1, 1), date(next_year, 12, 31))
    whole_this_year = (date(today.year, 1, 1), date(today.year, 12, 31))
    return [
        # Members this year (their seats in the owner group are owner1's and owner2's); next
        # year's renewals are a draft and a generated document.
        DemoAgreement(
            OSTERSUND,
            "2120002411",
            AgreementState.ACTIVE,
            *whole_this_year,
            850,
            renewal=AgreementState.DRAFT,
        ),
        DemoAgreement(
            OSTERSUND,
            "2321000214",
            AgreementState.ACTIVE,
            *whole_this_year,
            620,
            renewal=AgreementState.GENERATED,
        ),
        DemoAgreement(OSTERSUND, "5560109927", AgreementState.SENT, *whole_next_year, 180),
        DemoAgreement(
            OSTERSUND,
            BYGG_OCH_MILJO[1],
            AgreementState.SIGNED,
            *whole_next_year,
            12,
            discount=(50, "Ny medlem: första året subventionerat, som i piloten"),
        ),
        # Ends within 60 days: the principal sees it among those to renew.
        DemoAgreement(
            OSTERSUND,
            "2021005521",
            AgreementState.ACTIVE,
            today - timedelta(days=320),
            today + timedelta(days=45),
            240,
        ),
        DemoAgreement(
            OSTERSUND,
            "2021005448",
            AgreementState.ACTIVE,
            date(today.year - 1, 1, 1),
            date(next_year, 12, 31),
            310,
        ),
        DemoAgreement(
            OSTERSUND,
            "2021002114",
            AgreementState.EXPIRED,
            date(2023, 1, 1),
            date(2024, 12, 31),
            95,
        ),
        DemoAgreement(
            OSTERSUND,
            "2021002841",
            AgreementState.TERMINATED,
            date(2024, 1, 1),
            date(2026, 12, 31),
            60,
            terminated=(date(2025, 6, 30), "Verksamheten i Östersund flyttade till Sundsvall."),
        ),
        # Stockholm's pilot: seats, ended when the hub closed after the pilot (1 June 2023).
        DemoAgreement(
            STOCKHOLM,
            "2021005521",
            AgreementState.EXPIRED,
            date(2022, 1, 1),
            date(2023, 5, 31),
            1,
            5,
        ),
        DemoAgreement(
            STOCKHOLM,
            "2321000016",
            AgreementState.EXPIRED,
            date(2022, 1, 1),
            date(2023, 5, 31),
            1,
            3,
        ),
        DemoAgreement(
            STOCKHOLM,
            "2120000142",
            AgreementState.EXPIRED,
            date(2022, 3, 1),
            date(2023, 5, 31),
            1,
            2,
        ),
        DemoAgreement(
            None,
            "2021006297",
            AgreementState.ACTIVE,
            date(today.year, 1, 1),
            date(next_year, 12, 31),
            localities={OSTERSUND: 140, LINKOPING: 60},
        ),
    ]


def _schedule(
    hub: Hub | None,
    effective_from: date,
    ladder: list[tuple[int, int | None, int]],
    seat_price_kronor: int,
    agreed_by: list[Organisation],
    reference: str,
    actor: User,
) -> FeeSchedule:
    existing = FeeSchedule.objects.filter(hub=hub, effective_from=effective_from).first()
    if existing is not None:
        return existing
    return services.fee_schedule_create(
        actor=actor,
        hub_id=hub.pk if hub else None,
        effective_from=effective_from,
        seat_price_ore=seat_price_kronor * 100,
        tiers=[
            {"employees_from": lower, "employees_to": upper, "yearly_fee_ore": fee * 100}
            for lower, upper, fee in ladder
        ],
        agreed_by=[organisation.pk for organisation in agreed_by],
        agreed_on=effective_from - timedelta(days=30) if agreed_by else None,
        decision_reference=reference,
    )


def _adopted_as_history(schedule: FeeSchedule, state: str = FeeScheduleState.ADOPTED) -> None:
    """The pilot hubs' levels were agreed among their organisations before the hubs had owner
    groups ("Förvaltningsorganisation …": that model runs only after the pilot). Adopting today
    would go to Östersund's owner group, so the seed writes the pilot's outcome as history, as
    the hubs' seed back-dates their phases."""
    FeeSchedule.objects.filter(pk=schedule.pk, state=FeeScheduleState.DRAFT).update(
        state=state, adopted_on=schedule.effective_from
    )


def _seed_schedules(coordinator: User) -> None:
    """Each demo hub's fee schedules, for the hubs that exist so far, and the national one."""
    hubs = {hub.name: hub for hub in Hub.objects.filter(name__in=[OSTERSUND, STOCKHOLM, LINKOPING])}
    if OSTERSUND in hubs:
        _seed_ostersund_schedules(hubs[OSTERSUND], coordinator)
    if STOCKHOLM in hubs:
        _seed_stockholm_schedule(hubs[STOCKHOLM], coordinator)
    if LINKOPING in hubs:
        _seed_linkoping_schedule(hubs[LINKOPING], coordinator)
    national = _schedule(None, date(2025, 1, 1), NATIONAL_LADDER, 15_000, [], "", coordinator)
    if national.state == FeeScheduleState.DRAFT:
        services.fee_schedule_transition(
            actor=coordinator, feeschedule_id=national.pk, name="adopt"
        )


def _organisations(*org_numbers: str) -> list[Organisation]:
    return list(Organisation.objects.filter(org_number__in=org_numbers))


def _seed_ostersund_schedules(hub: Hub, coordinator: User) -> None:
    jamtland = _organisations("2021002346", "2120002411", "2321000214")
    pilot = _schedule(
        hub, date(2021, 11, 1), OSTERSUND_LADDER, 3_000, jamtland, "Dnr 2021:17", coordinator
    )
    _adopted_as_history(pilot, FeeScheduleState.SUPERSEDED)
    FeeSchedule.objects.filter(pk=pilot.pk, superseded_on=None).update(
        superseded_on=date(2024, 1, 1)
    )
    # The open model's levels from 2024, unchanged in steps but ten per cent higher.
    raised = [(lower, upper, fee * 11 // 10) for lower, upper, fee in OSTERSUND_LADDER]
    current = _schedule(hub, date(2024, 1, 1), raised, 3_300, jamtland, "Dnr 2023:42", coordinator)
    _adopted_as_history(current)


def _seed_stockholm_schedule(hub: Hub, coordinator: User) -> None:
    stockholm = _organisations("5560614603", "2120000142", "2321000016")
    schedule = _schedule(
        hub,
        date(2021, 11, 1),
        STOCKHOLM_LADDER,
        12_000,
        stockholm,
        "Vasakronan avtalsbilaga 2021",
        coordinator,
    )
    _adopted_as_history(schedule)


def _seed_linkoping_schedule(hub: Hub, coordinator: User) -> None:
    linkoping = _organisations("2120000449")  # Linköpings kommun
    schedule = _schedule(
        hub, date(2026, 1, 1), OSTERSUND_LADDER, 3_000, linkoping, "Dnr KS 2025:118", coordinator
    )
    if schedule.state == FeeScheduleState.DRAFT:
        services.fee_schedule_transition(
            actor=coordinator, feeschedule_id=schedule.pk, name="adopt"
        )


def before_hub_transition(hub: Hub, transition: str, coordinator: User) -> None:
    """Before the hubs' demo moves a hub out of preparation: its fee schedules, which leaving
    preparation needs in force; into operations: also its agreements, so that it has the
    signed agreement leaving startup needs (the seeder below then finds them)."""
    if transition == "start_up":
        _seed_schedules(coordinator)
    if transition != "start_operations":
        return
    _ensure_demo_member()
    _seed_schedules(coordinator)
    for demo in _agreements(timezone.localdate()):
        if demo.hub == hub.name:
            _seed_agreement(demo, coordinator)


def _ensure_demo_member() -> None:
    ensure(
        Organisation,
        {"org_number": BYGG_OCH_MILJO[1]},
        {
            "name": BYGG_OCH_MILJO[0],
            "kind": OrganisationKind.PUBLIC_COMPANY,
            "municipality": "Östersund",
        },
    )


def _seed_agreement(demo: DemoAgreement, coordinator: User) -> None:
    hub = Hub.objects.get(name=demo.hub) if demo.hub else None
    member = Organisation.objects.get(org_number=demo.member)
    if Agreement.objects.filter(hub=hub, member=member).exists():
        return
    signatory = f"{member.contact_name or 'Avtalsombud'}"
    extra = {}
    if hub is None:
        extra = {
            "principal_id": Organisation.objects.get(org_number=NATIONAL_OWNER).pk,
            "localities": [
                {"hub_id": Hub.objects.get(name=name).pk, "employees": employees}
                for name, employees in demo.localities.items()
            ],
        }
    else:
        extra = {"employees": demo.employees}
    agreement = services.agreement_create(
        actor=coordinator,
        hub_id=hub.pk if hub else None,
        member_org_number=member.org_number,
        model="seats" if demo.seats else "open",
        seats=demo.seats,
        start_on=demo.start_on,
        end_on=demo.end_on,
        member_signatory_name=signatory,
        member_signatory_title="Avdelningschef",
        member_signatory_email="avtalsombud@example.se",
        member_signatory_phone="010-123 45 00",
        member_signatory_authority="delegation",
        principal_signatory_name="Anders Berg",
        principal_signatory_title="Verksamhetsansvarig",
        contact_name="Kontaktperson för hubben",
        contact_email="kontakt@example.se",
        invoice_reference=f"Medlemsavgift {member.name}"[:100],
        invoice_address=f"{member.name}, Fakturaskanning, Box 100, 101 00 Stockholm"[:300],
        discounts=[
            {"percent": demo.discount[0], "year": demo.start_on.year, "reason": demo.discount[1]}
        ]
        if demo.discount
        else [],
        **extra,
    )
    _walk(agreement, PATH[demo.state], demo, coordinator)
    if demo.renewal:
        renewal = services.agreement_renew(actor=coordinator, agreement_id=agreement.pk)
        _walk(renewal, PATH[demo.renewal], demo, coordinator)
    if demo.terminated:
        services.agreement_terminate(
            actor=coordinator,
            agreement_id=agreement.pk,
            terminated_on=demo.terminated[0],
            reason=demo.terminated[1],
        )


def _walk(agreement: Agreement, names: list[str], demo: DemoAgreement, coordinator: User) -> None:
    """Run the transitions ``names`` on the agreement as the principal would."""
    for name in names:
        if name == "mark_generated":
            # The document is generated as the flow does it, so the demo has one to download.
            agreement_document_generate(actor=coordinator, agreement_id=agreement.pk)
            continue
        if name == "sign":
            signed_on = min(demo.start_on, timezone.localdate()) - timedelta(days=14)
            services.agreement_signatures_record(
                actor=coordinator,
                agreement_id=agreement.pk,
                member_signed_on=signed_on,
                principal_signed_on=signed_on,
            )
        transition_run(
            services.agreements_with_facts(), pk=agreement.pk, name=name, actor=coordinator
        )


@transaction.atomic
def seed_memberships() -> None:
    """The demo's fee schedules and agreements, made through the app's services."""
    coordinator = User.objects.get(username="coordinator")
    _ensure_demo_member()
    _seed_schedules(coordinator)
    for demo in _agreements(timezone.localdate()):
        _seed_agreement(demo, coordinator)
