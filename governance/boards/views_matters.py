"""The matters' and meetings' pages under /boards/: a body's matters by state, one matter with
its text, budget lines or fee tiers, route, history and the transitions the user may run, a
form to raise one; a body's meetings and one meeting with its agenda and the .ics link.

For the hub's principal staff, who convene the bodies: opening a vote on a matter (the matter's
page), calling a meeting (the meetings' page), and a meeting's agenda, attendance, motions and
invitation (the meeting's page). Each form calls
the service (voting.py, meetings.py); a refusal is shown on the form, a forged POST meets 403."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from governance.boards import matters as services
from governance.boards import meetings as meeting_services
from governance.boards import voting
from governance.boards.choices import Body, MatterKind, MatterOrigin, MatterState
from governance.boards.forms import (
    AgendaAddForm,
    AgendaRemoveForm,
    AttendanceForm,
    InviteForm,
    MeetingForm,
    MotionForm,
    VoteOpenForm,
)
from governance.boards.models import Board, Decision, Matter, Meeting, Motion, Seat, SeatHolder
from governance.boards.rules import COMMUNITY_MANAGER, PRINCIPAL_STAFF, allowed_origins
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.lifecycle.selectors import transitions_view
from governance.memberships.fees import format_kronor
from governance.web.forms import TransitionForm
from governance.web.service_errors import add_service_errors


def _require(request: HttpRequest, permission: str, obj: object = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


class MatterForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    text = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 5}))
    origin = forms.ChoiceField(label=_("Ursprung"), choices=MatterOrigin.choices)
    kind = forms.ChoiceField(label=_("Typ"), choices=MatterKind.choices)
    addressed_body = forms.ChoiceField(
        label=_("Ställt till (communityns inspel)"),
        choices=[("", _("Låt flödet föreslå")), *Body.choices],
        required=False,
    )
    budget_impact = forms.IntegerField(label=_("Budgetpåverkan (kr)"), initial=0)
    budget_id = forms.IntegerField(label=_("Budgetförslag (id)"), required=False)
    fee_schedule_id = forms.IntegerField(label=_("Förslag till avgiftstrappa (id)"), required=False)

    def __init__(self, *args, origins: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [c for c in MatterOrigin.choices if c[0] in origins]


@login_required
def matters(request: HttpRequest, board_id: int) -> HttpResponse:
    """A body's matters, grouped by state."""
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    _require(request, "boards.view_matter", board)
    rows = services.matters_with_facts().filter(board=board)
    groups = [
        (label, [m for m in rows if m.state == value]) for value, label in MatterState.choices
    ]
    return render(
        request,
        "boards/matters/list.html",
        {"board": board, "groups": [g for g in groups if g[1]]},
    )


VOTE_OPEN_STATES = (MatterState.ROUTED, MatterState.IN_REVIEW)


@login_required
def matter(request: HttpRequest, matter_id: int) -> HttpResponse:
    """One matter: text, budget lines or fee tiers, route, history, transitions, notes; the
    vote (open it, or the way to it) and, once decided, its paragraph in the minutes."""
    item = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    _require(request, "boards.view_matter", item)
    return _matter_page(request, item)


def _matter_page(
    request: HttpRequest, item: Matter, *, vote_open_form: VoteOpenForm | None = None
) -> HttpResponse:
    may_open_vote = item.state in VOTE_OPEN_STATES and request.user.has_perm(
        "boards.manage_matter", item
    )
    return render(
        request,
        "boards/matters/detail.html",
        {
            "matter": item,
            "budget_impact": format_kronor(item.budget_impact_ore),
            "budget_lines": [
                (line, format_kronor(line.amount_sek * 100))
                for line in (item.budget.lines.all() if item.budget_id else [])
            ],
            "fee_tiers": [
                (tier, format_kronor(tier.yearly_fee_ore))
                for tier in (item.fee_schedule.tiers.all() if item.fee_schedule_id else [])
            ],
            "routes": item.routes.select_related("board"),
            "transitions": transitions_view(item, request.user),
            "transition_form": TransitionForm(),
            "notes": item.progress_notes.select_related("written_by"),
            "may_note": request.user.has_perm("boards.add_progress_note", item)
            and item.state in services.PROGRESS_STATES,
            "may_open_vote": may_open_vote,
            "vote_open_form": vote_open_form or (VoteOpenForm() if may_open_vote else None),
            "decision": Decision.objects.filter(matter=item).select_related("minutes").first(),
        },
    )


