"""The pages for voting and for minutes, under /boards/ (web_urls.py): casting and changing a
seat's vote with the deadline, the participation and (when visible) the running result;
declaring a conflict of interest (jäv); the minutes with a printable view, adjusting and the
.docx and CSV downloads. The rules are the services'; a forged POST meets the same 403.

For the hub's principal staff, who run the votes and keep the minutes: extending the deadline,
closing early, recording a seat's vote at a meeting, and naming the minutes' two adjusters; a
service's refusal is shown on its form."""

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
from governance.boards.choices import MinutesState, VoteChoice
from governance.boards.decisions import paragraph_reference
from governance.boards.forms import (
    AdjustersForm,
    VoteCloseForm,
    VoteExtendForm,
    VoteRecordForm,
)
from governance.boards.minutes import paragraph_lines
from governance.boards.models import Board, Matter, Minutes, SeatHolder, Vote
from governance.boards.results import open_seats
from governance.boards.selectors import current_holdings
from governance.errors import ConflictError
from governance.web.service_errors import add_service_errors


def _require(request: HttpRequest, permission: str, obj: object) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _first_error(error: ValidationError) -> str:
    return next(iter(error.message_dict.values()))[0]


MANAGE_MATTER, KEEP_MINUTES = "boards.manage_matter", "boards.keep_minutes"


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
    return _vote_page(request, matter)


def _seat_choices(matter: Matter) -> list[tuple[int, str]]:
    return [
        (seat.pk, seat.organisation.name)
        for seat in open_seats(matter.board_id, timezone.localdate()).order_by("organisation__name")
    ]


def _vote_page(request: HttpRequest, matter: Matter, **forms_: object) -> HttpResponse:
    now = timezone.now()
    is_open = voting.vote_is_open(matter, now)
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
    may_run = is_open and request.user.has_perm(MANAGE_MATTER, matter)
    context = {
        "matter": matter,
        "open": is_open,
        "holding": holding,
        "may_vote": bool(holding) and request.user.has_perm("boards.vote", matter),
        "my_vote": my_vote,
        "conflicted": conflicted,
        "result": result,
        "visible": voting.result_visible(request.user, matter),
        "choices": VoteChoice.choices,
        "may_run": may_run,
    }
    if may_run:
        context |= {
            "extend_form": forms_.get("extend_form")
            or VoteExtendForm(auto_id="extend-%s", initial={"deadline": matter.vote_deadline}),
            "close_form": forms_.get("close_form") or VoteCloseForm(),
            "record_form": forms_.get("record_form")
            or VoteRecordForm(auto_id="record-%s", seats=_seat_choices(matter)),
        }
    return render(request, "boards/decisions/vote.html", context)


def _run(request, matter, form, call, *, form_name: str, done: str) -> HttpResponse:
    """Run ``call()`` once the form is valid: back to the vote with ``done`` said, or the vote's
    page again with the service's refusal on the form."""
    if form.is_valid():
        try:
            call()
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("web:boards:vote", matter.pk)
    return _vote_page(request, matter, **{form_name: form})


def _matter_to_run(request: HttpRequest, matter_id: int) -> Matter:
    matter = get_object_or_404(Matter.objects.select_related("board__hub"), pk=matter_id)
    _require(request, MANAGE_MATTER, matter)
    return matter


@login_required
@require_POST
def vote_extend(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The principal's staff move the deadline later, before it has passed."""
    matter = _matter_to_run(request, matter_id)
    form = VoteExtendForm(request.POST, auto_id="extend-%s")
    return _run(
        request,
        matter,
        form,
        lambda: voting.vote_extend(
            actor=request.user, matter_id=matter.pk, deadline=form.cleaned_data["deadline"]
        ),
        form_name="extend_form",
        done=_("Sista svarsdag är flyttad."),
    )


@login_required
@require_POST
def vote_close(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The principal's staff close the vote early, once every eligible seat has voted; the
    matter is decided by the result."""
    matter = _matter_to_run(request, matter_id)
    return _run(
        request,
        matter,
        VoteCloseForm(request.POST),
        lambda: voting.vote_close(actor=request.user, matter_id=matter.pk, early=True),
        form_name="close_form",
        done=_("Omröstningen är stängd och ärendet avgjort."),
    )


@login_required
@require_POST
def vote_record(request: HttpRequest, matter_id: int) -> HttpResponse:
    """At a meeting the principal's staff record a seat's vote as the seat gives it."""
    matter = _matter_to_run(request, matter_id)
    form = VoteRecordForm(request.POST, auto_id="record-%s", seats=_seat_choices(matter))
    return _run(
        request,
        matter,
        form,
        lambda: voting.vote_record(actor=request.user, matter_id=matter.pk, **form.cleaned_data),
        form_name="record_form",
        done=_("Platsens röst är registrerad."),
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
    return _minutes_page(request, found)


def _seat_holders_now(board_id: int) -> list:
    """The body's current representatives and substitutes, each person once, by name."""
    today = timezone.localdate()
    people = {
        holder.user_id: holder.user
        for holder in SeatHolder.objects.current(today)
        .filter(seat__board_id=board_id)
        .select_related("user")
    }
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.get_username()))


def _minutes_page(
    request: HttpRequest, found: Minutes, *, adjusters_form: AdjustersForm | None = None
) -> HttpResponse:
    paragraphs = [
        {**paragraph_lines(decision), "reference": paragraph_reference(decision)}
        for decision in found.decisions.select_related("matter", "board__hub").order_by("number")
    ]
    adjusters = list(found.adjusters.select_related("user"))
    me = next((a for a in adjusters if a.user_id == request.user.pk), None)
    base = f"/api/boards/{found.board_id}/minutes/{found.pk}"
    started = any(a.approved_at for a in adjusters)
    may_name = (
        found.state != MinutesState.APPROVED
        and not started
        and request.user.has_perm(KEEP_MINUTES, found)
    )
    if may_name and adjusters_form is None:
        adjusters_form = AdjustersForm(
            people=_seat_holders_now(found.board_id),
            initial={"user_ids": [a.user_id for a in adjusters]},
        )
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
            "adjusters_form": adjusters_form,
        },
    )


@login_required
@require_POST
def minutes_adjusters(request: HttpRequest, minutes_id: int) -> HttpResponse:
    """The keeper (the principal's staff) names the two adjusters among the seat holders."""
    found = get_object_or_404(Minutes.objects.select_related("board__hub", "keeper"), pk=minutes_id)
    _require(request, KEEP_MINUTES, found)
    form = AdjustersForm(request.POST, people=_seat_holders_now(found.board_id))
    if form.is_valid():
        try:
            minutes_services.minutes_adjusters_set(
                actor=request.user, minutes_id=found.pk, user_ids=form.cleaned_data["user_ids"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Justerarna är utsedda."))
            return redirect(reverse("web:boards:minutes", args=[found.pk]) + "#adjusting")
    return _minutes_page(request, found, adjusters_form=form)


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
