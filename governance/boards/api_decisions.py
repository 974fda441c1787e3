"""Endpoints for votes, conflicts of interest, results, decisions and minutes; handlers only
translate HTTP (the rules are in voting.py, decisions.py and minutes.py).

On a router mounted at "" with full paths: the prefix "/proposals" is the matters' router's.
"""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from governance.api_input import StrictInput
from governance.boards import decisions, minutes, voting
from governance.boards.models import Board, Decision, Matter, Minutes
from governance.boards.selectors import readable_decisions
from governance.permissions import require_permission

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

decision_router = Router(tags=["boards"])


# --- Schemas ------------------------------------------------------------------------------


class VoteIn(StrictInput):
    choice: Literal["yes", "no", "abstain"]
    reason: str = ""


class VoteRecordIn(VoteIn):
    seat_id: int


class VoteOut(Schema):
    id: int
    matter_id: int
    seat_id: int
    choice: str
    reason: str
    cast_by_id: int
    cast_as: str
    cast_at: datetime
    changed_at: datetime | None


class ConflictIn(StrictInput):
    reason: str


class ConflictOut(Schema):
    id: int
    matter_id: int
    seat_id: int
    reason: str
    declared_at: datetime


class VoteOpenIn(StrictInput):
    deadline: datetime
    venue: Literal["meeting", "correspondence"] = "correspondence"


class VoteExtendIn(StrictInput):
    deadline: datetime


class VoteCloseIn(StrictInput):
    early: bool = False


class MatterVoteOut(Schema):
    id: int
    state: str
    venue: str
    vote_opened_at: datetime | None
    vote_deadline: datetime | None
    vote_closed_at: datetime | None


class SeatVoteOut(Schema):
    seat_id: int
    organisation: str
    choice: str | None
    conflict: bool


class ResultOut(Schema):
    visible: bool
    closed: bool
    deadline: datetime | None
    seats_open: int
    eligible: int
    participating: int
    quorum_percent: int
    majority: str
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    quorum_reached: bool | None = None
    carried: bool | None = None
    outcome: str | None = None
    not_voted: list[str]
    seats: list[SeatVoteOut] = []


class DissentIn(StrictInput):
    seat_id: int
    reason: str


class DecisionIn(StrictInput):
    outcome: Literal["adopted", "rejected", "noted"]
    text: str = ""
    motion_id: int | None = None
    adjusted_at_once: bool = False
    dissents: list[DissentIn] = []


class DissentOut(Schema):
    seat_id: int
    user_id: int
    reason: str


class DecisionOut(Schema):
    id: int
    board_id: int
    minutes_id: int
    matter_id: int
    year: int
    number: int
    reference: str
    method: str
    outcome: str
    text: str
    tally: dict
    conflicts: list
    adjusted_at_once: bool
    decided_at: datetime
    dissents: list[DissentOut]

    @staticmethod
    def resolve_reference(obj: Decision) -> str:
        return decisions.paragraph_reference(obj)

    @staticmethod
    def resolve_dissents(obj: Decision) -> list:
        return list(obj.dissents.all())


class DecisionFilters(Schema):
    hub: int | None = None
    board: int | None = None
    year: int | None = None


class AdjusterOut(Schema):
    user_id: int
    approved_at: datetime | None


