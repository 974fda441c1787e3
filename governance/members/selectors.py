"""Reading members: with the facts their guards read, who sees whom, which agreement makes an
employee eligible, and everything stored about one member (their personal data)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django_fsm_log.models import StateLog

from governance.audit.models import AuditEntry
from governance.members.choices import MemberState
from governance.members.guards import (
    covering_agreements_filter,
    member_facts,
    seats_taken,
    with_room,
)
from governance.members.models import Member
from governance.memberships.models import Agreement
from governance.organisations import roles
from governance.organisations.org_numbers import org_number_display

COMMUNITY_MANAGER, PRINCIPAL_STAFF = "community_manager", "principal_staff"


def members_with_facts() -> QuerySet[Member]:
    """Members with hub, employer and agreement, annotated with what their guards read."""
    return Member.objects.annotate(**member_facts()).select_related(
        "hub", "organisation", "agreement"
    )


def members_visible_to(user: User | AnonymousUser) -> QuerySet[Member]:
    """The members ``user`` may read: the coordinator all; a hub's community manager and
    principal staff the hub's; a member their own. Unconfirmed applications are not shown:
    the CM sees an application once its address is confirmed."""
    rows = members_with_facts()
    if not user.is_authenticated:
        return rows.none()
    if not roles.is_national_coordinator(user):
        hub_ids = {
            hub_id
            for role, hub_id in roles.user_roles(user)
            if role in (COMMUNITY_MANAGER, PRINCIPAL_STAFF) and hub_id is not None
        }
        rows = rows.filter(Q(hub__in=hub_ids) | Q(user=user))
    return rows.filter(email_confirmed_at__isnull=False)


def members_to_decide(user: User | AnonymousUser) -> QuerySet[Member]:
    """Confirmed applications in the hubs where ``user`` manages members, oldest first."""
    rows = members_visible_to(user).filter(state=MemberState.APPLIED)
    if not roles.is_national_coordinator(user):
        hub_ids = {hub_id for role, hub_id in roles.user_roles(user) if role == COMMUNITY_MANAGER}
        rows = rows.filter(hub__in=hub_ids)
    return rows.order_by("created_at", "pk")


@dataclass(frozen=True)
class Eligibility:
    """Which agreement would take one more member: ``agreement`` with room, else ``full`` (a
    seat-model agreement with every seat taken), else neither (no covering agreement)."""

    agreement: Agreement | None
    full: Agreement | None


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def eligibility(*, organisation_id: int, hub_id: int) -> Eligibility:
    """The covering active agreement that has room: the open model before seats (a member
    takes no seat where they need none), then the hub's own before a national one."""
    rows = list(
        Agreement.objects.filter(
            covering_agreements_filter(organisation=organisation_id, hub=hub_id)
        )
        .annotate(
            taken=seats_taken(),
            has_room=_flag(with_room()),
            national=_flag(Q(hub__isnull=True)),
            seat_model=_flag(Q(model="seats")),
        )
        .order_by("seat_model", "national", "number")
    )
    with_space = [row for row in rows if row.has_room]
    return Eligibility(
        agreement=with_space[0] if with_space else None,
        full=rows[0] if rows and not with_space else None,
    )


def member_get(member_id: int) -> Member:
    return members_with_facts().prefetch_related("onboarding__changed_by").get(pk=member_id)


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def audit_entries_about(member: Member) -> QuerySet[AuditEntry]:
    """Entries about the member, and about their seat when they hold one."""
    about = Q(content_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk))
    if member.seat_holder_id:
        about |= Q(
            content_type__app_label="memberships",
            content_type__model="seatholder",
            object_id=str(member.seat_holder_id),
        ) | Q(
            content_type__app_label="memberships",
            content_type__model="agreement",
            details__seat_holder=member.seat_holder_id,
        )
    return AuditEntry.objects.filter(about).order_by("occurred_at", "pk")


def member_personal_data(member: Member) -> dict[str, Any]:
    """Everything stored about one member, for them to download: the application and its
    answers, the states with their dates, the onboarding and the audit entries about them."""
    seat = member.seat_holder
    return {
        "member": {
            "id": member.pk,
            "name": member.name,
            "email": member.email,
            "hub": member.hub.name,
            "employer": {
                "name": member.organisation.name,
                "org_number": org_number_display(member.organisation.org_number),
            },
            "agreement": member.agreement.number if member.agreement_id else None,
            "state": member.state,
            "state_display": str(member.get_state_display()),
            "applied_at": _when(member.created_at),
            "email_confirmed_at": _when(member.email_confirmed_at),
            "registered_by": member.registered_by.get_username() if member.registered_by else None,
            "decided_on": _when(member.decided_on),
            "decline_reason": member.decline_reason,
            "onboarded_on": _when(member.onboarded_on),
            "left_on": _when(member.left_on),
            "anonymised_at": _when(member.anonymised_at),
        },
        "answers": {
            "goals": {
                "question": str(Member._meta.get_field("goals").verbose_name),
                "answer": member.goals,
            },
            "contribution": {
                "question": str(Member._meta.get_field("contribution").verbose_name),
                "answer": member.contribution,
            },
        },
        "seat": None
        if seat is None
        else {
            "agreement": seat.agreement.number,
            "since": _when(seat.since),
            "until": _when(seat.until),
        },
        "states": [
            {
                "at": _when(log.timestamp),
                "transition": log.transition,
                "from": log.source_state,
                "to": log.state,
                "by": log.by.get_username() if log.by else None,
                "comment": log.description or "",
            }
            for log in StateLog.objects.for_(member)
            .select_related("by")
            .order_by("timestamp", "pk")
        ],
        "onboarding": [
            {
                "step": item.step,
                "label": str(item.get_step_display()),
                "done": item.done,
                "changed_by": item.changed_by.get_username() if item.changed_by else None,
                "changed_at": _when(item.changed_at),
            }
            for item in member.onboarding.select_related("changed_by")
        ],
        "audit": [
            {
                "at": _when(entry.occurred_at),
                "verb": entry.verb,
                "object": entry.object_type,
                "by": entry.actor_username or None,
                "before": entry.before,
                "after": entry.after,
                "details": entry.details,
            }
            for entry in audit_entries_about(member)
        ],
    }
