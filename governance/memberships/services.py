"""Every write to fee schedules and agreements, each checked against rules.py and audited in
the same transaction."""

import hashlib
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import Changes, audit_changes, audit_record
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.lifecycle import versions
from governance.lifecycle.services import transition_run
from governance.memberships.choices import AgreementState, FeeScheduleState, MembershipModel
from governance.memberships.fees import Tier, ladder_errors
from governance.memberships.guards import fee_schedule_facts
from governance.memberships.models import (
    MANAGE_AGREEMENT,
    Agreement,
    AgreementDiscount,
    AgreementLocality,
    FeeSchedule,
    FeeTier,
    InvoiceMark,
    SeatHolder,
    SignedCopy,
)
from governance.memberships.validators import SIGNATURE_BYTES, signed_copy_kind
from governance.organisations.models import Organisation
from governance.organisations.org_numbers import validate_org_number
from governance.permissions import require_permission
from governance.writes import model_create, model_update

FEE_SCHEDULE_EDITABLE_FIELDS = [
    "effective_from",
    "seat_price_ore",
    "agreed_on",
    "decision_reference",
]
# The intake (playbook "Avtal, upphandling och administration": "org-nr, önskat antal
# medlemmar, start- och slutdatum, namn och kontaktuppgifter till avtalsombud, etc.").
AGREEMENT_EDITABLE_FIELDS = [
    "model",
    "seats",
    "employees",
    "language",
    "start_on",
    "end_on",
    "member_signatory_name",
    "member_signatory_title",
    "member_signatory_email",
    "member_signatory_phone",
    "member_signatory_authority",
    "principal_signatory_name",
    "principal_signatory_title",
    "contact_name",
    "contact_email",
    "contact_phone",
    "registration_number",
    "invoice_reference",
    "invoice_address",
    "notes",
]
NATIONAL_NUMBER_PREFIX = "NAT"
MANAGE = MANAGE_AGREEMENT
RENEWAL_WINDOW = timedelta(days=90)


# --- Fee schedules ------------------------------------------------------------------------


def _hub_or_none(hub_id: int | None, field: str = "hub_id") -> Hub | None:
    if hub_id is None:
        return None
    try:
        return Hub.objects.select_for_update().get(pk=hub_id)
    except Hub.DoesNotExist as error:
        raise ValidationError({field: _("Det finns ingen hubb med detta id.")}) from error


def _tiers_checked(tiers: list[dict[str, Any]]) -> list[Tier]:
    values = [
        Tier(
            tier["employees_from"],
            tier.get("employees_to"),
            tier["yearly_fee_ore"],
            tier.get("organisation_kind") or "",
        )
        for tier in tiers
    ]
    errors = ladder_errors(values)
    if errors:
        raise ValidationError(
            {
                field: [ValidationError(message, code="invalid_ladder") for message in messages]
                for field, messages in errors.items()
            }
        )
    return values


def _tiers_replace(schedule: FeeSchedule, tiers: list[Tier]) -> None:
    schedule.tiers.all().delete()
    FeeTier.objects.bulk_create(
        FeeTier(
            schedule=schedule,
            position=position,
            organisation_kind=tier.organisation_kind,
            employees_from=tier.employees_from,
            employees_to=tier.employees_to,
            yearly_fee_ore=tier.yearly_fee_ore,
        )
        for position, tier in enumerate(tiers)
    )


def _tiers_audited(tiers: list[Tier]) -> list[dict[str, Any]]:
    return [tier.__dict__ for tier in tiers]


@transaction.atomic
def fee_schedule_create(
    *,
    actor: User,
    hub_id: int | None,
    tiers: list[dict[str, Any]],
    agreed_by: Iterable[int] = (),
    **fields: Any,
) -> FeeSchedule:
    """A new draft version of a hub's fees (or the national ones, ``hub_id=None``)."""
    hub = _hub_or_none(hub_id)
    require_permission(actor, "memberships.create_fee_schedule", hub)
    checked = _tiers_checked(tiers)
    agreeing = versions.organisations_checked(agreed_by)
    version = versions.next_version(FeeSchedule, hub=hub)
    schedule, changes = model_create(
        FeeSchedule,
        data={**fields, "hub": hub.pk if hub else None, "version": version},
        fields=[*FEE_SCHEDULE_EDITABLE_FIELDS, "hub", "version"],
    )
    _tiers_replace(schedule, checked)
    schedule.agreed_by.set(agreeing)
    changes.after.update(
        tiers=_tiers_audited(checked), agreed_by=[organisation.pk for organisation in agreeing]
    )
    audit_changes(actor=actor, verb="created", target=schedule, changes=changes)
    return schedule