@login_required
@require_POST
def vote_open(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The principal's staff open a vote with a deadline, at a meeting or per capsulam."""
    item = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    _require(request, "boards.manage_matter", item)
    form = VoteOpenForm(request.POST)
    if form.is_valid():
        try:
            voting.vote_open(actor=request.user, matter_id=item.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            unmet = error.details.get("unmet") or []
            form.add_error(None, " ".join([error.message, *map(str, unmet)]))
        else:
            messages.success(request, gettext("Omröstningen är öppnad."))
            return redirect("web:boards:vote", matter_id=item.pk)
    return _matter_page(request, item, vote_open_form=form)


@login_required
@require_POST
def matter_transition(request: HttpRequest, matter_id: int, name: str) -> HttpResponse:
    """Run one transition; a refusal says why."""
    item = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    _require(request, "boards.view_matter", item)
    form = TransitionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.matter_transition(
            actor=request.user, matter_id=item.pk, name=name, comment=comment
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    except ConflictError as error:
        unmet = error.details.get("unmet") or []
        messages.error(request, " ".join([error.message, *map(str, unmet)]))
    return redirect("web:boards:matter", matter_id=item.pk)


@login_required
@require_POST
def progress_note(request: HttpRequest, matter_id: int) -> HttpResponse:
    item = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    _require(request, "boards.add_progress_note", item)
    try:
        services.progress_note_add(
            actor=request.user, matter_id=item.pk, text=request.POST.get("text", "")
        )
    except (ConflictError, ValidationError) as error:
        messages.error(request, str(getattr(error, "message", error)))
    return redirect("web:boards:matter", matter_id=item.pk)


@login_required
def matter_new(request: HttpRequest, hub_id: int) -> HttpResponse:
    """Raise a matter in the hub, with the origins the user may give."""
    hub = get_object_or_404(Hub, pk=hub_id)
    _require(request, "boards.create_matter", hub)
    origins = allowed_origins(request.user, hub.pk)
    form = MatterForm(request.POST or None, origins=origins)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.matter_create(actor=request.user, hub_id=hub.pk, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("web:boards:matter", matter_id=created.pk)
    return render(request, "boards/matters/new.html", {"hub": hub, "form": form})


MEETING = "boards.manage_meetings"


@login_required
def meetings(request: HttpRequest, board_id: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    _require(request, "boards.view_board", board)
    return _meetings_page(request, board)


def _meetings_page(
    request: HttpRequest, board: Board, meeting_form: MeetingForm | None = None
) -> HttpResponse:
    may_manage = request.user.has_perm(MEETING, board)
    return render(
        request,
        "boards/matters/meetings.html",
        {
            "board": board,
            "meetings": board.meetings.order_by("-starts_at"),
            "may_manage": may_manage,
            "meeting_form": (meeting_form or MeetingForm()) if may_manage else None,
        },
    )


@login_required
@require_POST
def meeting_create(request: HttpRequest, board_id: int) -> HttpResponse:
    """Call a meeting of the body; on to its page, where the agenda and the invitation are."""
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    _require(request, MEETING, board)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            created = meeting_services.meeting_create(
                actor=request.user, board_id=board.pk, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Sammanträdet är inlagt."))
            return redirect("web:boards:meeting", meeting_id=created.pk)
    return _meetings_page(request, board, meeting_form=form)


def _meeting(request: HttpRequest, meeting_id: int, permission: str = "boards.view_board"):
    item = get_object_or_404(Meeting.objects.select_related("board__hub"), pk=meeting_id)
    _require(request, permission, item)
    return item


@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, meeting_id))


def _holders_on_meeting_day(item: Meeting):
    """The body's representatives and substitutes holding open seats on the meeting's day."""
    on = timezone.localtime(item.starts_at).date()
    return (
        SeatHolder.objects.current(on)
        .filter(seat__board=item.board)
        .select_related("seat__organisation", "user")
        .order_by("seat__organisation__name", "kind")
    )


def _adjuncts(item: Meeting):
    """Who may attend without a vote: the hub's community manager and principal staff."""
    return (
        User.objects.filter(
            role_assignments__hub=item.board.hub_id,
            role_assignments__role__in=(COMMUNITY_MANAGER, PRINCIPAL_STAFF),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _agenda_candidates(item: Meeting):
    return (
        Matter.objects.filter(board=item.board, state__in=meeting_services.AGENDA_STATES)
        .exclude(agenda_items__meeting=item)
        .order_by("title")
    )


def _agenda_matters(item: Meeting):
    return Matter.objects.filter(agenda_items__meeting=item).order_by("agenda_items__position")


def _seats(item: Meeting) -> list[tuple[int, str]]:
    """The body's seats, by organisation, for the motion's seat."""
    seats = Seat.objects.filter(board=item.board).select_related("organisation")
    return [(seat.pk, seat.organisation.name) for seat in seats.order_by("organisation__name")]


def _motion_form(item: Meeting, data=None) -> MotionForm:
    return MotionForm(data, matters=_agenda_matters(item), seats=_seats(item))


def _meeting_page(request: HttpRequest, item: Meeting, **forms_: object) -> HttpResponse:
    may_manage = request.user.has_perm(MEETING, item)
    agenda = list(item.agenda.select_related("matter").order_by("position"))
    motions: dict[int, list[Motion]] = {}
    for motion in Motion.objects.filter(matter__in=[a.matter_id for a in agenda]).select_related(
        "seat__organisation"
    ):
        motions.setdefault(motion.matter_id, []).append(motion)
    context = {
        "meeting": item,
        "agenda": [(entry, motions.get(entry.matter_id, [])) for entry in agenda],
        "attendance": item.attendance.select_related("user", "seat__organisation"),
        "may_manage": may_manage,
    }
    if may_manage:
        context |= {
            "agenda_form": forms_.get("agenda_form")
            or AgendaAddForm(matters=_agenda_candidates(item)),
            "agenda_remove_form": forms_.get("agenda_remove_form"),
            "motion_form": forms_.get("motion_form") or _motion_form(item),
            "attendance_form": forms_.get("attendance_form")
            or AttendanceForm(holders=_holders_on_meeting_day(item), adjuncts=_adjuncts(item)),
            "invite_form": forms_.get("invite_form") or InviteForm(),
        }
    return render(request, "boards/matters/meeting.html", context)


def _meeting_action(request, item, form, call, *, form_name, done, anchor):
    """Run ``call()`` once the form is valid: back to the meeting with ``done`` said (or
    ``done(result)`` when it is a function of what the service answered), or the meeting again
    with the service's refusal on the form."""
    if form.is_valid():
        try:
            result = call()
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                aliases={"user_id": "attendee", "seat_id": "attendee", "capacity": "attendee"},
            )
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            if callable(done):
                level, text = done(result)
                messages.add_message(request, level, text)
            else:
                messages.success(request, done)
            return redirect(reverse("web:boards:meeting", args=[item.pk]) + anchor)
    return _meeting_page(request, item, **{form_name: form})


@login_required
@require_POST
def meeting_agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Put a routed matter (or one under review) of the body last on the agenda."""
    item = _meeting(request, meeting_id, MEETING)
    form = AgendaAddForm(request.POST, matters=_agenda_candidates(item))
    return _meeting_action(
        request,
        item,
        form,
        lambda: meeting_services.agenda_add(
            actor=request.user, meeting_id=item.pk, matter_id=form.cleaned_data["matter_id"]
        ),
        form_name="agenda_form",
        done=gettext("Ärendet står på dagordningen."),
        anchor="#agenda",
    )


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record who was present: a seat by its representative or substitute, or an adjunct."""
    item = _meeting(request, meeting_id, MEETING)
    form = AttendanceForm(
        request.POST, holders=_holders_on_meeting_day(item), adjuncts=_adjuncts(item)
    )
    return _meeting_action(
        request,
        item,
        form,
        lambda: meeting_services.attendance_record(
            actor=request.user, meeting_id=item.pk, **form.entry()
        ),
        form_name="attendance_form",
        done=gettext("Närvaron är registrerad."),
        anchor="#attendance",
    )


@login_required
@require_POST
def meeting_invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Send the invitation (.ics) to the body's seat holders and the CM; again: a change."""
    item = _meeting(request, meeting_id, MEETING)
    return _meeting_action(
        request,
        item,
        InviteForm(request.POST),
        lambda: meeting_services.meeting_invite(actor=request.user, meeting_id=item.pk),
        form_name="invite_form",
        done=_invited,
        anchor="#invitation",
    )


def _invited(invited: Meeting) -> tuple[int, str]:
    """What the page says once the invitation is sent: to how many, or that nobody got it."""
    if not invited.sent_to:
        return messages.WARNING, gettext(
            "Kallelsen gick inte ut till någon: ingen ledamot, ersättare eller CM har en "
            "e-postadress."
        )
    return messages.SUCCESS, ngettext(
        "Kallelsen är skickad till %(count)d person.",
        "Kallelsen är skickad till %(count)d personer.",
        invited.sent_to,
    ) % {"count": invited.sent_to}


@login_required
@require_POST
def meeting_agenda_remove(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Take a matter off the agenda; the others close up."""
    item = _meeting(request, meeting_id, MEETING)
    form = AgendaRemoveForm(request.POST)
    return _meeting_action(
        request,
        item,
        form,
        lambda: meeting_services.agenda_remove(
            actor=request.user, meeting_id=item.pk, matter_id=form.cleaned_data["matter_id"]
        ),
        form_name="agenda_remove_form",
        done=gettext("Ärendet är struket från dagordningen."),
        anchor="#agenda",
    )


@login_required
@require_POST
def meeting_motion(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record a motion (yrkande) on a matter on the agenda, in the order made."""
    item = _meeting(request, meeting_id, MEETING)
    form = _motion_form(item, request.POST)
    return _meeting_action(
        request,
        item,
        form,
        lambda: meeting_services.motion_record(actor=request.user, **form.cleaned_data),
        form_name="motion_form",
        done=gettext("Yrkandet är antecknat."),
        anchor="#motions",
    )
