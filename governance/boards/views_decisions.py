"""The pages for voting and for minutes, under /boards/ (web_urls.py): casting and changing a
seat's vote with the deadline, the participation and (when visible) the running result;
declaring a conflict of interest (jäv); the minutes with a printable view, adjusting and the
.docx and CSV downloads. The rules are the services'; a forged POST meets the same 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.boards import minutes as minutes_services
from governance.boards import voting
from governance.boards.choices import VoteChoice
from governance.boards.decisions import paragraph_reference
from governance.boards.minutes import paragraph_lines
from governance.boards.models import Board, Matter, Minutes, Vote
from governance.boards.selectors import current_holdings
from governance.errors import ConflictError


def _require(request: HttpRequest, permission: str, obj: object) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _first_error(error: ValidationError) -> str:
    return next(iter(error.message_dict.values()))[0]


@login_required
def vote(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The vote's page; POST casts or changes the caller's seat's vote."""
    matter = get_object_or_404(Matter.objects.select_related("board__hub"), pk=matter_id)
    _require(request, "boards.view_matter", matter)
    back = reverse("web:boards:vote", args=[matter.pk])
    if request.method == "POST":
        try:
            voting.vote_cast(
                actor=request.user,
                matter_id=matter.pk,
                choice=request.POST.get("choice", ""),
                reason=request.POST.get("reason", "").strip(),
            )
            messages.success(request, _("Din röst är registrerad."))
        except ConflictError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, _first_error(error))
        return redirect(back)
    now = timezone.now()
    holding = (
        current_holdings(request.user, timezone.localdate())
        .filter(seat__board_id=matter.board_id)
        .order_by("kind")
        .select_related("seat__organisation")
        .first()
    )
    my_vote = (
        Vote.objects.filter(matter=matter, seat_id=holding.seat_id).first() if holding else None
    )
    conflicted = bool(holding) and matter.conflicts.filter(seat_id=holding.seat_id).exists()
    result = voting.vote_result(matter) if matter.board_id else None
    return render(
        request,
        "boards/decisions/vote.html",
        {
            "matter": matter,
            "open": voting.vote_is_open(matter, now),
            "holding": holding,
            "may_vote": bool(holding) and request.user.has_perm("boards.vote", matter),
            "my_vote": my_vote,
            "conflicted": conflicted,
            "result": result,
            "visible": voting.result_visible(request.user, matter),
            "choices": VoteChoice.choices,
        },
    )


@login_required
@require_POST
def vote_conflict(request: HttpRequest, matter_id: int) -> HttpResponse:
    """Declare a conflict of interest (jäv) for the caller's seat."""
    matter = get_object_or_404(Matter, pk=matter_id)
    try:
        voting.conflict_declare(
            actor=request.user, matter_id=matter.pk, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Jävet är anmält; din plats röstar inte i ärendet."))
    except ConflictError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    return redirect("web:boards:vote", matter.pk)


@login_required
def minutes_list(request: HttpRequest, board_id: int) -> HttpResponse:
    """A body's minutes, newest first."""
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    _require(request, "boards.view_board", board)
    return render(
        request,
        "boards/decisions/minutes_list.html",
        {"board": board, "rows": board.minutes.prefetch_related("decisions")},
    )


@login_required
def minutes(request: HttpRequest, minutes_id: int) -> HttpResponse:
    """The minutes, printable, with each paragraph, the adjusters and the downloads."""
    found = get_object_or_404(Minutes.objects.select_related("board__hub", "keeper"), pk=minutes_id)
    _require(request, "boards.view_board", found.board)
    paragraphs = [
        {**paragraph_lines(decision), "reference": paragraph_reference(decision)}
        for decision in found.decisions.select_related("matter", "board__hub").order_by("number")
    ]
    adjusters = list(found.adjusters.select_related("user"))
    me = next((a for a in adjusters if a.user_id == request.user.pk), None)
    base = f"/api/boards/{found.board_id}/minutes/{found.pk}"
    return render(
        request,
        "boards/decisions/minutes.html",
        {
            "minutes": found,
            "paragraphs": paragraphs,
            "adjusters": adjusters,
            "may_approve": me is not None and me.approved_at is None and found.state == "draft",
            "docx_url": f"{base}.docx",
            "csv_url": f"{base}/votes.csv",
        },
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, minutes_id: int) -> HttpResponse:
    """An adjuster approves the minutes."""
    found = get_object_or_404(Minutes, pk=minutes_id)
    try:
        minutes_services.minutes_approve(actor=request.user, minutes_id=found.pk)
        messages.success(request, _("Du har justerat protokollet."))
    except ConflictError as error:
        messages.error(request, error.message)
    return redirect("web:boards:minutes", found.pk)
