"""Reads of hubs: lists and the national overview in a fixed number of queries."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django_fsm_log.models import StateLog

from governance.hubs.choices import CHECKLIST_PHASES, ItemStatus, Phase, ReadinessAspect
from governance.hubs.guards import hub_facts, unmet_messages
from governance.hubs.models import Hub, HubChecklistItem, ReadinessScore
from governance.hubs.phase_time import time_status, time_status_filter
from governance.organisations.models import RoleAssignment

READINESS_MAX = 3 * len(ReadinessAspect)


def hubs_with_facts() -> QuerySet[Hub]:
    """Hubs with what guards, progress and the overview need, loaded with the hubs."""
    in_phase = Q(checklist_items__phase=F("phase"))
    resolved = ~Q(checklist_items__status=ItemStatus.OPEN)
    required = Q(checklist_items__required=True)
    return (
        Hub.objects.select_related("principal")
        .annotate(
            **hub_facts(),
            items_total=Count("checklist_items", filter=in_phase),
            items_resolved=Count("checklist_items", filter=in_phase & resolved),
            required_total=Count("checklist_items", filter=in_phase & required),
            required_resolved=Count("checklist_items", filter=in_phase & required & resolved),
        )
        .prefetch_related(
            Prefetch("readiness_scores", queryset=ReadinessScore.objects.order_by("aspect")),
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("user").order_by("role", "pk"),
                to_attr="people",
            ),
        )
        .order_by("name", "pk")
    )


def hub_list(
    *,
    phase: str | None = None,
    county: str | None = None,
    time_status_is: str | None = None,
    today: date | None = None,
) -> QuerySet[Hub]:
    """Hubs, filtered by phase, county and time status."""
    hubs = hubs_with_facts()
    if phase:
        hubs = hubs.filter(phase=phase)
    if county:
        hubs = hubs.filter(county=county)
    if time_status_is:
        hubs = hubs.filter(time_status_filter(time_status_is, today or timezone.localdate()))
    return hubs


def hub_page(
    user: User,
    *,
    phase: str | None,
    county: str | None,
    time_status_is: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """One page of hub summaries and the number of hubs that match."""
    today = timezone.localdate()
    hubs = hub_list(phase=phase, county=county, time_status_is=time_status_is, today=today)
    return {
        "count": hubs.count(),
        "items": [hub_summary(hub, user, today) for hub in hubs[offset : offset + limit]],
    }


def hub_get(hub_id: int) -> Hub:
    return hubs_with_facts().get(pk=hub_id)


def hub_summary(hub: Hub, user: User, today: date) -> dict[str, Any]:
    """One hub as the overview and the list show it (from a hubs_with_facts row)."""
    scores = {row.aspect: row for row in hub.readiness_scores.all()}
    return {
        "id": hub.pk,
        "name": hub.name,
        "municipality": hub.municipality,
        "county": hub.county,
        "county_display": hub.get_county_display(),
        "phase": hub.phase,
        "phase_display": hub.get_phase_display(),
        "phase_entered_on": hub.phase_entered_on,
        "days_in_phase": (today - hub.phase_entered_on).days,
        "time_status": time_status(hub.phase, hub.phase_entered_on, today),
        "principal": hub.principal,
        "premises_status": hub.premises_status,
        "checklist": {
            "required_done": hub.required_resolved,
            "required_total": hub.required_total,
            "done": hub.items_resolved,
            "total": hub.items_total,
        },
        "readiness": {
            "scores": {
                aspect.value: scores[aspect].score if aspect in scores else None
                for aspect in ReadinessAspect
            },
            "total": sum(row.score for row in scores.values()),
            "max": READINESS_MAX,
        },
        "available_transitions": [
            transition.name for transition in hub.get_available_user_phase_transitions(user)
        ],
    }


def hub_overview(user: User, today: date | None = None) -> dict[str, Any]:
    """The national overview: counts per phase and one summary row per hub."""
    today = today or timezone.localdate()
    counts = dict(Hub.objects.order_by().values_list("phase").annotate(count=Count("pk")))
    return {
        "today": today,
        "counts_by_phase": {phase.value: counts.get(phase.value, 0) for phase in Phase},
        "hubs": [hub_summary(hub, user, today) for hub in hubs_with_facts()],
    }


def hub_transitions_view(hub: Hub, user: User) -> dict[str, Any]:
    """The hub's state, what the user may do now, what is blocked and why, and the history."""
    available = list(hub.get_available_user_phase_transitions(user))
    available_names = {transition.name for transition in available}
    blocked = [
        transition
        for transition in hub.get_all_phase_transitions()
        if transition.source in (hub.phase, "*")
        and transition.name not in available_names
        and transition.has_perm(hub, user)
    ]
    history = StateLog.objects.for_(hub).select_related("by").order_by("timestamp", "pk")
    return {
        "state": hub.phase,
        "state_display": hub.get_phase_display(),
        "available": [_describe(transition) for transition in available],
        "blocked": [
            {**_describe(transition), "unmet": unmet_messages(hub, transition.conditions)}
            for transition in blocked
        ],
        "history": [
            {
                "transition": log.transition,
                "source_state": log.source_state,
                "state": log.state,
                "by": log.by.get_username() if log.by else None,
                "timestamp": log.timestamp,
                "comment": log.description or "",
            }
            for log in history
        ],
    }


