"""Every write to matters (ärenden): raising, changing a draft, running transitions, routing and
progress notes, each checked against rules.py and audited in the same transaction.

Playbook "Organisation och ägarskap": the owner group "sätter budget och kostnadsnivåer" and
sends "inspel och önskemål kring strategiska utvecklingsområden" to the creative board; the
community reaches both "via CM"; activities are never matters. "Förvaltningsorganisation för de
enskilda hubbarna": the principal prepares budget and fee levels.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_changes, audit_record
from governance.boards import routing
from governance.boards.choices import MatterKind, MatterOrigin, MatterState
from governance.boards.decisions import decision_record
from governance.boards.models import Board, Matter, MatterRoute, Meeting, ProgressNote
from governance.boards.rules import allowed_origins
from governance.boards.seats import boards_for_hub
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.lifecycle.services import transition_run
from governance.permissions import require_permission
from governance.workflows import dispatch
from governance.writes import model_create, model_update

ROUTING_FLOW = "route_board_matter"
MATTER_FIELDS = [
    "title",
    "text",
    "origin",
    "kind",
    "addressed_body",
    "budget_impact_ore",
    "budget",
    "fee_schedule",
]
PROGRESS_STATES = (MatterState.ADOPTED, MatterState.IMPLEMENTED)
AGENDA_STATES = (MatterState.ROUTED, MatterState.IN_REVIEW)


def matters_with_facts():
    """Matters with what their guards and pages read."""
    return Matter.objects.select_related("hub", "board", "board__hub", "author")


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """The API's names (``budget_impact`` in SEK, ``budget_id``) as the model's fields."""
    fields = dict(data)
    if "budget_impact" in fields:
        fields["budget_impact_ore"] = int(fields.pop("budget_impact") or 0) * 100
    return fields


def _check(actor: User, hub: Hub, merged: dict[str, Any]) -> None:
    """Who may give which origin, and what each kind carries (422 naming the field)."""
    origin, kind = merged.get("origin"), merged.get("kind")
    if origin in MatterOrigin.values and origin not in allowed_origins(actor, hub.pk):
        raise ValidationError(
            {"origin": _("Du kan inte lämna in ett ärende med detta ursprung i hubben.")}
        )
    if merged.get("addressed_body") and origin != MatterOrigin.COMMUNITY:
        raise ValidationError(
            {"addressed_body": _("Bara communityns inspel via CM ställs till ett organ.")}
        )
    budget_id, fee_schedule_id = merged.get("budget_id"), merged.get("fee_schedule_id")
    if kind == MatterKind.BUDGET:
        from governance.forecasts.models import Budget

        if not Budget.objects.filter(pk=budget_id, hub=hub, state="draft").exists():
            raise ValidationError(
                {"budget_id": _("Ett budgetärende behöver ett budgetutkast för samma hubb.")}
            )
    elif budget_id is not None:
        raise ValidationError({"budget_id": _("Bara ett budgetärende har ett budgetförslag.")})
    if kind == MatterKind.FEE_LEVELS:
        from governance.memberships.models import FeeSchedule

        if not FeeSchedule.objects.filter(pk=fee_schedule_id, hub=hub, state="draft").exists():
            raise ValidationError(
                {
                    "fee_schedule_id": _(
                        "Ett ärende om avgiftsnivåer behöver ett utkast till avgiftstrappa för "
                        "samma hubb."
                    )
                }
            )
    elif fee_schedule_id is not None:
        raise ValidationError(
            {"fee_schedule_id": _("Bara ett ärende om avgiftsnivåer har en avgiftstrappa.")}
        )


@transaction.atomic
def matter_create(*, actor: User, hub_id: int, **fields: Any) -> Matter:
    """A new draft matter in the hub: title, text, origin, kind, addressed_body, budget_impact
    (SEK), budget_id, fee_schedule_id."""
    hub = Hub.objects.filter(pk=hub_id).first()
    if hub is None:
        raise ValidationError({"hub_id": _("Det finns ingen hubb med detta id.")})
    require_permission(actor, "boards.create_matter", hub)
    data = _fields(fields)
    data.setdefault("budget_id", None)
    data.setdefault("fee_schedule_id", None)
    _check(actor, hub, data)
    matter, changes = model_create(
        Matter,
        data={**data, "hub": hub.pk, "author": actor.pk},
        fields=[*MATTER_FIELDS, "hub", "author"],
        exclude=["board"],
    )
    audit_changes(actor=actor, verb="created", target=matter, changes=changes)
    return matter


@transaction.atomic
def matter_update(*, actor: User, matter_id: int, **fields: Any) -> Matter:
    """Change a draft matter; once submitted it no longer changes (409)."""
    matter = Matter.objects.select_for_update(of=("self",)).select_related("hub").get(pk=matter_id)
    require_permission(actor, "boards.submit_matter", matter)
    if matter.state != MatterState.DRAFT:
        raise ConflictError(
            "matter_not_draft",
            _("Bara ett utkast kan ändras; ärendet är %(state)s.")
            % {"state": matter.get_state_display().lower()},
            state=matter.state,
        )
    data = _fields(fields)
    current = {
        "origin": matter.origin,
        "kind": matter.kind,
        "addressed_body": matter.addressed_body,
        "budget_id": matter.budget_id,
        "fee_schedule_id": matter.fee_schedule_id,
    }
    _check(actor, matter.hub, {**current, **data})
    changes = model_update(matter, data=data, fields=MATTER_FIELDS)
    audit_changes(actor=actor, verb="updated", target=matter, changes=changes)
    return matter


@transaction.atomic
def matter_transition(*, actor: User, matter_id: int, name: str, comment: str = "") -> Matter:
    """Run one transition of the matter's machine (409 with the state and what is allowed when
    it may not run); submitting starts the routing flow once the transaction commits. Adopting,
    rejecting and noting are decisions: they become the next paragraph of the body's minutes
    (``decision_record``, the comment its text), whichever way they are asked for."""
    if name in DECIDING:
        return decision_record(
            actor=actor, matter_id=matter_id, outcome=DECIDING[name], text=comment
        ).matter
    matter = transition_run(
        matters_with_facts(), pk=matter_id, name=name, actor=actor, comment=comment
    )
    if name == "submit":
        dispatch(ROUTING_FLOW, requested_by=actor, matter_id=matter.pk)
    return matter


# The transitions that decide a matter, and the outcome each records.
DECIDING = {
    "adopt": MatterState.ADOPTED,
    "reject": MatterState.REJECTED,
    "note": MatterState.NOTED,
}


def _next_meeting(board: Board) -> Meeting | None:
    return board.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


def matter_route(*, matter_id: int, flow_run_id: int | None) -> dict[str, Any]:
    """The routing flow's work (actor None inside its run): record the route and the reason in
    words, set the body, run ``route``, put the matter on the body's next meeting's agenda if
    one is called (else it waits for one, or for the principal to open it by correspondence),
    and notify the seat holders and the CM. Running it again changes nothing."""
    from governance.boards.meetings import agenda_append
    from governance.boards.notifications import matter_routed_notify

    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter_id)
        if matter.state != MatterState.SUBMITTED:
            return {"matter_id": matter_id, "state": matter.state, "routed": False}
        route = routing.route_for(matter)
        board = next(b for b in boards_for_hub(matter.hub) if b.body == route.body)
        MatterRoute.objects.create(
            matter=matter,
            board=board,
            reason=route.reason,
            proposed=route.proposed,
            flow_run_id=flow_run_id,
        )
        before = {"board": matter.board_id, "route_reason": matter.route_reason}
        matter.board, matter.route_reason = board, route.reason
        matter.save(update_fields=["board", "route_reason", "updated_at"])
        audit_record(
            actor=None,
            verb="routed",
            target=matter,
            before=before,
            after={"board": board.pk, "route_reason": route.reason, "proposed": route.proposed},
        )
        matter = transition_run(matters_with_facts(), pk=matter_id, name="route", actor=None)
        meeting = _next_meeting(board)
        if meeting is not None:
            agenda_append(actor=None, meeting=meeting, matter=matter)
    notified = matter_routed_notify(matter)
    return {
        "matter_id": matter_id,
        "state": matter.state,
        "routed": True,
        "board": board.body,
        "board_id": board.pk,
        "reason": route.reason,
        "proposed": route.proposed,
        "meeting_id": meeting.pk if meeting else None,
        "notified": notified,
    }


@transaction.atomic
def progress_note_add(*, actor: User, matter_id: int, text: str) -> ProgressNote:
    """A note on how an adopted matter is being implemented."""
    matter = (
        Matter.objects.select_for_update(of=("self",)).select_related("board").get(pk=matter_id)
    )
    require_permission(actor, "boards.add_progress_note", matter)
    if matter.state not in PROGRESS_STATES:
        raise ConflictError(
            "matter_not_adopted",
            _("Lägesrapporter skrivs bara för bifallna ärenden."),
            state=matter.state,
        )
    note, changes = model_create(
        ProgressNote,
        data={"matter": matter.pk, "text": text, "written_by": actor.pk},
        fields=["matter", "text", "written_by"],
    )
    audit_changes(actor=actor, verb="created", target=note, changes=changes)
    return note
