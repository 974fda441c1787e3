"""The matters' and meetings' pages under /boards/: a body's matters by state, one matter with
its text, budget lines or fee tiers, route, history and the transitions the user may run, a
form to raise one; a body's meetings and one meeting with its agenda and the .ics link."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from governance.boards import matters as services
from governance.boards.choices import Body, MatterKind, MatterOrigin, MatterState
from governance.boards.models import Board, Meeting
from governance.boards.rules import allowed_origins
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.lifecycle.selectors import transitions_view
from governance.memberships.fees import format_kronor
from governance.web.forms import TransitionForm


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


@login_required
def matter(request: HttpRequest, matter_id: int) -> HttpResponse:
    """One matter: text, budget lines or fee tiers, route, history, transitions, notes."""
    item = get_object_or_404(services.matters_with_facts(), pk=matter_id)
    _require(request, "boards.view_matter", item)
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
        },
    )


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


@login_required
def meetings(request: HttpRequest, board_id: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.select_related("hub"), pk=board_id)
    _require(request, "boards.view_board", board)
    return render(
        request,
        "boards/matters/meetings.html",
        {"board": board, "meetings": board.meetings.order_by("-starts_at")},
    )


@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    item = get_object_or_404(Meeting.objects.select_related("board__hub"), pk=meeting_id)
    _require(request, "boards.view_board", item)
    return render(
        request,
        "boards/matters/meeting.html",
        {
            "meeting": item,
            "agenda": item.agenda.select_related("matter").order_by("position"),
            "attendance": item.attendance.select_related("user", "seat__organisation"),
        },
    )