def _describe(transition: Any) -> dict[str, str]:
    target = transition.target
    return {
        "name": transition.name,
        "label": str(transition.custom.get("label", transition.name)),
        "target": target if isinstance(target, str) else "",
    }


def hub_checklist(hub: Hub, phase: str | None = None) -> QuerySet[HubChecklistItem]:
    """The hub's checklist items for one phase (default: its current phase, else all)."""
    phase_order = Case(
        *(When(phase=name, then=Value(index)) for index, name in enumerate(CHECKLIST_PHASES))
    )
    items = hub.checklist_items.select_related("changed_by").order_by(phase_order, "position")
    if phase:
        return items.filter(phase=phase)
    if hub.checklist_items.filter(phase=hub.phase).exists():
        return items.filter(phase=hub.phase)
    return items


def hub_detail(hub: Hub, user: User, today: date | None = None) -> dict[str, Any]:
    """Everything about one hub (from a hubs_with_facts row)."""
    today = today or timezone.localdate()
    scores = {row.aspect: row for row in hub.readiness_scores.all()}
    return {
        **hub_summary(hub, user, today),
        **{
            field: getattr(hub, field)
            for field in (
                "premises_address",
                "preparation_planned_on",
                "startup_planned_on",
                "operations_planned_on",
                "preparation_started_on",
                "startup_started_on",
                "operations_started_on",
                "paused_from",
                "closed_on",
                "notes",
            )
        },
        "people": [
            {
                "assignment_id": assignment.pk,
                "user_id": assignment.user_id,
                "username": assignment.user.get_username(),
                "full_name": assignment.user.get_full_name(),
                "role": assignment.role,
            }
            for assignment in hub.people
        ],
        "readiness_detail": [
            {
                "aspect": aspect.value,
                "aspect_display": str(aspect.label),
                "score": scores[aspect].score if aspect in scores else None,
                "note": scores[aspect].note if aspect in scores else "",
            }
            for aspect in ReadinessAspect
        ],
    }


def checklist_view(hub: Hub, phase: str | None = None) -> dict[str, Any]:
    """The hub's checklist in the reader's language, with target dates and progress."""
    english = (get_language() or "sv").startswith("en")
    items = list(hub_checklist(hub, phase).select_related("version"))
    shown_phase = phase or (
        items[0].phase if items and len({i.phase for i in items}) == 1 else None
    )
    rows = []
    for item in items:
        started_on = getattr(hub, f"{item.phase}_started_on", None)
        rows.append(
            {
                "key": item.key,
                "phase": item.phase,
                "position": item.position,
                "title": item.title_en if english else item.title_sv,
                "description": item.description_en if english else item.description_sv,
                "title_sv": item.title_sv,
                "title_en": item.title_en,
                "responsible_role": item.responsible_role,
                "required": item.required,
                "target_week": item.target_week,
                "target_date": (
                    started_on + timedelta(weeks=item.target_week)
                    if started_on and item.target_week is not None
                    else None
                ),
                "playbook_ref": item.playbook_ref,
                "status": item.status,
                "not_applicable_reason": item.not_applicable_reason,
                "note": item.note,
                "evidence_url": item.evidence_url,
                "changed_by": item.changed_by.get_username() if item.changed_by else None,
                "changed_at": item.changed_at,
                "version": item.version.sha256[:12],
            }
        )
    resolved = [row for row in rows if row["status"] != ItemStatus.OPEN]
    return {
        "hub_id": hub.pk,
        "phase": shown_phase,
        "progress": {
            "required_done": sum(1 for row in resolved if row["required"]),
            "required_total": sum(1 for row in rows if row["required"]),
            "done": len(resolved),
            "total": len(rows),
        },
        "items": rows,
    }
