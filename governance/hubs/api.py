"""Endpoints for hubs: list, create, read, update, phase transitions, checklist, readiness,
people, and the national overview."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from governance.hubs import selectors, services
from governance.hubs.choices import County, Phase, TimeStatus
from governance.hubs.models import Hub
from governance.hubs.schemas import (
    ChecklistItemOut,
    ChecklistItemPatchIn,
    ChecklistOut,
    ChecklistPullIn,
    ChecklistPullOut,
    HubIn,
    HubOut,
    HubPageOut,
    HubPatchIn,
    HubRoleIn,
    OverviewOut,
    ReadinessIn,
    TransitionIn,
    TransitionsOut,
)
from governance.permissions import require_permission

router = Router(tags=["hubs"])
overview_router = Router(tags=["hubs"])


def _readable_hub(request: HttpRequest, hub_id: int) -> Hub:
    hub = selectors.hub_get(hub_id)
    require_permission(request.user, "hubs.view_hub", hub)
    return hub


@overview_router.get("", response=OverviewOut)
def overview(request: HttpRequest) -> dict:
    """Every hub at a glance: phase, time in phase, checklist progress, readiness, next steps."""
    require_permission(request.user, "hubs.view_hub")
    return selectors.hub_overview(request.user)


class HubFilters(Schema):
    phase: Phase | None = None
    county: County | None = None
    time_status: TimeStatus | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("", response=HubPageOut)
def list_hubs(request: HttpRequest, filters: Query[HubFilters]) -> dict:
    """Hubs, filtered by phase, county and time status; a page of ``limit`` from ``offset``."""
    require_permission(request.user, "hubs.view_hub")
    return selectors.hub_page(
        request.user,
        phase=filters.phase,
        county=filters.county,
        time_status_is=filters.time_status,
        limit=filters.limit,
        offset=filters.offset,
    )


@router.post("", response={201: HubOut})
def create_hub(request: HttpRequest, payload: HubIn) -> Status:
    """Propose a new hub (national coordinator)."""
    hub = services.hub_create(actor=request.user, **payload.dict())
    return Status(201, selectors.hub_detail(selectors.hub_get(hub.pk), request.user))


@router.get("/{int:hub_id}", response=HubOut)
def get_hub(request: HttpRequest, hub_id: int) -> dict:
    """One hub with its people, readiness and progress."""
    return selectors.hub_detail(_readable_hub(request, hub_id), request.user)


@router.patch("/{int:hub_id}", response=HubOut)
def update_hub(request: HttpRequest, hub_id: int, payload: HubPatchIn) -> dict:
    """Change a hub's details (coordinator; the hub's principal staff and team)."""
    services.hub_update(actor=request.user, hub_id=hub_id, **payload.dict(exclude_unset=True))
    return selectors.hub_detail(selectors.hub_get(hub_id), request.user)


@router.get("/{int:hub_id}/transitions", response=TransitionsOut)
def get_transitions(request: HttpRequest, hub_id: int) -> dict:
    """The hub's phase, what you may do next, what is blocked and why, and its history."""
    return selectors.hub_transitions_view(_readable_hub(request, hub_id), request.user)


@router.post("/{int:hub_id}/transitions/{name}", response=TransitionsOut)
def run_transition(
    request: HttpRequest, hub_id: int, name: str, payload: TransitionIn | None = None
) -> dict:
    """Move the hub to its next phase (or pause, resume, close); 409 lists what is missing."""
    comment = payload.comment if payload else ""
    services.hub_transition(actor=request.user, hub_id=hub_id, name=name, comment=comment)
    return selectors.hub_transitions_view(selectors.hub_get(hub_id), request.user)


@router.get("/{int:hub_id}/checklist", response=ChecklistOut)
def get_checklist(request: HttpRequest, hub_id: int, phase: Phase | None = None) -> dict:
    """The hub's checklist for a phase (default: the current one)."""
    return selectors.checklist_view(_readable_hub(request, hub_id), phase)


# Registered before /checklist/{key}, so that "pull" is not taken for an item key.
@router.post("/{int:hub_id}/checklist/pull", response=ChecklistPullOut)
def pull_checklist_items(request: HttpRequest, hub_id: int, payload: ChecklistPullIn) -> dict:
    """Add items that the playbook checklist gained since the hub entered the phase."""
    added = services.checklist_pull_new_items(
        actor=request.user, hub_id=hub_id, phase=payload.phase
    )
    return {"added": [item.key for item in added]}


@router.patch("/{int:hub_id}/checklist/{key}", response=ChecklistItemOut)
def update_checklist_item(
    request: HttpRequest, hub_id: int, key: str, payload: ChecklistItemPatchIn
) -> dict:
    """Mark an item done, open or not applicable (with a reason); add a note or evidence."""
    item = services.checklist_item_update(
        actor=request.user, hub_id=hub_id, key=key, **payload.dict(exclude_unset=True)
    )
    view = selectors.checklist_view(selectors.hub_get(hub_id), item.phase)
    return next(row for row in view["items"] if row["key"] == key)


@router.put("/{int:hub_id}/readiness", response=HubOut)
def update_readiness(request: HttpRequest, hub_id: int, payload: ReadinessIn) -> dict:
    """Score one or more of the four readiness aspects (0–3) with a note."""
    services.readiness_update(
        actor=request.user, hub_id=hub_id, scores=[entry.dict() for entry in payload.scores]
    )
    return selectors.hub_detail(selectors.hub_get(hub_id), request.user)


@router.post("/{int:hub_id}/people", response={201: HubOut})
def assign_role(request: HttpRequest, hub_id: int, payload: HubRoleIn) -> Status:
    """Give someone a role in the hub: principal staff, team member, CM, board seat."""
    services.hub_role_assign(
        actor=request.user, hub_id=hub_id, user_id=payload.user_id, role=payload.role
    )
    return Status(201, selectors.hub_detail(selectors.hub_get(hub_id), request.user))


@router.delete("/{int:hub_id}/people/{int:assignment_id}", response={204: None})
def remove_role(request: HttpRequest, hub_id: int, assignment_id: int) -> Status:
    """Take a role in the hub away."""
    services.hub_role_remove(actor=request.user, hub_id=hub_id, assignment_id=assignment_id)
    return Status(204, None)