class MinutesOut(Schema):
    id: int
    board_id: int
    meeting_id: int | None
    year: int
    title: str
    state: str
    keeper_id: int
    approved_at: datetime | None
    adjusters: list[AdjusterOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_adjusters(obj: Minutes) -> list:
        return list(obj.adjusters.all())

    @staticmethod
    def resolve_decisions(obj: Minutes) -> list:
        return list(obj.decisions.select_related("board__hub").order_by("number"))


class AdjustersIn(StrictInput):
    user_ids: list[int]


# --- Votes --------------------------------------------------------------------------------


def _matter(request: HttpRequest, matter_id: int) -> Matter:
    matter = get_object_or_404(Matter.objects.select_related("board"), pk=matter_id)
    require_permission(request.user, "boards.view_matter", matter)
    return matter


@decision_router.post("/proposals/{int:matter_id}/votes", response=VoteOut)
def cast_vote(request: HttpRequest, matter_id: int, payload: VoteIn):
    """Cast or change the caller's seat's vote (403 without a seat in the body; 409 when the
    vote is closed or the seat declared a conflict)."""
    get_object_or_404(Matter, pk=matter_id)
    return voting.vote_cast(
        actor=request.user, matter_id=matter_id, choice=payload.choice, reason=payload.reason
    )


@decision_router.post("/proposals/{int:matter_id}/votes/record", response=VoteOut)
def record_vote(request: HttpRequest, matter_id: int, payload: VoteRecordIn):
    """At a meeting, the principal's staff record a seat's vote."""
    get_object_or_404(Matter, pk=matter_id)
    return voting.vote_record(
        actor=request.user,
        matter_id=matter_id,
        seat_id=payload.seat_id,
        choice=payload.choice,
        reason=payload.reason,
    )


@decision_router.post("/proposals/{int:matter_id}/conflicts", response={201: ConflictOut})
def declare_conflict(request: HttpRequest, matter_id: int, payload: ConflictIn) -> Status:
    """Declare a conflict of interest (jäv) for the caller's seat."""
    get_object_or_404(Matter, pk=matter_id)
    return Status(
        201,
        voting.conflict_declare(actor=request.user, matter_id=matter_id, reason=payload.reason),
    )


@decision_router.get("/proposals/{int:matter_id}/result", response=ResultOut)
def result(request: HttpRequest, matter_id: int) -> dict:
    """The tally, quorum, outcome and who has not voted; the tally hidden while the vote runs
    when the board chooses so (the principal's staff always see it)."""
    matter = _matter(request, matter_id)
    tally = voting.vote_result(matter)
    visible = voting.result_visible(request.user, matter)
    answer = {
        "visible": visible,
        "closed": tally.closed,
        "deadline": matter.vote_deadline,
        "seats_open": tally.seats_open,
        "eligible": tally.eligible,
        "participating": tally.participating,
        "quorum_percent": tally.quorum_percent,
        "majority": tally.majority,
        "not_voted": [s.organisation for s in tally.not_voted],
    }
    if visible:
        answer.update(
            yes=tally.yes,
            no=tally.no,
            abstain=tally.abstain,
            quorum_reached=tally.quorum_reached,
            carried=tally.carried,
            outcome=tally.outcome,
            seats=[
                {
                    "seat_id": s.seat_id,
                    "organisation": s.organisation,
                    "choice": s.choice,
                    "conflict": s.conflict,
                }
                for s in tally.seats
            ],
        )
    return answer


@decision_router.post("/proposals/{int:matter_id}/vote", response=MatterVoteOut)
def open_vote(request: HttpRequest, matter_id: int, payload: VoteOpenIn):
    """Open a vote with a deadline, at a meeting or per capsulam (the principal's staff)."""
    get_object_or_404(Matter, pk=matter_id)
    return voting.vote_open(
        actor=request.user, matter_id=matter_id, deadline=payload.deadline, venue=payload.venue
    )


@decision_router.post("/proposals/{int:matter_id}/vote/extend", response=MatterVoteOut)
def extend_vote(request: HttpRequest, matter_id: int, payload: VoteExtendIn):
    """Move the deadline later, before it passes."""
    get_object_or_404(Matter, pk=matter_id)
    return voting.vote_extend(actor=request.user, matter_id=matter_id, deadline=payload.deadline)


@decision_router.post("/proposals/{int:matter_id}/vote/close", response=MatterVoteOut)
def close_vote(request: HttpRequest, matter_id: int, payload: VoteCloseIn):
    """Close the vote (early only once every seat has voted) and decide by the result."""
    get_object_or_404(Matter, pk=matter_id)
    return voting.vote_close(actor=request.user, matter_id=matter_id, early=payload.early)


# --- Decisions ----------------------------------------------------------------------------


@decision_router.post("/proposals/{int:matter_id}/decision", response={201: DecisionOut})
def record_decision(request: HttpRequest, matter_id: int, payload: DecisionIn) -> Status:
    """Record the decision: in agreement from review, or after the closed vote."""
    get_object_or_404(Matter, pk=matter_id)
    return Status(
        201,
        decisions.decision_record(
            actor=request.user,
            matter_id=matter_id,
            outcome=payload.outcome,
            text=payload.text,
            motion_id=payload.motion_id,
            adjusted_at_once=payload.adjusted_at_once,
            dissents=[d.dict() for d in payload.dissents],
        ),
    )


@decision_router.get("/decisions", response=list[DecisionOut])
@paginate
def list_decisions(request: HttpRequest, filters: Query[DecisionFilters]) -> QuerySet:
    """The decisions of the bodies the caller may read, by hub, body and year."""
    found = readable_decisions(request.user)
    if filters.hub is not None:
        found = found.filter(board__hub_id=filters.hub)
    if filters.board is not None:
        found = found.filter(board_id=filters.board)
    if filters.year is not None:
        found = found.filter(year=filters.year)
    return found


# --- Minutes ------------------------------------------------------------------------------


def _board(request: HttpRequest, board_id: int) -> Board:
    board = get_object_or_404(Board, pk=board_id)
    require_permission(request.user, "boards.view_board", board)
    return board


def _minutes(request: HttpRequest, board_id: int, minutes_id: int) -> Minutes:
    board = _board(request, board_id)
    return get_object_or_404(
        Minutes.objects.select_related("board__hub"), pk=minutes_id, board=board
    )


@decision_router.get("/boards/{int:board_id}/minutes", response=list[MinutesOut])
def list_minutes(request: HttpRequest, board_id: int) -> QuerySet:
    """The body's minutes, newest first (a few a year: not paginated)."""
    return Minutes.objects.filter(board=_board(request, board_id)).prefetch_related("adjusters")


@decision_router.get("/boards/{int:board_id}/minutes/{int:minutes_id}", response=MinutesOut)
def read_minutes(request: HttpRequest, board_id: int, minutes_id: int) -> Minutes:
    return _minutes(request, board_id, minutes_id)


@decision_router.post(
    "/boards/{int:board_id}/minutes/{int:minutes_id}/adjusters", response=MinutesOut
)
def set_adjusters(request: HttpRequest, board_id: int, minutes_id: int, payload: AdjustersIn):
    """The keeper names the two adjusters (seat holders of the body)."""
    _minutes(request, board_id, minutes_id)
    return minutes.minutes_adjusters_set(
        actor=request.user, minutes_id=minutes_id, user_ids=payload.user_ids
    )


@decision_router.post(
    "/boards/{int:board_id}/minutes/{int:minutes_id}/approve", response=MinutesOut
)
def approve_minutes(request: HttpRequest, board_id: int, minutes_id: int):
    """An adjuster approves; when both have, the minutes are approved and locked."""
    _minutes(request, board_id, minutes_id)
    return minutes.minutes_approve(actor=request.user, minutes_id=minutes_id)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@decision_router.get("/boards/{int:board_id}/minutes/{int:minutes_id}.docx", response={200: None})
def minutes_docx(request: HttpRequest, board_id: int, minutes_id: int) -> HttpResponse:
    found = _minutes(request, board_id, minutes_id)
    return _download(minutes.minutes_docx(found), DOCX, f"protokoll-{found.pk}.docx")


@decision_router.get(
    "/boards/{int:board_id}/minutes/{int:minutes_id}/votes.csv", response={200: None}
)
def votes_csv(request: HttpRequest, board_id: int, minutes_id: int) -> HttpResponse:
    found = _minutes(request, board_id, minutes_id)
    return _download(minutes.votes_csv(found), "text/csv; charset=utf-8", f"roster-{found.pk}.csv")