@transaction.atomic
def fee_schedule_update(
    *,
    actor: User,
    fee_schedule_id: int,
    tiers: list[dict[str, Any]] | None = None,
    agreed_by: Iterable[int] | None = None,
    **fields: Any,
) -> FeeSchedule:
    """Change a draft version; an adopted one never changes (409)."""
    schedule = FeeSchedule.objects.select_for_update().get(pk=fee_schedule_id)
    require_permission(actor, "memberships.change_fee_schedule", schedule)
    versions.require_draft(
        schedule, _("Bara ett utkast kan ändras; en fastställd version ändras aldrig.")
    )
    checked = _tiers_checked(tiers) if tiers is not None else None
    agreeing = versions.organisations_checked(agreed_by) if agreed_by is not None else None
    changes = model_update(schedule, data=fields, fields=FEE_SCHEDULE_EDITABLE_FIELDS)
    before, after = dict(changes.before or {}), dict(changes.after)
    if checked is not None:
        old_tiers = _tiers_audited(schedule.tier_values())
        _tiers_replace(schedule, checked)
        if old_tiers != _tiers_audited(checked):
            before["tiers"], after["tiers"] = old_tiers, _tiers_audited(checked)
    if agreeing is not None:
        versions.agreed_by_set(schedule, agreeing, before, after)
    audit_changes(
        actor=actor, verb="updated", target=schedule, changes=Changes(before=before, after=after)
    )
    return schedule


def fee_schedules_with_facts() -> Any:
    return FeeSchedule.objects.annotate(**fee_schedule_facts()).prefetch_related("tiers")


@transaction.atomic
def fee_schedule_transition(
    *, actor: User, feeschedule_id: int, name: str, comment: str = ""
) -> FeeSchedule:
    """Run one transition; adopting a version supersedes the versions it replaces."""
    schedule = transition_run(
        fee_schedules_with_facts(), pk=feeschedule_id, name=name, actor=actor, comment=comment
    )
    if name == "adopt":
        replaced = FeeSchedule.objects.filter(
            hub=schedule.hub_id,
            state=FeeScheduleState.ADOPTED,
            effective_from__lt=schedule.effective_from,
        )
        versions.supersede_replaced(fee_schedules_with_facts, replaced, by=schedule, actor=actor)
    return schedule


# --- Agreements ---------------------------------------------------------------------------


def number_prefix(hub: Hub | None) -> str:
    """Three capital letters of the hub's municipality without diacritics (Östersund: OST);
    NAT for national agreements."""
    if hub is None:
        return NATIONAL_NUMBER_PREFIX
    ascii_letters = [
        character
        for character in unicodedata.normalize("NFKD", hub.municipality)
        if character.isascii() and character.isalpha()
    ]
    return ("".join(ascii_letters)[:3] or "HUB").upper()


def _next_number(hub: Hub | None, year: int) -> str:
    """The next ``PREFIX-YEAR-NNN`` (the year the agreement starts); the hub row is locked, so
    two intakes get two numbers."""
    series = f"{number_prefix(hub)}-{year}-"
    taken = Agreement.objects.filter(number__startswith=series).values_list("number", flat=True)
    latest = max((int(number.removeprefix(series)) for number in taken), default=0)
    return f"{series}{latest + 1:03d}"


def _member_by_org_number(org_number: str) -> Organisation:
    digits = org_number.replace("-", "").strip()
    try:
        validate_org_number(digits)
    except ValidationError as error:
        raise ValidationError({"member_org_number": error.messages}) from error
    member = Organisation.objects.filter(org_number=digits).first()
    if member is None:
        raise ValidationError(
            {
                "member_org_number": ValidationError(
                    _(
                        "Ingen organisation med detta organisationsnummer är registrerad; "
                        "registrera den först."
                    ),
                    code="unknown_organisation",
                )
            }
        )
    return member


