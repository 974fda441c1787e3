"""Reads of hubs: querysets with what their lists need, in a fixed number of queries."""

from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from governance.hubs.checklists import ChecklistItemSpec, load_checklist
from governance.hubs.choices import CHECKLIST_PHASES, ItemStatus, Phase
from governance.hubs.guards import hub_facts, items_in_phase
from governance.hubs.models import Hub, HubChecklistItem, ReadinessScore
from governance.organisations.models import RoleAssignment


def hubs_with_facts() -> QuerySet[Hub]:
    """Hubs with what guards, progress and the overview need, loaded with the hubs."""
    resolved = ~Q(status=ItemStatus.OPEN)
    required = Q(required=True)
    return (
        Hub.objects.select_related("principal")
        .annotate(
            **hub_facts(),
            items_total=items_in_phase(),
            items_resolved=items_in_phase(resolved),
            required_total=items_in_phase(required),
            required_resolved=items_in_phase(required, resolved),
        )
        .prefetch_related(
            Prefetch("readiness_scores", queryset=ReadinessScore.objects.order_by("aspect"))
        )
        .order_by("name", "pk")
    )


def hub_get(hub_id: int) -> Hub:
    """One hub with its facts, readiness and the people holding roles in it."""
    people = RoleAssignment.objects.select_related("user").order_by("role", "pk")
    return (
        hubs_with_facts()
        .prefetch_related(Prefetch("role_assignments", queryset=people, to_attr="people"))
        .get(pk=hub_id)
    )


def hub_overview(today: date | None = None) -> dict[str, Any]:
    """The national overview: counts per phase and every hub with its facts."""
    counts = dict(Hub.objects.order_by().values_list("phase").annotate(count=Count("pk")))
    return {
        "today": today or timezone.localdate(),
        "counts_by_phase": {phase.value: counts.get(phase.value, 0) for phase in Phase},
        "hubs": hubs_with_facts(),
    }


def hub_checklist(hub: Hub, phase: str | None = None) -> QuerySet[HubChecklistItem]:
    """The hub's checklist items for one phase (default: its current phase, else all)."""
    phase_order = Case(
        *(When(phase=name, then=Value(index)) for index, name in enumerate(CHECKLIST_PHASES))
    )
    items = hub.checklist_items.select_related("changed_by", "version").order_by(
        phase_order, "position"
    )
    if phase:
        return items.filter(phase=phase)
    if hub.checklist_items.filter(phase=hub.phase).exists():
        return items.filter(phase=hub.phase)
    return items


def checklist_view(hub: Hub, phase: str | None = None) -> dict[str, Any]:
    """The hub's checklist for a phase with its progress; items carry the hub for dates."""
    items = list(hub_checklist(hub, phase))
    for item in items:
        item.hub = hub
    phases = {item.phase for item in items}
    resolved = [item for item in items if item.status != ItemStatus.OPEN]
    return {
        "hub_id": hub.pk,
        "phase": phase or (phases.pop() if len(phases) == 1 else None),
        "progress": {
            "required_done": sum(1 for item in resolved if item.required),
            "required_total": sum(1 for item in items if item.required),
            "done": len(resolved),
            "total": len(items),
        },
        "items": items,
    }


def checklist_item_get(hub: Hub, key: str) -> HubChecklistItem:
    """One item of the hub's checklist, with what its API shape reads."""
    item = hub.checklist_items.select_related("changed_by", "version").get(key=key)
    item.hub = hub
    return item


def checklist_new_items(hub: Hub) -> list[dict[str, Any]]:
    """Per phase the hub has entered: the current checklist file's items its list lacks, which
    ``checklist_pull_new_items`` would add."""
    keys: dict[str, set[str]] = {}
    for phase, key in hub.checklist_items.values_list("phase", "key"):
        keys.setdefault(phase, set()).add(key)
    found = []
    for phase in CHECKLIST_PHASES:
        if phase not in keys:
            continue
        new: list[ChecklistItemSpec] = [
            item for item in load_checklist(phase).items if item.key not in keys[phase]
        ]
        found.append({"phase": Phase(phase), "items": new})
    return found
