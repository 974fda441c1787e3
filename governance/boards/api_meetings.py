"""Endpoints for meetings: ``/api/boards/{id}/meetings`` (list, call one, and each meeting's
invitation as ``/api/boards/{id}/meetings/{meeting_id}.ics``) and ``/api/meetings/{id}`` (read,
change, agenda, attendance, invite); motions are recorded on a matter at the meeting."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from governance.boards import meetings as services
from governance.boards.models import Board, Meeting
from governance.boards.schemas_matters import (
    AgendaAddIn,
    AgendaOrderIn,
    AttendanceIn,
    AttendanceOut,
    MeetingIn,
    MeetingOut,
    MeetingPatchIn,
    MotionIn,
    MotionOut,
)
from governance.permissions import require_permission

board_router = Router(tags=["boards"])
router = Router(tags=["boards"])


def _board(request: HttpRequest, board_id: int) -> Board:
    board = get_object_or_404(Board, pk=board_id)
    require_permission(request.user, "boards.view_board", board)
    return board


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=meeting_id)
    require_permission(request.user, "boards.view_board", meeting)
    return meeting


@board_router.get("", response=list[MeetingOut])
def list_meetings(request: HttpRequest, board_id: Path[int]) -> list[Meeting]:
    """The body's meetings, earliest first."""
    board = _board(request, board_id)
    return list(board.meetings.order_by("starts_at"))


@board_router.post("", response={201: MeetingOut})
def create_meeting(request: HttpRequest, board_id: Path[int], payload: MeetingIn) -> Status:
    """Call a meeting (the hub's principal staff): when, and a place or a link."""
    get_object_or_404(Board, pk=board_id)
    meeting = services.meeting_create(actor=request.user, board_id=board_id, **payload.dict())
    return Status(201, meeting)


@board_router.get("/{int:meeting_id}.ics", response={200: None})
def meeting_calendar(request: HttpRequest, board_id: Path[int], meeting_id: int) -> HttpResponse:
    """The meeting's iCalendar invitation (text/calendar)."""
    meeting = _meeting(request, meeting_id)
    if meeting.board_id != board_id:
        raise Http404
    response = HttpResponse(services.meeting_ics(meeting), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@router.get("/{int:meeting_id}", response=MeetingOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return _meeting(request, meeting_id)


@router.patch("/{int:meeting_id}", response=MeetingOut)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatchIn) -> Meeting:
    get_object_or_404(Meeting, pk=meeting_id)
    fields = payload.dict(exclude_unset=True)
    return services.meeting_update(actor=request.user, meeting_id=meeting_id, **fields)


@router.post("/{int:meeting_id}/agenda", response={201: MeetingOut})
def add_to_agenda(request: HttpRequest, meeting_id: int, payload: AgendaAddIn) -> Status:
    """Put a routed matter of the body (or one under review) last on the agenda."""
    get_object_or_404(Meeting, pk=meeting_id)
    services.agenda_add(actor=request.user, meeting_id=meeting_id, matter_id=payload.matter_id)
    return Status(201, Meeting.objects.get(pk=meeting_id))


@router.put("/{int:meeting_id}/agenda", response=MeetingOut)
def reorder_agenda(request: HttpRequest, meeting_id: int, payload: AgendaOrderIn) -> Meeting:
    """The agenda in a new order: every matter on it, once."""
    get_object_or_404(Meeting, pk=meeting_id)
    services.agenda_reorder(
        actor=request.user, meeting_id=meeting_id, matter_ids=payload.matter_ids
    )
    return Meeting.objects.get(pk=meeting_id)


@router.delete("/{int:meeting_id}/agenda/{int:matter_id}", response=MeetingOut)
def remove_from_agenda(request: HttpRequest, meeting_id: int, matter_id: int) -> Meeting:
    get_object_or_404(Meeting, pk=meeting_id)
    services.agenda_remove(actor=request.user, meeting_id=meeting_id, matter_id=matter_id)
    return Meeting.objects.get(pk=meeting_id)


@router.post("/{int:meeting_id}/attendance", response={201: AttendanceOut})
def record_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> Status:
    """Who was present: a seat by its representative or substitute, or an adjunct."""
    get_object_or_404(Meeting, pk=meeting_id)
    attendance = services.attendance_record(
        actor=request.user, meeting_id=meeting_id, **payload.dict()
    )
    return Status(201, attendance)


@router.post("/{int:meeting_id}/motions/{int:matter_id}", response={201: MotionOut})
def record_motion(
    request: HttpRequest, meeting_id: int, matter_id: int, payload: MotionIn
) -> Status:
    """A motion (yrkande) on a matter on this meeting's agenda."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    require_permission(request.user, "boards.manage_meetings", meeting)
    if not meeting.agenda.filter(matter_id=matter_id).exists():
        raise ValidationError({"matter_id": _("Ärendet står inte på mötets dagordning.")})
    motion = services.motion_record(actor=request.user, matter_id=matter_id, **payload.dict())
    return Status(201, motion)


@router.post("/{int:meeting_id}/invite", response=MeetingOut)
def invite(request: HttpRequest, meeting_id: int) -> Meeting:
    """Send the invitation (.ics) by e-mail to every seat holder and the CM; again: SEQUENCE+1."""
    get_object_or_404(Meeting, pk=meeting_id)
    return services.meeting_invite(actor=request.user, meeting_id=meeting_id)
