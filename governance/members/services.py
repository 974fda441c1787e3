"""Every write to individual members: the application (public, or registered by the CM), the
e-mail confirmation, the decision, the onboarding, leaving and the erasure of those who left
long ago. Each is checked against rules.py and audited in the same transaction."""

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from governance.audit.models import AuditEntry
from governance.audit.services import audit_changes, audit_record
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.lifecycle.services import transition_run
from governance.members import emails, selectors
from governance.members.choices import MemberState, OnboardingStep
from governance.members.links import CONFIRM_EMAIL, link_member
from governance.members.models import ANONYMISED_NAME, Member, OnboardingItem
from governance.memberships import services as memberships
from governance.memberships.choices import MembershipModel
from governance.organisations.models import Organisation
from governance.organisations.org_numbers import org_number_normalise
from governance.permissions import require_permission
from governance.writes import model_create

APPLICATION_FIELDS = ["hub", "organisation", "name", "email", "goals", "contribution"]
# The audit values that are personal: cleared from the entries about an erased member.
PERSONAL_KEYS = {"name", "email", "goals", "contribution", "decline_reason", "holder", "comment"}
ERASED = "[anonymiserad]"


def _organisation_by_org_number(org_number: str) -> Organisation:
    try:
        digits = org_number_normalise(org_number)
    except ValidationError as error:
        raise ValidationError({"org_number": error.error_list}) from error
    organisation = Organisation.objects.filter(org_number=digits).first()
    if organisation is None:
        raise ValidationError(
            {
                "org_number": ValidationError(
                    _("Ingen medlemsorganisation har detta organisationsnummer."),
                    code="unknown_organisation",
                )
            }
        )
    return organisation


def _require_eligible(organisation: Organisation, hub: Hub) -> None:
    """Playbook "Medlemskap": "var anställd i en medlemsorganisation kunde själv ansöka".
    No covering active agreement is a 422 on the employer; a full seat-model agreement a 409
    naming the agreement and its seats."""
    found = selectors.eligibility(organisation_id=organisation.pk, hub_id=hub.pk)
    if found.agreement is not None:
        return
    if found.full is not None:
        raise ConflictError(
            "seat_limit_reached",
            _(
                "Avtal %(number)s för %(organisation)s har %(seats)d platser och alla är "
                "tagna; organisationen kan byta en platsinnehavare eller utöka avtalet."
            )
            % {
                "number": found.full.number,
                "organisation": organisation.name,
                "seats": found.full.seats,
            },
            agreement={"id": found.full.pk, "number": found.full.number, "seats": found.full.seats},
        )
    raise ValidationError(
        {
            "org_number": ValidationError(
                _(
                    "%(organisation)s har inget gällande medlemsavtal som omfattar %(hub)s; "
                    "bara anställda i medlemsorganisationer kan ansöka."
                )
                % {"organisation": organisation.name, "hub": hub.name},
                code="no_active_agreement",
            )
        }
    )


def _hub(hub_id: int) -> Hub:
    hub = Hub.objects.filter(pk=hub_id).first()
    if hub is None:
        raise ValidationError({"hub_id": _("Det finns ingen hubb med detta id.")})
    return hub


def _member_create(
    *, actor: User | None, hub_id: int, org_number: str, fields: dict[str, Any], **extra: Any
) -> Member:
    hub = _hub(hub_id)
    organisation = _organisation_by_org_number(org_number)
    member, changes = model_create(
        Member,
        data={"hub": hub.pk, "organisation": organisation.pk, **fields, **extra},
        fields=[*APPLICATION_FIELDS, *extra],
    )
    _require_eligible(organisation, hub)
    OnboardingItem.objects.bulk_create(
        OnboardingItem(member=member, step=step) for step in OnboardingStep.values
    )
    audit_changes(actor=actor, verb="member_applied", target=member, changes=changes)
    return member


