"""Endpoints for the bodies, their seats and holders, and their settings (issue 13 part
"seats"); handlers only translate HTTP, the rules and writes are in seats.py."""

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from governance.api_input import StrictInput
from governance.boards import seats, selectors
from governance.boards.choices import HolderKind, Majority
from governance.boards.models import Board, Seat, SeatHolder
from governance.hubs.models import Hub
from governance.permissions import require_permission

hub_board_router = Router(tags=["boards"])
board_router = Router(tags=["boards"])


class BoardOut(Schema):
    id: int
    hub_id: int
    body: str
    body_display: str
    quorum_percent: int
    majority: str
    results_visible_during_vote: bool
    open_seats: int
    represented_seats: int


class HolderOut(Schema):
    id: int
    user_id: int
    username: str
    full_name: str
    kind: str
    title: str
    from_on: date
    to_on: date | None
    # Creative-board representatives "should be part of the community": a notice, not a rule.
    hub_member: bool


class SeatOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    opened_on: date
    closed_on: date | None
    closed_reason: str
    holders: list[HolderOut]


class BoardPatchIn(StrictInput):
    quorum_percent: int | None = Field(None, ge=0, le=99)
    majority: Majority | None = None
    results_visible_during_vote: bool | None = None


class HolderIn(StrictInput):
    user_id: int
    kind: HolderKind = HolderKind.REPRESENTATIVE
    title: str = Field(min_length=1, max_length=200)
    from_on: date | None = None


class HolderEndIn(StrictInput):
    to_on: date | None = None


def board_out(board: Board) -> dict:
    today = timezone.localdate()
    open_seats = board.seats.filter(closed_on__isnull=True)
    return {
        "id": board.pk,
        "hub_id": board.hub_id,
        "body": board.body,
        "body_display": board.get_body_display(),
        "quorum_percent": board.quorum_percent,
        "majority": board.majority,
        "results_visible_during_vote": board.results_visible_during_vote,
        "open_seats": open_seats.count(),
        "represented_seats": open_seats.filter(
            holders__kind=HolderKind.REPRESENTATIVE, holders__to_on__isnull=True
        )
        .filter(holders__from_on__lte=today)
        .distinct()
        .count(),
    }


def holder_out(holder: SeatHolder, members: set[int]) -> dict:
    return {
        "id": holder.pk,
        "user_id": holder.user_id,
        "username": holder.user.get_username(),
        "full_name": holder.user.get_full_name(),
        "kind": holder.kind,
        "title": holder.title,
        "from_on": holder.from_on,
        "to_on": holder.to_on,
        "hub_member": holder.user_id in members,
    }


def seats_out(board: Board, *, history: bool) -> list[dict]:
    members = selectors.hub_member_user_ids(board.hub_id)
    return [
        {
            "id": seat.pk,
            "organisation_id": seat.organisation_id,
            "organisation": seat.organisation.name,
            "opened_on": seat.opened_on,
            "closed_on": seat.closed_on,
            "closed_reason": seat.closed_reason,
            "holders": [holder_out(h, members) for h in seat.holders.all()],
        }
        for seat in selectors.seats_of_board(board, history=history)
    ]


def _board(request: HttpRequest, board_id: int) -> Board:
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    require_permission(request.user, "boards.view_board", board)
    return board


@hub_board_router.get("", response=list[BoardOut])
def list_hub_boards(request: HttpRequest, hub_id: Path[int]) -> list[dict]:
    """The hub's owner group and creative board with their settings and seat counts (created
    when missing)."""
    hub = get_object_or_404(Hub, pk=hub_id)
    require_permission(request.user, "boards.view_board", hub)
    return [board_out(board) for board in seats.boards_for_hub(hub)]


@board_router.get("/{int:board_id}", response=BoardOut)
def get_board(request: HttpRequest, board_id: int) -> dict:
    return board_out(_board(request, board_id))


@board_router.patch("/{int:board_id}", response=BoardOut)
def patch_board(request: HttpRequest, board_id: int, payload: BoardPatchIn) -> dict:
    """Change the body's settings: quorum, majority, results visible while a vote runs."""
    _board(request, board_id)
    fields = {
        name: (value.value if hasattr(value, "value") else value)
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None
    }
    board = seats.board_settings_update(actor=request.user, board_id=board_id, **fields)
    return board_out(board)


@board_router.get("/{int:board_id}/seats", response=list[SeatOut])
def list_seats(request: HttpRequest, board_id: int, history: Query[bool] = False) -> list[dict]:
    """Open seats with their current holders; ``history=true`` adds closed seats and ended
    holdings."""
    return seats_out(_board(request, board_id), history=history)


@board_router.post("/{int:board_id}/seats/{int:seat_id}/holders", response={201: HolderOut})
def add_holder(request: HttpRequest, board_id: int, seat_id: int, payload: HolderIn) -> Status:
    """Name a representative or a substitute to an open seat."""
    board = _board(request, board_id)
    get_object_or_404(Seat, pk=seat_id, board=board)
    holder = seats.holder_add(
        actor=request.user,
        seat_id=seat_id,
        user_id=payload.user_id,
        kind=payload.kind.value,
        title=payload.title,
        from_on=payload.from_on or timezone.localdate(),
    )
    return Status(201, holder_out(holder, selectors.hub_member_user_ids(board.hub_id)))


@board_router.post("/{int:board_id}/holders/{int:holder_id}/end", response=HolderOut)
def end_holder(request: HttpRequest, board_id: int, holder_id: int, payload: HolderEndIn) -> dict:
    """End a holding (its last day; today by default); it stays as history."""
    board = _board(request, board_id)
    get_object_or_404(SeatHolder, pk=holder_id, seat__board=board)
    holder = seats.holder_end(
        actor=request.user, holder_id=holder_id, to_on=payload.to_on or timezone.localdate()
    )
    return holder_out(holder, selectors.hub_member_user_ids(board.hub_id))