def _localities_checked(localities: list[dict[str, Any]]) -> list[tuple[Hub, int]]:
    hub_ids = [entry["hub_id"] for entry in localities]
    hubs = Hub.objects.in_bulk(hub_ids)
    errors: dict[str, str] = {}
    for index, entry in enumerate(localities):
        if entry["hub_id"] not in hubs:
            errors[f"localities.{index}.hub_id"] = _("Det finns ingen hubb med detta id.")
        elif hub_ids.index(entry["hub_id"]) != index:
            errors[f"localities.{index}.hub_id"] = _("Hubben finns redan med i listan.")
    if errors:
        raise ValidationError(errors)
    return [(hubs[entry["hub_id"]], entry["employees"]) for entry in localities]


def _overlapping(agreement: Agreement) -> Agreement | None:
    """Another agreement of the same member and scope whose period overlaps this one's."""
    return (
        Agreement.objects.filter(
            member=agreement.member_id,
            hub=agreement.hub_id,
            start_on__lte=agreement.end_on,
            end_on__gte=agreement.start_on,
        )
        .exclude(pk=agreement.pk)
        .exclude(state=AgreementState.TERMINATED)
        .order_by("start_on")
        .first()
    )


def _refuse_overlap(agreement: Agreement) -> None:
    other = _overlapping(agreement)
    if other is not None:
        raise ConflictError(
            "agreement_overlap",
            _(
                "Medlemsorganisationen har redan avtal %(number)s (%(start)s–%(end)s) för samma "
                "hubb under en del av perioden."
            )
            % {"number": other.number, "start": other.start_on, "end": other.end_on},
            other_agreement={"id": other.pk, "number": other.number},
        )


