"""Reading fee schedules and agreements: the schedule in force, an agreement's fee lines and
their allocation to hubs, and who sees which agreements."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from governance.hubs.models import Hub
from governance.memberships.choices import AgreementState, MembershipModel
from governance.memberships.fees import FeeLine, allocate, fee_lines, tier_for
from governance.memberships.guards import fee_schedule_facts
from governance.memberships.models import Agreement, FeeSchedule
from governance.organisations import roles

# How long before its end an agreement is listed for renewal.
RENEWAL_NOTICE = timedelta(days=60)
PRINCIPAL_STAFF, COMMUNITY_MANAGER = "principal_staff", "community_manager"


class NoFeeScheduleError(LookupError):
    """No adopted fee schedule covers the date; the message says which."""


def fee_schedules_with_facts() -> QuerySet[FeeSchedule]:
    return (
        FeeSchedule.objects.annotate(**fee_schedule_facts())
        .select_related("hub")
        .prefetch_related("tiers", "agreed_by")
    )


def fee_schedule_in_force(hub: Hub | int | None, *, on: date) -> FeeSchedule | None:
    """The adopted version of ``hub``'s fees (``None``: the national ones) in force on ``on``:
    the one with the latest effective date not after it. A superseded version is still the one
    in force for dates before its successor's, so old agreements keep their fees."""
    hub_id = hub.pk if isinstance(hub, Hub) else hub
    return FeeSchedule.objects.filter(hub=hub_id).in_force(on).prefetch_related("tiers").first()


@dataclass(frozen=True)
class AgreementFees:
    schedule: FeeSchedule
    yearly_fee_ore: int
    lines: list[FeeLine]
    total_ore: int
    allocation: list[dict] | None  # national: per hub and year


SchedulesInForce = dict[tuple[int | None, date], FeeSchedule | None]


def agreement_fees(
    agreement: Agreement, *, schedules: SchedulesInForce | None = None
) -> AgreementFees:
    """The agreement's fee lines from the schedule in force on its start date.

    Open model: the tier for its employees (the member's kind's own ladder when the schedule
    has one). Seat model: seats × the seat price. A national agreement reads the national
    schedule and is allocated to the hubs by employees per locality. ``schedules`` is a batch's
    cache of the schedules in force by hub and date, filled on first use.
    """
    key = (agreement.hub_id, agreement.start_on)
    if schedules is None or key not in schedules:
        schedule = fee_schedule_in_force(agreement.hub_id, on=agreement.start_on)
        if schedules is not None:
            schedules[key] = schedule
    else:
        schedule = schedules[key]
    if schedule is None:
        where = agreement.hub.name if agreement.hub_id else _("nationellt")
        raise NoFeeScheduleError(
            _("Ingen fastställd avgiftstrappa (%(where)s) gäller den %(date)s.")
            % {"where": where, "date": agreement.start_on}
        )
    if agreement.model == MembershipModel.SEATS:
        yearly = (agreement.seats or 0) * schedule.seat_price_ore
    else:
        yearly = tier_for(
            schedule.tier_values(), agreement.employees, agreement.member.kind
        ).yearly_fee_ore
    lines = fee_lines(agreement.start_on, agreement.end_on, yearly, agreement.discount_values())
    return AgreementFees(
        schedule=schedule,
        yearly_fee_ore=yearly,
        lines=lines,
        total_ore=sum(line.amount_ore for line in lines),
        allocation=_allocation(agreement, _net_by_year(lines)) if agreement.is_national else None,
    )


def _net_by_year(lines: Iterable[FeeLine | dict]) -> dict[int, int]:
    by_year: dict[int, int] = {}
    for line in lines:
        year, amount = (
            (line["year"], line["amount_ore"])
            if isinstance(line, dict)
            else (line.year, line.amount_ore)
        )
        by_year[year] = by_year.get(year, 0) + amount
    return by_year


def _allocation(agreement: Agreement, by_year: dict[int, int]) -> list[dict]:
    """Each year's net amount split to the hubs by the member's employees at each locality."""
    localities = list(agreement.localities.all())
    weights = {row.hub_id: row.employees for row in localities}
    names = {row.hub_id: row.hub.name for row in localities}
    return [
        {"year": year, "hub_id": hub_id, "hub": names[hub_id], "amount_ore": amount}
        for year, net in by_year.items()
        for hub_id, amount in allocate(net, weights).items()
    ]


