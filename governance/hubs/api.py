"""Endpoints for hubs: list, create, read, update, phase transitions, checklist, readiness,
people, and the national overview."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from governance.hubs import selectors, services
from governance.hubs.choices import Phase
from governance.hubs.models import Hub
from governance.hubs.schemas import (
    ChecklistItemOut,
    ChecklistItemPatchIn,
    ChecklistOut,
    ChecklistPullIn,
    ChecklistPullOut,
    HubFilters,
    HubIn,
    HubOut,
    HubPatchIn,
    HubRoleIn,
    HubSummaryOut,
    OverviewOut,
    ReadinessIn,
)
from governance.lifecycle.api import add_transition_routes
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
    return selectors.hub_overview()


@router.get("", response=list[HubSummaryOut])
@paginate
def list_hubs(request: HttpRequest, filters: Query[HubFilters]) -> QuerySet[Hub]:
    """Hubs, filtered by phase, county and time status; a page of ``limit`` from ``offset``."""
    require_permission(request.user, "hubs.view_hub")
    return filters.filter(selectors.hubs_with_facts())


@router.post("", response={201: HubOut})
def create_hub(request: HttpRequest, payload: HubIn) -> Status:
    """Propose a new hub (national coordinator)."""
    fields = payload.dict(by_alias=True, exclude_unset=True)
    hub = services.hub_create(actor=request.user, **fields)
    return Status(201, selectors.hub_get(hub.pk))


@router.get("/{int:hub_id}", response=HubOut)
def get_hub(request: HttpRequest, hub_id: int) -> Hub:
    """One hub with its people, readiness and progress."""
    return _readable_hub(request, hub_id)


@router.patch("/{int:hub_id}", response=HubOut)
def update_hub(request: HttpRequest, hub_id: int, payload: HubPatchIn) -> Hub:
    """Change a hub's details (coordinator; the hub's principal staff and team)."""
    fields = payload.dict(by_alias=True, exclude_unset=True)
    services.hub_update(actor=request.user, hub_id=hub_id, **fields)
    return selectors.hub_get(hub_id)


add_transition_routes(
    router,
    selectors.hubs_with_facts,
    view_permission="hubs.view_hub",
    actors_permission="hubs.view_hub_people",
    run=services.hub_transition,
)


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
) -> object:
    """Mark an item done, open or not applicable (with a reason); add a note or evidence."""
    services.checklist_item_update(
        actor=request.user, hub_id=hub_id, key=key, **payload.dict(exclude_unset=True)
    )
    return selectors.checklist_item_get(selectors.hub_get(hub_id), key)


@router.put("/{int:hub_id}/readiness", response=HubOut)
def update_readiness(request: HttpRequest, hub_id: int, payload: ReadinessIn) -> Hub:
    """Score one or more of the four readiness aspects (0–3) with a note."""
    services.readiness_update(
        actor=request.user,
        hub_id=hub_id,
        scores=[entry.dict(exclude_unset=True) for entry in payload.scores],
    )
    return selectors.hub_get(hub_id)


@router.post("/{int:hub_id}/people", response={201: HubOut})
def assign_role(request: HttpRequest, hub_id: int, payload: HubRoleIn) -> Status:
    """Give someone a role in the hub: principal staff, team member, CM, board seat."""
    services.hub_role_assign(
        actor=request.user, hub_id=hub_id, user_id=payload.user_id, role=payload.role
    )
    return Status(201, selectors.hub_get(hub_id))


@router.delete("/{int:hub_id}/people/{int:assignment_id}", response={204: None})
def remove_role(request: HttpRequest, hub_id: int, assignment_id: int) -> Status:
    """Take a role in the hub away."""
    services.hub_role_remove(actor=request.user, hub_id=hub_id, assignment_id=assignment_id)
    return Status(204, None)
