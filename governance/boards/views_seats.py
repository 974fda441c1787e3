"""The bodies' pages (issue 13 part "seats"): the bodies the user sees, and a body's seats,
holders, history and settings. They ask the same rules and call the same services as the API
(seats.py); every rule is the services'.

Playbook "Förvaltningsorganisation för de enskilda hubbarna": the hub's principal staff
facilitate both bodies, so they name holders and keep the settings here; the community manager
takes part in both without a vote and is shown so."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.boards import seats, selectors
from governance.boards.choices import HolderKind, Majority
from governance.boards.models import Board, Seat
from governance.errors import ConflictError
from governance.organisations.roles import user_roles

VIEW, MANAGE = "boards.view_board", "boards.manage_seats"


def _board(request: HttpRequest, board_id: int, permission: str = VIEW) -> Board:
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    if not request.user.has_perm(permission, board):
        raise PermissionDenied
    return board


def _back(board_id: int) -> HttpResponse:
    return redirect(reverse("web:boards:board", args=[board_id]))


def _problem(request: HttpRequest, problem: Exception) -> None:
    if isinstance(problem, ValidationError):
        for field, errors in problem.message_dict.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    else:
        messages.error(request, str(getattr(problem, "message", problem)))


@login_required
def board_index(request: HttpRequest) -> HttpResponse:
    """The bodies the user sees, by hub."""
    return render(
        request,
        "boards/seats/index.html",
        {"boards": selectors.boards_visible_to(request.user)},
    )


def _community_managers(board: Board) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__hub=board.hub_id, role_assignments__role="community_manager"
        ).order_by("last_name", "first_name")
    )


def _people_of(organisation_ids) -> dict[int, list[User]]:
    """The people who work at each organisation (their person's organisation), by full name:
    whom a seat's holder is chosen among (the service checks it too)."""
    people: dict[int, list[User]] = {}
    for user in (
        User.objects.filter(is_active=True, person__organisation_id__in=set(organisation_ids))
        .select_related("person")
        .order_by("last_name", "first_name", "username")
    ):
        people.setdefault(user.person.organisation_id, []).append(user)
    return people


@login_required
def board_detail(request: HttpRequest, board_id: int) -> HttpResponse:
    """A body's seats with representatives (title), substitutes, the badge for a creative-board
    representative outside the hub's community, the CM without a vote, the history and the
    settings."""
    board = _board(request, board_id)
    members = selectors.hub_member_user_ids(board.hub_id)
    all_seats = list(selectors.seats_of_board(board, history=True))
    open_seats = [seat for seat in all_seats if seat.closed_on is None]
    history = [
        (seat, holder)
        for seat in all_seats
        for holder in seat.holders.all()
        if holder.to_on is not None or seat.closed_on is not None
    ]
    for seat in open_seats:
        seat.current = [h for h in seat.holders.all() if h.to_on is None]
        for holder in seat.current:
            holder.outside_community = (
                board.body == "creative_board"
                and holder.kind == HolderKind.REPRESENTATIVE
                and holder.user_id not in members
            )
    may_manage = request.user.has_perm(MANAGE, board)
    if may_manage:
        people = _people_of(seat.organisation_id for seat in open_seats)
        for seat in open_seats:
            seat.people = people.get(seat.organisation_id, [])
    return render(
        request,
        "boards/seats/board.html",
        {
            "board": board,
            "seats": open_seats,
            "closed_seats": [seat for seat in all_seats if seat.closed_on is not None],
            "history": history,
            "community_managers": _community_managers(board),
            "may_manage": may_manage,
            "majorities": Majority.choices,
            "kinds": HolderKind.choices,
            "today": timezone.localdate(),
            "my_roles": user_roles(request.user),
            "may_create_matter": request.user.has_perm("boards.create_matter", board.hub),
        },
    )


@login_required
@require_POST
def board_settings(request: HttpRequest, board_id: int) -> HttpResponse:
    board = _board(request, board_id, MANAGE)
    try:
        quorum = int(request.POST.get("quorum_percent", board.quorum_percent))
    except ValueError:
        messages.error(request, _("Beslutsförheten anges i procent, 0–99."))
        return _back(board.pk)
    try:
        seats.board_settings_update(
            actor=request.user,
            board_id=board.pk,
            quorum_percent=quorum,
            majority=request.POST.get("majority", board.majority),
            results_visible_during_vote=request.POST.get("results_visible_during_vote") == "on",
        )
        messages.success(request, _("Inställningarna är sparade."))
    except (ValidationError, ConflictError) as problem:
        _problem(request, problem)
    return _back(board.pk)


@login_required
@require_POST
def holder_add(request: HttpRequest, board_id: int, seat_id: int) -> HttpResponse:
    board = _board(request, board_id, MANAGE)
    seat = get_object_or_404(Seat, pk=seat_id, board=board)
    try:
        user_id = int(request.POST.get("user_id", ""))
        from_on = date.fromisoformat(request.POST.get("from_on") or str(timezone.localdate()))
    except ValueError:
        messages.error(request, _("Välj en person och ett giltigt datum."))
        return _back(board.pk)
    try:
        seats.holder_add(
            actor=request.user,
            seat_id=seat.pk,
            user_id=user_id,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            from_on=from_on,
        )
        messages.success(request, _("Uppdraget är registrerat."))
    except (ValidationError, ConflictError) as problem:
        _problem(request, problem)
    return _back(board.pk)


@login_required
@require_POST
def holder_end(request: HttpRequest, board_id: int, holder_id: int) -> HttpResponse:
    board = _board(request, board_id, MANAGE)
    get_object_or_404(Seat.objects.filter(board=board), holders__pk=holder_id)
    try:
        to_on = date.fromisoformat(request.POST.get("to_on") or str(timezone.localdate()))
        seats.holder_end(actor=request.user, holder_id=holder_id, to_on=to_on)
        messages.success(request, _("Uppdraget är avslutat."))
    except ValueError:
        messages.error(request, _("Ange ett giltigt datum."))
    except (ValidationError, ConflictError) as problem:
        _problem(request, problem)
    return _back(board.pk)
