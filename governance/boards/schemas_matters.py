"""API shapes of matters, their routes and progress notes, and of meetings."""

from datetime import datetime
from typing import Annotated

from ninja import Field, FilterLookup, FilterSchema, Schema

from governance.api_input import StrictInput
from governance.boards.choices import Body, Capacity, MatterKind, MatterOrigin, MatterState
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH


class MatterFilters(FilterSchema):
    hub: Annotated[int | None, FilterLookup(q="hub_id")] = None
    board: Annotated[int | None, FilterLookup(q="board_id")] = None
    state: MatterState | None = None
    kind: MatterKind | None = None


class MatterIn(StrictInput):
    hub_id: int
    title: str = Field(max_length=200)
    text: str = Field(max_length=NOTE_MAX_LENGTH)
    origin: MatterOrigin
    kind: MatterKind
    addressed_body: Body | None = None
    budget_impact: int = Field(0, description="SEK, whole kronor; stored in öre.")
    budget_id: int | None = None
    fee_schedule_id: int | None = None


class MatterPatchIn(StrictInput):
    title: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=NOTE_MAX_LENGTH)
    origin: MatterOrigin | None = None
    kind: MatterKind | None = None
    addressed_body: Body | None = None
    budget_impact: int | None = None
    budget_id: int | None = None
    fee_schedule_id: int | None = None


class MatterRouteOut(Schema):
    board_id: int
    body: str = Field(alias="board.body")
    reason: str
    proposed: bool
    flow_run_id: int | None
    routed_at: datetime


class ProgressNoteOut(Schema):
    id: int
    text: str
    written_by: str = Field(alias="written_by.username")
    written_at: datetime


class ProgressNoteIn(StrictInput):
    text: str = Field(min_length=1, max_length=NOTE_MAX_LENGTH)


class MatterSummaryOut(Schema):
    id: int
    hub_id: int
    board_id: int | None
    title: str
    origin: str
    kind: str
    state: str
    venue: str
    budget_impact: int = Field(description="SEK")
    submitted_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_budget_impact(matter) -> int:
        return matter.budget_impact_ore // 100


class MatterOut(MatterSummaryOut):
    text: str
    addressed_body: str
    author: str = Field(alias="author.username")
    budget_id: int | None
    fee_schedule_id: int | None
    route_reason: str
    routes: list[MatterRouteOut]
    progress_notes: list[ProgressNoteOut]

    @staticmethod
    def resolve_routes(matter) -> list:
        return list(matter.routes.select_related("board"))

    @staticmethod
    def resolve_progress_notes(matter) -> list:
        return list(matter.progress_notes.select_related("written_by"))


class MeetingIn(StrictInput):
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=500)


class MeetingPatchIn(StrictInput):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=200)
    link: str | None = Field(None, max_length=500)


class AgendaItemOut(Schema):
    position: int
    matter_id: int
    title: str = Field(alias="matter.title")
    state: str = Field(alias="matter.state")


class AttendanceOut(Schema):
    user_id: int
    username: str = Field(alias="user.username")
    seat_id: int | None
    capacity: str


class MeetingOut(Schema):
    id: int
    board_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    invitation_sequence: int
    invited_at: datetime | None
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_agenda(meeting) -> list:
        return list(meeting.agenda.select_related("matter").order_by("position"))

    @staticmethod
    def resolve_attendance(meeting) -> list:
        return list(meeting.attendance.select_related("user"))


class AgendaAddIn(StrictInput):
    matter_id: int


class AgendaOrderIn(StrictInput):
    matter_ids: list[int]


class AttendanceIn(StrictInput):
    user_id: int
    capacity: Capacity
    seat_id: int | None = None


class MotionIn(StrictInput):
    text: str = Field(min_length=1, max_length=REASON_MAX_LENGTH)
    moved_by: str = Field(min_length=1, max_length=200)
    seat_id: int | None = None


class MotionOut(Schema):
    id: int
    matter_id: int
    position: int
    text: str
    moved_by: str
    seat_id: int | None
    carried: bool