def agreed_amounts_by_hub(agreement: Agreement) -> dict[int, dict[int, int]]:
    """Hub id → calendar year → the agreement's agreed net fee there (öre): its lines as the
    invoicing basis reads them (``agreed_fee_lines``); a hub agreement's all to its hub, a
    national one's allocated by the member's employees per locality. Raises
    NoFeeScheduleError when the lines must be computed and no schedule covers them."""
    by_year = _net_by_year(agreed_fee_lines(agreement))
    if not agreement.is_national:
        return {agreement.hub_id: by_year}
    amounts: dict[int, dict[int, int]] = {}
    for part in _allocation(agreement, by_year):
        amounts.setdefault(part["hub_id"], {})[part["year"]] = part["amount_ore"]
    return amounts


def agreements_visible_to(user: User | AnonymousUser) -> QuerySet[Agreement]:
    """The agreements ``user`` may read: the coordinator all; principal staff and community
    managers their hubs'; people of a member organisation their own organisation's."""
    rows = Agreement.objects.select_related("hub", "member", "principal")
    if roles.is_national_coordinator(user):
        return rows
    hub_ids = {
        hub_id
        for role, hub_id in roles.user_roles(user)
        if role in (PRINCIPAL_STAFF, COMMUNITY_MANAGER) and hub_id is not None
    }
    visible = Q(hub__in=hub_ids)
    organisation_id = _organisation_id(user)
    if organisation_id is not None:
        visible |= Q(member=organisation_id)
    return rows.filter(visible)


def _organisation_id(user: User | AnonymousUser) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.organisation_id if person is not None else None


def hubs_of_visible_agreements(user: User | AnonymousUser) -> QuerySet[Hub]:
    """The hubs of the agreements ``user`` may read (the list page's hub filter)."""
    return Hub.objects.filter(pk__in=agreements_visible_to(user).values("hub")).order_by("name")


def hubs_permitted(user: User | AnonymousUser, permission: str, hubs: QuerySet[Hub]) -> list[Hub]:
    """Those of ``hubs`` on which ``user`` has ``permission`` (asked with the hub), by name."""
    return [hub for hub in hubs.order_by("name") if user.has_perm(permission, hub)]


def agreements_to_send(user: User | AnonymousUser) -> list[Agreement]:
    """Generated agreements not yet sent, of those ``user`` manages (start page)."""
    rows = agreements_visible_to(user).filter(state="generated").order_by("start_on", "number")
    return [row for row in rows if user.has_perm("memberships.manage_agreement", row)]


def agreements_to_renew(user: User | AnonymousUser, *, today: date) -> list[Agreement]:
    """Active agreements ending within 60 days and not yet renewed, of those ``user`` manages
    (start page): renewal makes the next period's draft."""
    rows = agreements_due_for_renewal(on=today, agreements=agreements_visible_to(user))
    return [row for row in rows if user.has_perm("memberships.manage_agreement", row)]


def agreement_get(agreement_id: int) -> Agreement:
    return (
        Agreement.objects.select_related("hub", "member", "principal")
        .prefetch_related("discounts", "localities__hub")
        .get(pk=agreement_id)
    )


def agreements_due_for_renewal(
    *, on: date, agreements: QuerySet[Agreement] | None = None
) -> QuerySet[Agreement]:
    """Active agreements ending within RENEWAL_NOTICE of ``on`` that have no renewal yet,
    the soonest ending first: the principal's list to renew."""
    rows = Agreement.objects.all() if agreements is None else agreements
    return rows.filter(
        state=AgreementState.ACTIVE,
        end_on__gte=on,
        end_on__lte=on + RENEWAL_NOTICE,
        renewal__isnull=True,
    ).order_by("end_on", "number")


def agreements_for_generation(hub: Hub) -> QuerySet[Agreement]:
    """A hub's drafts, in number order: what a batch generates."""
    return Agreement.objects.filter(hub=hub, state="draft").order_by("number")


def agreement_documents(agreement: Agreement) -> QuerySet:
    return agreement.documents.select_related("template").order_by("-version")


def agreement_document_file_name(document: Any) -> str:
    """``<number> <member> v<version>.docx``."""
    agreement = document.agreement
    return f"{agreement.number} {agreement.member.name} v{document.version}.docx"