def _discounts_replace(agreement: Agreement, discounts: list[dict[str, Any]]) -> list[dict]:
    agreement.discounts.all().delete()
    rows = []
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(discounts):
        row = AgreementDiscount(agreement=agreement, **entry)
        try:
            row.full_clean(exclude=["agreement"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"discounts.{index}.{name}"] = messages
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    AgreementDiscount.objects.bulk_create(rows)
    return [{"percent": row.percent, "year": row.year, "reason": row.reason} for row in rows]


def _localities_replace(agreement: Agreement, checked: list[tuple[Hub, int]]) -> list[dict]:
    agreement.localities.all().delete()
    AgreementLocality.objects.bulk_create(
        AgreementLocality(agreement=agreement, hub=hub, employees=employees)
        for hub, employees in checked
    )
    return [{"hub": hub.pk, "employees": employees} for hub, employees in checked]


def _scope_data(
    hub: Hub | None, principal_id: int | None, localities: list[dict[str, Any]] | None
) -> tuple[dict[str, Any], list[tuple[Hub, int]] | None]:
    """The principal and, for a national agreement, its localities and summed employees."""
    if hub is not None:
        if hub.principal_id is None:
            raise ValidationError({"hub_id": _("Hubben har ingen huvudman som kan teckna avtal.")})
        if localities:
            raise ValidationError({"localities": _("Orter anges bara för ett nationellt avtal.")})
        return {"principal_id": hub.principal_id}, None
    errors = {}
    if principal_id is None:
        errors["principal_id"] = _(
            "Ett nationellt avtal behöver den nationella ägaren som huvudman."
        )
    elif not Organisation.objects.filter(pk=principal_id).exists():
        errors["principal_id"] = _("Det finns ingen organisation med detta id.")
    if not localities:
        errors["localities"] = _(
            "Ange medlemmens anställda på varje ort med en hubb; de avgör avgiften och "
            "fördelningen till hubbarna."
        )
    if errors:
        raise ValidationError(errors)
    checked = _localities_checked(localities)
    return {
        "principal_id": principal_id,
        "employees": sum(employees for _hub, employees in checked),
    }, checked


def _probe_errors(data: dict[str, Any], *, exclude: list[str]) -> dict[str, Any]:
    """The model's own messages for ``data`` when other fields already failed, so that one
    answer names every bad field; nothing is saved."""
    probe = Agreement(**{name: value for name, value in data.items() if value is not None})
    try:
        probe.full_clean(exclude=[*exclude, "state", "number"], validate_unique=False)
    except ValidationError as error:
        return error.error_dict
    return {}


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    hub_id: int | None,
    member_org_number: str,
    principal_id: int | None = None,
    discounts: list[dict[str, Any]] = (),
    localities: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Agreement:
    """A new draft agreement from the intake data, numbered per hub and year.

    Every field is checked before anything is saved, each message on its field; a second
    agreement for the same member and scope overlapping in time is a 409 naming the other.
    """
    hub = _hub_or_none(hub_id)
    require_permission(actor, "memberships.create_agreement", hub)
    errors: dict[str, Any] = {}
    member = None
    try:
        member = _member_by_org_number(member_org_number)
    except ValidationError as error:
        errors.update(error.error_dict)
    scope, checked_localities = {}, None
    try:
        scope, checked_localities = _scope_data(hub, principal_id, localities)
    except ValidationError as error:
        errors.update(error.error_dict)
    data = {
        **fields,
        **scope,
        "hub_id": hub.pk if hub else None,
        "member_id": member.pk if member else None,
        "number": _next_number(hub, fields["start_on"].year),
    }
    if errors:
        unresolved = [name for name in ("member", "principal", "employees") if name in errors]
        unresolved += [name for name in ("member", "principal") if data.get(f"{name}_id") is None]
        if data.get("employees") is None:
            unresolved.append("employees")  # a national agreement's comes from its localities
        raise ValidationError({**_probe_errors(data, exclude=unresolved), **errors})
    agreement, changes = model_create(
        Agreement,
        data=data,
        fields=[*AGREEMENT_EDITABLE_FIELDS, "hub", "member", "principal", "number"],
    )
    _refuse_overlap(agreement)
    changes.after["discounts"] = _discounts_replace(agreement, list(discounts))
    if checked_localities is not None:
        changes.after["localities"] = _localities_replace(agreement, checked_localities)
    audit_changes(actor=actor, verb="created", target=agreement, changes=changes)
    return agreement


def _require_state(agreement: Agreement, *states: str, action: str) -> None:
    if agreement.state not in states:
        raise ConflictError(
            "not_allowed_in_state",
            _("%(action)s går inte när avtalet är i läget ”%(state)s”.")
            % {"action": action, "state": AgreementState(agreement.state).label},
            state=agreement.state,
            allowed=list(states),
        )


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement_id: int,
    discounts: list[dict[str, Any]] | None = None,
    localities: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Agreement:
    """Change a draft's intake data, its discounts or (national) its localities."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    require_permission(actor, "memberships.edit_agreement_draft", agreement)
    _require_state(agreement, AgreementState.DRAFT, action=_("Att ändra avtalet"))
    if localities is not None:
        if not agreement.is_national:
            raise ValidationError({"localities": _("Orter anges bara för ett nationellt avtal.")})
        if not localities:
            raise ValidationError({"localities": _("Ange minst en ort.")})
        checked = _localities_checked(localities)
        fields["employees"] = sum(employees for _hub, employees in checked)
    changes = model_update(agreement, data=fields, fields=AGREEMENT_EDITABLE_FIELDS)
    _refuse_overlap(agreement)
    before, after = dict(changes.before or {}), dict(changes.after)
    if discounts is not None:
        old = [
            {"percent": row.percent, "year": row.year, "reason": row.reason}
            for row in agreement.discounts.all()
        ]
        new = _discounts_replace(agreement, discounts)
        if old != new:
            before["discounts"], after["discounts"] = old, new
    if localities is not None:
        old = [
            {"hub": row.hub_id, "employees": row.employees} for row in agreement.localities.all()
        ]
        new = _localities_replace(agreement, checked)
        if old != new:
            before["localities"], after["localities"] = old, new
    audit_changes(
        actor=actor, verb="updated", target=agreement, changes=Changes(before=before, after=after)
    )
    return agreement


def _signature_date_errors(dates: dict[str, date | None]) -> dict[str, ValidationError]:
    today = timezone.localdate()
    return {
        name: ValidationError(
            _("En underskrift kan inte vara daterad i framtiden."), code="in_future"
        )
        for name, value in dates.items()
        if value is not None and value > today
    }


def _signatures_set(agreement: Agreement, actor: User, dates: dict[str, date | None]) -> None:
    """Record the signature dates given (checked by ``_signature_date_errors``), audited."""
    data = {name: value for name, value in dates.items() if value is not None}
    changes = model_update(agreement, data=data, fields=list(data))
    audit_changes(actor=actor, verb="signatures_recorded", target=agreement, changes=changes)


def _agreement_for_signing(actor: User, agreement_id: int) -> Agreement:
    """The agreement locked, for one who manages it, in the one state signatures are recorded
    in: sent to the member's avtalsombud."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    require_permission(actor, MANAGE, agreement)
    _require_state(agreement, AgreementState.SENT, action=_("Att registrera underskrifter"))
    return agreement


@transaction.atomic
def agreement_signatures_record(
    *,
    actor: User,
    agreement_id: int,
    member_signed_on: date | None = None,
    principal_signed_on: date | None = None,
) -> Agreement:
    """Record when the member's avtalsombud and the principal's avtalstecknare signed."""
    agreement = _agreement_for_signing(actor, agreement_id)
    dates = {"member_signed_on": member_signed_on, "principal_signed_on": principal_signed_on}
    errors = _signature_date_errors(dates)
    if errors:
        raise ValidationError(errors)
    _signatures_set(agreement, actor, dates)
    return agreement


def _signed_copy_errors(file: File) -> tuple[dict[str, ValidationError], tuple[str, str] | None]:
    """The file's problems (empty, too large, not a PDF, PNG or JPEG by its content) and its
    (content type, extension) when it has none."""
    limit = settings.SIGNED_COPY_MAX_BYTES
    if not file.size:
        message, code = _("Filen är tom."), "empty"
    elif file.size > limit:
        message = _("Filen är större än %(limit)s byte.") % {"limit": limit}
        code = "too_large"
    else:
        file.seek(0)
        kind = signed_copy_kind(file.read(SIGNATURE_BYTES))
        file.seek(0)
        if kind is not None:
            return {}, kind
        message = _("Filen är varken en PDF, PNG eller JPEG (dess innehåll avgör, inte namnet).")
        code = "unsupported_content"
    return {"file": ValidationError(message, code=code)}, None


def _sha256_of(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def agreement_signed_copy_upload(
    *, actor: User, agreement_id: int, file: File, signed_on: date, signatory: str
) -> SignedCopy:
    """Store the signed copy the member returned and record the member's signature with its
    date: the evidence and the date in one step (signing then needs the principal's too).

    The file is a PDF, PNG or JPEG by its content, not empty and at most
    ``SIGNED_COPY_MAX_BYTES``; each problem is a 422 on its field; nothing is kept unless all
    is well. Stored through the default storage with its SHA-256; every upload is kept."""
    agreement = _agreement_for_signing(actor, agreement_id)
    errors: dict[str, Any] = {
        "signed_on" if name == "member_signed_on" else name: message
        for name, message in _signature_date_errors({"member_signed_on": signed_on}).items()
    }
    signatory = signatory.strip()
    if not signatory:
        errors["signatory"] = ValidationError(
            _("Ange vem som undertecknade för medlemmen."), code="required"
        )
    file_errors, kind = _signed_copy_errors(file)
    errors.update(file_errors)
    if errors:
        raise ValidationError(errors)
    _signatures_set(agreement, actor, {"member_signed_on": signed_on})
    newest = agreement.signed_copies.order_by("-version").first()
    content_type, extension = kind
    copy = SignedCopy(
        agreement=agreement,
        version=(newest.version + 1) if newest else 1,
        sha256=_sha256_of(file),
        content_type=content_type,
        size=file.size,
        signed_on=signed_on,
        signatory=signatory,
        uploaded_by=actor,
    )
    copy.full_clean(exclude=["file", "agreement", "uploaded_by"])
    # The stored name is the platform's own; the client's file name says nothing trusted.
    copy.file.save(f"{agreement.number}-signed-v{copy.version}.{extension}", file, save=False)
    copy.save()
    audit_record(
        actor=actor,
        verb="signed_copy_uploaded",
        target=agreement,
        after={"signed_on": signed_on.isoformat(), "signatory": signatory},
        details={
            "version": copy.version,
            "sha256": copy.sha256,
            "content_type": content_type,
            "size": copy.size,
        },
    )
    return copy


def agreements_with_facts() -> Any:
    return Agreement.objects.select_related("hub", "member", "principal")


@transaction.atomic
def agreement_terminate(
    *, actor: User, agreement_id: int, terminated_on: date, reason: str
) -> Agreement:
    """Terminate a signed or active agreement from a date, with the reason."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    require_permission(actor, MANAGE, agreement)
    _require_state(
        agreement, AgreementState.SIGNED, AgreementState.ACTIVE, action=_("Att säga upp avtalet")
    )
    if not agreement.start_on <= terminated_on <= agreement.end_on:
        raise ValidationError(
            {"terminated_on": _("Uppsägningsdatumet ska ligga inom avtalsperioden.")}
        )
    changes = model_update(
        agreement,
        data={"terminated_on": terminated_on, "termination_reason": reason},
        fields=["terminated_on", "termination_reason"],
    )
    audit_changes(actor=actor, verb="updated", target=agreement, changes=changes)
    return transition_run(
        agreements_with_facts(), pk=agreement.pk, name="terminate", actor=actor, comment=reason
    )


@transaction.atomic
def agreement_renew(*, actor: User, agreement_id: int) -> Agreement:
    """The next period's draft, copied from an active agreement (or one expired within 90
    days): it starts the day after this one ends and lasts as long."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("hub")
        .prefetch_related("discounts", "localities")
        .get(pk=agreement_id)
    )
    require_permission(actor, MANAGE, agreement)
    today = timezone.localdate()
    renewable = agreement.state == AgreementState.ACTIVE or (
        agreement.state == AgreementState.EXPIRED and today - agreement.end_on <= RENEWAL_WINDOW
    )
    if not renewable:
        raise ConflictError(
            "not_renewable",
            _(
                "Bara ett gällande avtal, eller ett som gått ut för högst 90 dagar sedan, kan "
                "förnyas (läget är ”%(state)s”, slutdatum %(end)s)."
            )
            % {"state": AgreementState(agreement.state).label, "end": agreement.end_on},
            state=agreement.state,
            allowed=[AgreementState.ACTIVE, AgreementState.EXPIRED],
        )
    if hasattr(agreement, "renewal"):
        raise ConflictError(
            "already_renewed",
            _("Avtalet är redan förnyat som %(number)s.") % {"number": agreement.renewal.number},
            state=agreement.state,
            allowed=[],
            renewal={"id": agreement.renewal.pk, "number": agreement.renewal.number},
        )
    start = agreement.end_on + timedelta(days=1)
    end = start + (agreement.end_on - agreement.start_on)
    copied = {name: getattr(agreement, name) for name in AGREEMENT_EDITABLE_FIELDS}
    renewal, changes = model_create(
        Agreement,
        data={
            **copied,
            "start_on": start,
            "end_on": end,
            "hub_id": agreement.hub_id,
            "member_id": agreement.member_id,
            "principal_id": agreement.principal_id,
            "renewed_from_id": agreement.pk,
            "number": _next_number(agreement.hub, start.year),
        },
        fields=[
            *AGREEMENT_EDITABLE_FIELDS,
            "hub",
            "member",
            "principal",
            "renewed_from",
            "number",
        ],
    )
    _refuse_overlap(renewal)
    if agreement.is_national:
        _localities_replace(
            renewal, [(row.hub, row.employees) for row in agreement.localities.all()]
        )
    audit_changes(actor=actor, verb="created", target=renewal, changes=changes)
    audit_record(actor=actor, verb="renewed", target=agreement, details={"renewal": renewal.number})
    return renewal