@transaction.atomic
def member_apply(
    *,
    hub_id: int,
    org_number: str,
    site_root: str,
    applicant: User | AnonymousUser | None = None,
    **fields: Any,
) -> Member:
    """An application from the public page (no account needed): the two questions, name,
    address, hub and employer. It reaches the CM once the address is confirmed by the mailed
    link. A signed-in applicant whose account has the same address is linked to the
    membership, so they read it and download their data signed in."""
    linked = (
        {"user": applicant.pk}
        if applicant is not None
        and applicant.is_authenticated
        and applicant.email
        and applicant.email.lower() == str(fields.get("email", "")).lower()
        else {}
    )
    member = _member_create(
        actor=None, hub_id=hub_id, org_number=org_number, fields=fields, **linked
    )
    transaction.on_commit(
        partial(
            emails.confirmation_email_send,
            member_id=member.pk,
            site_root=site_root,
            language=get_language() or settings.LANGUAGE_CODE,
        )
    )
    return member


@transaction.atomic
def member_register(*, actor: User, hub_id: int, org_number: str, **fields: Any) -> Member:
    """The CM registers an application on someone's behalf; the CM vouches for the address,
    so it counts as confirmed."""
    require_permission(actor, "members.create_member", _hub(hub_id))
    return _member_create(
        actor=actor,
        hub_id=hub_id,
        org_number=org_number,
        fields=fields,
        email_confirmed_at=timezone.now(),
        registered_by=actor.pk,
    )


@transaction.atomic
def member_email_confirm(*, token: str) -> Member:
    """Confirm the application's address from the mailed link (LinkError when it was altered,
    has expired or no longer matches); confirming twice changes nothing."""
    member = link_member(token, CONFIRM_EMAIL)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.email_confirmed_at is None:
        member.email_confirmed_at = timezone.now()
        member.save(update_fields=["email_confirmed_at", "updated_at"])
        audit_record(
            actor=None,
            verb="member_email_confirmed",
            target=member,
            after={"email_confirmed_at": member.email_confirmed_at.isoformat()},
        )
    return member


@transaction.atomic
def member_transition(*, actor: User, member_id: int, name: str, comment: str = "") -> Member:
    """Run one of the member's transitions. Declining needs the reason (the comment); approving
    ties the member to the agreement that makes them eligible and, in the seat model, gives
    them one of its seats; leaving frees the seat."""
    if name == "decline" and not comment.strip():
        raise ValidationError(
            {"comment": ValidationError(_("Ett avslag behöver ett skäl."), code="reason_required")}
        )
    member = transition_run(
        selectors.members_with_facts(), pk=member_id, name=name, actor=actor, comment=comment
    )
    if name == "decline":
        member.decline_reason = comment.strip()
        member.save(update_fields=["decline_reason", "updated_at"])
    elif name == "approve":
        _take_agreement(actor, member)
    elif name == "leave" and member.seat_holder_id:
        memberships.seat_holder_end_for_member(
            actor=actor, holder_id=member.seat_holder_id, on=member.left_on
        )
    return member


def _take_agreement(actor: User, member: Member) -> None:
    found = selectors.eligibility(organisation_id=member.organisation_id, hub_id=member.hub_id)
    agreement = found.agreement  # the guard saw one with room in this transaction
    member.agreement = agreement
    if agreement.model == MembershipModel.SEATS:
        member.seat_holder = memberships.seat_holder_add_for_member(
            actor=actor, agreement_id=agreement.pk, name=member.name, email=member.email
        )
    member.save(update_fields=["agreement", "seat_holder", "updated_at"])
    audit_record(
        actor=actor,
        verb="member_agreement_set",
        target=member,
        after={"agreement": agreement.pk, "seat_holder": member.seat_holder_id},
    )


@transaction.atomic
def onboarding_item_set(*, actor: User, member_id: int, step: str, done: bool) -> OnboardingItem:
    """Tick one onboarding step done, or open it again, while the member is approved (before
    the onboarding is marked complete); who and when are kept and audited."""
    member = Member.objects.select_for_update().select_related("hub").get(pk=member_id)
    require_permission(actor, "members.manage_member", member)
    if step not in OnboardingStep.values:
        raise ValidationError({"step": _("Okänt steg.")})
    if member.state != MemberState.APPROVED:
        raise ConflictError(
            "onboarding_closed",
            _("Introduktionen görs när medlemmen är godkänd, före läget ”%(state)s”.")
            % {"state": member.get_state_display()},
            state=member.state,
            allowed=[],
        )
    item = member.onboarding.select_for_update().get(step=step)
    if item.done != done:
        before = {"step": step, "done": item.done}
        item.done, item.changed_by, item.changed_at = done, actor, timezone.now()
        item.save(update_fields=["done", "changed_by", "changed_at"])
        audit_record(
            actor=actor,
            verb="onboarding_item_changed",
            target=member,
            before=before,
            after={"step": step, "done": done},
        )
    return item


