"""Endpoints for matters (/api/proposals): handlers only translate HTTP; the rules are in
matters.py and rules.py."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from governance.boards import matters as services
from governance.boards.models import Matter
from governance.boards.rules import readable_matters
from governance.boards.schemas_matters import (
    MatterFilters,
    MatterIn,
    MatterOut,
    MatterPatchIn,
    MatterSummaryOut,
    ProgressNoteIn,
    ProgressNoteOut,
)
from governance.lifecycle.api import add_transition_routes
from governance.permissions import require_permission

router = Router(tags=["boards"])


def _matter(request: HttpRequest, matter_id: int) -> Matter:
    matter = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    require_permission(request.user, "boards.view_matter", matter)
    return matter


def _fields(payload: MatterIn | MatterPatchIn) -> dict:
    fields = payload.dict(exclude_unset=True)
    if "addressed_body" in fields:
        fields["addressed_body"] = fields["addressed_body"] or ""
    return fields


@router.get("", response=list[MatterSummaryOut])
@paginate
def list_matters(request: HttpRequest, filters: Query[MatterFilters]) -> QuerySet[Matter]:
    """The matters of the hubs you take part in, filtered by hub, board, state and kind; a page
    of ``limit`` from ``offset``."""
    return filters.filter(readable_matters(request.user))


@router.post("", response={201: MatterOut})
def create_matter(request: HttpRequest, payload: MatterIn) -> Status:
    """Raise a matter (a draft); who may give which origin is in the service."""
    fields = _fields(payload)
    hub_id = fields.pop("hub_id")
    matter = services.matter_create(actor=request.user, hub_id=hub_id, **fields)
    return Status(201, _matter(request, matter.pk))


@router.get("/{int:matter_id}", response=MatterOut)
def get_matter(request: HttpRequest, matter_id: int) -> Matter:
    return _matter(request, matter_id)


@router.patch("/{int:matter_id}", response=MatterOut)
def update_matter(request: HttpRequest, matter_id: int, payload: MatterPatchIn) -> Matter:
    """Change a draft; a submitted matter answers 409."""
    get_object_or_404(Matter, pk=matter_id)
    services.matter_update(actor=request.user, matter_id=matter_id, **_fields(payload))
    return _matter(request, matter_id)


@router.post("/{int:matter_id}/progress-notes", response={201: ProgressNoteOut})
def add_progress_note(request: HttpRequest, matter_id: int, payload: ProgressNoteIn) -> Status:
    """How an adopted matter is being implemented."""
    get_object_or_404(Matter, pk=matter_id)
    note = services.progress_note_add(actor=request.user, matter_id=matter_id, text=payload.text)
    return Status(201, note)


add_transition_routes(
    router,
    services.matters_with_facts,
    view_permission="boards.view_matter",
    run=services.matter_transition,
)