@transaction.atomic
def invoice_mark(
    *, actor: User, agreement_id: int, year: int, invoiced: bool | None, paid: bool | None
) -> InvoiceMark:
    """Mark an agreement's fee for ``year`` invoiced and/or paid (who, when), or undo a mark."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    require_permission(actor, MANAGE, agreement)
    if not agreement.start_on.year <= year <= agreement.end_on.year:
        raise ValidationError({"year": _("Året ligger utanför avtalsperioden.")})
    mark, _created = InvoiceMark.objects.get_or_create(agreement=agreement, year=year)
    before = {"invoiced_at": mark.invoiced_at, "paid_at": mark.paid_at}
    now = timezone.now()
    if invoiced is not None:
        mark.invoiced_at, mark.invoiced_by = (now, actor) if invoiced else (None, None)
    if paid is not None:
        if paid and mark.invoiced_at is None:
            raise ValidationError({"paid": _("Avgiften måste vara fakturerad innan den betalas.")})
        mark.paid_at, mark.paid_by = (now, actor) if paid else (None, None)
    mark.save()
    audit_record(
        actor=actor,
        verb="invoice_marked",
        target=agreement,
        before={name: value.isoformat() if value else None for name, value in before.items()},
        after={
            "invoiced_at": mark.invoiced_at.isoformat() if mark.invoiced_at else None,
            "paid_at": mark.paid_at.isoformat() if mark.paid_at else None,
        },
        details={"year": year},
    )
    return mark


def _seat_agreement(
    actor: User, agreement_id: int, *, permission: str | None = "memberships.name_seat_holders"
) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    if permission is not None:
        require_permission(actor, permission, agreement)
    if agreement.model != MembershipModel.SEATS:
        raise ConflictError(
            "not_seat_model",
            _("Bara ett avtal i platsmodellen har platsinnehavare."),
            state=agreement.state,
            allowed=[],
        )
    return agreement


@transaction.atomic
def seat_holder_add(*, actor: User, agreement_id: int, name: str, email: str) -> SeatHolder:
    """Name who holds a free seat; all seats taken is a 409 saying how many there are."""
    agreement = _seat_agreement(actor, agreement_id)
    return _seat_take(actor, agreement, name, email)


def _seat_take(actor: User, agreement: Agreement, name: str, email: str) -> SeatHolder:
    taken = agreement.seat_holders.filter(until__isnull=True).count()
    if taken >= (agreement.seats or 0):
        raise ConflictError(
            "no_free_seat",
            _("Alla %(seats)d platser är tagna; byt en innehavare i stället.")
            % {"seats": agreement.seats},
            state=agreement.state,
            allowed=[],
        )
    holder, changes = model_create(
        SeatHolder,
        data={"agreement": agreement.pk, "name": name, "email": email},
        fields=["agreement", "name", "email"],
    )
    audit_changes(actor=actor, verb="created", target=holder, changes=changes)
    return holder


@transaction.atomic
def seat_holder_swap(
    *, actor: User, agreement_id: int, holder_id: int, name: str, email: str
) -> SeatHolder:
    """Give a seat to someone else in one action: the holder's membership ends today and the
    new holder's begins; one audit entry names both."""
    agreement = _seat_agreement(actor, agreement_id)
    current = (
        agreement.seat_holders.select_for_update().filter(pk=holder_id, until__isnull=True).first()
    )
    if current is None:
        raise ValidationError({"holder_id": _("Ingen nuvarande platsinnehavare med detta id.")})
    today = timezone.localdate()
    successor, _changes = model_create(
        SeatHolder,
        data={"agreement": agreement.pk, "name": name, "email": email, "since": today},
        fields=["agreement", "name", "email", "since"],
    )
    SeatHolder.objects.filter(pk=current.pk).update(until=today)
    audit_record(
        actor=actor,
        verb="seat_holder_swapped",
        target=agreement,
        before={"holder": current.name, "email": current.email},
        after={"holder": successor.name, "email": successor.email},
        details={"on": today.isoformat(), "seat_holder": successor.pk},
    )
    return successor