def personal_data_export(*, actor: User | AnonymousUser, member_id: int) -> dict[str, Any]:
    """Everything stored about a member, for the member or the CM acting for them."""
    member = selectors.member_get(member_id)
    require_permission(actor, "members.export_personal_data", member)
    return selectors.member_personal_data(member)


# --- Erasure --------------------------------------------------------------------------------


def erasure_due(*, today: date) -> Any:
    """Members whose data the retention period no longer covers: those who left, were
    declined, or never confirmed their address, longer than MEMBER_RETENTION_DAYS ago."""
    cutoff = today - timedelta(days=settings.MEMBER_RETENTION_DAYS)
    return Member.objects.filter(anonymised_at__isnull=True).filter(
        Q(state=MemberState.LEFT, left_on__lt=cutoff)
        | Q(state=MemberState.DECLINED, decided_on__lt=cutoff)
        | Q(
            state=MemberState.APPLIED,
            email_confirmed_at__isnull=True,
            created_at__date__lt=cutoff,
        )
    )


@transaction.atomic
def members_erase_departed(*, today: date) -> dict[str, Any]:
    """Anonymise everyone ``erasure_due`` names (the nightly flow ``erase_departed_members``).
    Each row stays, so agreements, seat counts and anything pointing at it hold; the audit
    entries stay too, with their personal values removed."""
    erased = [
        member_erase(member_id=member_id, today=today)
        for member_id in erasure_due(today=today).order_by("pk").values_list("pk", flat=True)
    ]
    return {"on": today.isoformat(), "erased": erased, "count": len(erased)}


def member_erase(*, member_id: int, today: date) -> int:
    """Remove one member's personal data: name "Anonymiserad medlem", no address, no answers,
    no reason, no account link; their seat's name and address; and in every audit entry and
    transition log line about them, the personal values (names, addresses, answers,
    comments). What happened, when and by whom stays; the personal values do not."""
    member = Member.objects.select_for_update().select_related("hub").get(pk=member_id)
    personal = {
        value
        for value in (
            member.name,
            member.email,
            member.goals,
            member.contribution,
            member.decline_reason,
        )
        if value
    }
    member.name, member.email, member.goals, member.contribution = ANONYMISED_NAME, "", "", ""
    member.decline_reason, member.user, member.anonymised_at = "", None, timezone.now()
    member.save(
        update_fields=[
            "name",
            "email",
            "goals",
            "contribution",
            "decline_reason",
            "user",
            "anonymised_at",
            "updated_at",
        ]
    )
    if member.seat_holder_id:
        memberships.seat_holder_anonymise(holder_id=member.seat_holder_id, name=ANONYMISED_NAME)
    _audit_scrub(member, personal)
    StateLog.objects.for_(member).update(description="")
    audit_record(
        actor=None,
        verb="member_anonymised",
        target=member,
        details={"retention_days": settings.MEMBER_RETENTION_DAYS, "on": today.isoformat()},
    )
    return member.pk


def _audit_scrub(member: Member, personal: set[str]) -> None:
    entries = selectors.audit_entries_about(member)
    member_type = ContentType.objects.get_for_model(Member)
    for entry in entries.select_for_update():
        entry.before = _scrubbed(entry.before, personal)
        entry.after = _scrubbed(entry.after, personal)
        entry.details = _scrubbed(entry.details, personal) or {}
        if entry.content_type_id == member_type.pk:
            entry.object_repr = str(member)[:300]
        elif any(value in entry.object_repr for value in personal):
            entry.object_repr = ERASED
        AuditEntry.objects.filter(pk=entry.pk).update(
            before=entry.before,
            after=entry.after,
            details=entry.details,
            object_repr=entry.object_repr,
        )


def _scrubbed(values: dict[str, Any] | None, personal: set[str]) -> dict[str, Any] | None:
    """The values with personal keys, and any value equal to a personal text, removed."""
    if values is None:
        return None
    return {
        key: ERASED
        if key in PERSONAL_KEYS
        and value not in (None, "")
        or (isinstance(value, str) and value in personal)
        else value
        for key, value in values.items()
    }