def signed_copies(agreement: Agreement) -> QuerySet:
    return agreement.signed_copies.order_by("-version")


def signed_copy_file_name(copy: Any) -> str:
    """``<number> <member> undertecknat v<version>.<extension of its content>``."""
    extension = copy.file.name.rsplit(".", 1)[-1]
    agreement = copy.agreement
    return f"{agreement.number} {agreement.member.name} undertecknat v{copy.version}.{extension}"


INVOICED_STATES = ("signed", "active", "expired", "terminated")


@dataclass(frozen=True)
class InvoicingLine:
    number: str
    member: str
    member_org_number: str
    invoice_reference: str
    invoice_address: str
    year: int
    kind: str
    period: str
    rule: str
    amount_ore: int
    invoiced_at: str
    invoiced_by: str
    paid_at: str
    paid_by: str


def invoicing_basis(hub: Hub, year: int) -> list[InvoicingLine]:
    """The fee lines of ``year`` of the hub's signed agreements (fakturaunderlag): as frozen in
    the newest document when there is one, else as computed; with the year's invoicing marks."""
    rows = (
        Agreement.objects.filter(
            hub=hub, state__in=INVOICED_STATES, start_on__year__lte=year, end_on__year__gte=year
        )
        .select_related("member", "principal", "hub")
        .prefetch_related("documents", "invoices__invoiced_by", "invoices__paid_by")
        .order_by("number")
    )
    lines: list[InvoicingLine] = []
    for agreement in rows:
        marks = {mark.year: mark for mark in agreement.invoices.all()}
        mark = marks.get(year)
        for line in agreed_fee_lines(agreement):
            if line["year"] != year:
                continue
            lines.append(
                InvoicingLine(
                    number=agreement.number,
                    member=agreement.member.name,
                    member_org_number=agreement.member.org_number_display,
                    invoice_reference=agreement.invoice_reference,
                    invoice_address=agreement.invoice_address,
                    year=year,
                    kind=line["kind"],
                    period=line["period"],
                    rule=line["rule"],
                    amount_ore=line["amount_ore"],
                    invoiced_at=_when(mark.invoiced_at) if mark else "",
                    invoiced_by=_who(mark.invoiced_by) if mark else "",
                    paid_at=_when(mark.paid_at) if mark else "",
                    paid_by=_who(mark.paid_by) if mark else "",
                )
            )
    return lines


@dataclass(frozen=True)
class InvoicingGroup:
    """One agreement's lines of the year and its marks, for the invoicing page."""

    agreement_id: int
    number: str
    member: str
    lines: list[InvoicingLine]
    total_ore: int
    invoiced: bool
    paid: bool


def invoicing_groups(hub: Hub, year: int) -> list[InvoicingGroup]:
    """``invoicing_basis`` grouped per agreement, with the agreement's id to mark it by."""
    lines = invoicing_basis(hub, year)
    ids = dict(
        Agreement.objects.filter(hub=hub, number__in={line.number for line in lines}).values_list(
            "number", "pk"
        )
    )
    groups: dict[str, list[InvoicingLine]] = {}
    for line in lines:
        groups.setdefault(line.number, []).append(line)
    return [
        InvoicingGroup(
            agreement_id=ids[number],
            number=number,
            member=rows[0].member,
            lines=rows,
            total_ore=sum(row.amount_ore for row in rows),
            invoiced=bool(rows[0].invoiced_at),
            paid=bool(rows[0].paid_at),
        )
        for number, rows in groups.items()
    ]


def agreed_fee_lines(agreement: Agreement) -> list[dict]:
    """The agreement's fee lines as agreed: frozen in its newest document when there is one
    (``documents`` prefetched or not), else as computed from the schedule in force."""
    documents = sorted(agreement.documents.all(), key=lambda document: -document.version)
    if documents and all("amount_ore" in line for line in documents[0].fee_lines):
        return documents[0].fee_lines
    return [
        {
            "kind": line.kind,
            "year": line.year,
            "period": f"{line.period_start.isoformat()} – {line.period_end.isoformat()}",
            "rule": line.rule,
            "amount_ore": line.amount_ore,
        }
        for line in agreement_fees(agreement).lines
    ]


def _when(moment: object) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _who(user: object) -> str:
    return user.get_username() if user is not None else ""