# --- Seats held by individual members (governance.members) ----------------------------------
# An approved individual member in a seat-model agreement IS one of its seat holders: one list,
# so the seats the organisation names and the members the hub's CM approves can never disagree.
# The members app has checked its own rule (the hub's CM decides applications, playbook
# "Övrig medlemsadministration"); the seat count is checked here, under the agreement's lock.


@transaction.atomic
def seat_holder_add_for_member(
    *, actor: User, agreement_id: int, name: str, email: str
) -> SeatHolder:
    """A free seat for an individual member the hub's CM approved; 409 ``no_free_seat`` when
    every seat is taken, as for any holder."""
    agreement = _seat_agreement(actor, agreement_id, permission=None)
    return _seat_take(actor, agreement, name, email)


@transaction.atomic
def seat_holder_end_for_member(*, actor: User | None, holder_id: int, on: date) -> None:
    """The member left: their seat is free from ``on``; the row stays with ``until``."""
    holder = SeatHolder.objects.select_for_update().get(pk=holder_id)
    if holder.until is not None:
        return
    SeatHolder.objects.filter(pk=holder.pk).update(until=on)
    audit_record(
        actor=actor,
        verb="seat_holder_ended",
        target=holder.agreement,
        before={"until": None},
        after={"until": on.isoformat()},
        details={"seat_holder": holder.pk},
    )


def seat_holder_anonymise(*, holder_id: int, name: str) -> None:
    """Remove a departed member's name and address from their seat (the member's erasure
    records it, in its transaction); the row, its dates and the seat count stay."""
    SeatHolder.objects.filter(pk=holder_id).update(name=name, email="")
