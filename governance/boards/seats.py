"""The bodies' seats and who holds them: every write here is checked and audited.

Playbook "Organisation och ägarskap": every member organisation has a seat in the hub's owner
group (ägargrupp) and in its creative board, one seat per organisation on equal terms. A seat
comes from an ORGANISATION membership covering the hub: an open-model agreement (``model`` =
"open") of this hub or a national one (no hub: it covers every hub). Organisations holding only
seat-model (individual) agreements have no seat.

An agreement makes its member organisation "a member now" on day D (``covering_agreements``):

- it is ``active`` and D lies within ``start_on``…``end_on``; or
- it is ``terminated`` and D lies within ``start_on``…``terminated_on`` (the termination's
  date is the last day it serves, as in the forecasts' pipeline).

Drafts, generated, sent and signed agreements are not yet a membership; an expired one no
longer is. Seats follow memberships by themselves: the boards app listens to every agreement
transition (``BoardsConfig.ready``) and the scheduled flow ``nightly_board_seats`` syncs every
hub for dates passing (a termination's date, an end date before the calendar has expired it).

Playbook "Förvaltningsorganisation för de enskilda hubbarna": the hub's principal staff convene
and facilitate both bodies, so they name the holders and keep the settings; the community
manager takes part in both without a vote and holds no seat.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from governance.audit.services import audit_changes, audit_record
from governance.boards.choices import Body, HolderKind, Majority
from governance.boards.models import Board, Seat, SeatHolder
from governance.errors import ConflictError
from governance.hubs.models import Hub
from governance.memberships.choices import AgreementState, MembershipModel
from governance.memberships.models import Agreement
from governance.organisations.roles import forget_user_roles
from governance.permissions import require_permission
from governance.writes import model_update

MANAGE_SEATS = "boards.manage_seats"
BOARD_SETTINGS_FIELDS = ("quorum_percent", "majority", "results_visible_during_vote")


def covering_agreements(hub: Hub | int, on: date) -> QuerySet[Agreement]:
    """The organisation memberships (open model, this hub or national) in force on ``on``."""
    hub_id = hub if isinstance(hub, int) else hub.pk
    return Agreement.objects.filter(
        Q(hub_id=hub_id) | Q(hub__isnull=True),
        Q(state=AgreementState.ACTIVE, end_on__gte=on)
        | Q(state=AgreementState.TERMINATED, terminated_on__gte=on),
        model=MembershipModel.OPEN,
        start_on__lte=on,
    )


@transaction.atomic
def boards_for_hub(hub: Hub) -> tuple[Board, Board]:
    """The hub's owner group and creative board, created (and audited) when missing."""
    found = []
    for body in (Body.OWNER_GROUP, Body.CREATIVE_BOARD):
        board, created = Board.objects.get_or_create(hub=hub, body=body)
        if created:
            audit_record(actor=None, verb="created", target=board, after={"body": body})
        found.append(board)
    return found[0], found[1]


@dataclass
class SyncResult:
    opened: list[Seat] = field(default_factory=list)
    closed: list[Seat] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "opened": [str(seat) for seat in self.opened],
            "closed": [str(seat) for seat in self.closed],
        }


@transaction.atomic
def seats_sync(hub: Hub, today: date, *, actor: User | None = None) -> SyncResult:
    """Open a seat in both bodies for every organisation a membership covers today; close the
    open seats of organisations no longer covered (the day before, with the reason in words)
    and end their holders the same day. Idempotent: a second run changes nothing. A hub with
    neither members nor seats is left without bodies."""
    result = SyncResult()
    covering: dict[int, date] = {}
    for member_id, start_on in covering_agreements(hub, today).values_list("member_id", "start_on"):
        covering[member_id] = min(start_on, covering.get(member_id, start_on))
    has_seats = Seat.objects.filter(board__hub=hub).exists()
    if not covering and not has_seats:
        return result
    for board in boards_for_hub(hub):
        board = Board.objects.select_for_update().get(pk=board.pk)  # one sync per body at once
        open_seats = {
            seat.organisation_id: seat
            for seat in board.seats.filter(closed_on__isnull=True).select_related("organisation")
        }
        for organisation_id, seat in open_seats.items():
            if organisation_id not in covering:
                result.closed.append(_seat_close(seat, today, actor=actor))
        for organisation_id, start_on in covering.items():
            if organisation_id not in open_seats:
                result.opened.append(_seat_open(board, organisation_id, start_on, actor=actor))
    return result


def _seat_open(board: Board, organisation_id: int, start_on: date, *, actor: User | None) -> Seat:
    last_closed = (
        board.seats.filter(organisation_id=organisation_id, closed_on__isnull=False)
        .order_by("-closed_on")
        .values_list("closed_on", flat=True)
        .first()
    )
    opened_on = start_on if last_closed is None else max(start_on, last_closed + timedelta(1))
    seat = Seat.objects.create(board=board, organisation_id=organisation_id, opened_on=opened_on)
    audit_record(
        actor=actor,
        verb="created",
        target=seat,
        after={"board": board.pk, "organisation": organisation_id, "opened_on": opened_on},
        details={"reason": "organisation membership covers the hub"},
    )
    return seat


def _seat_close(seat: Seat, today: date, *, actor: User | None) -> Seat:
    closed_on = max(seat.opened_on, today - timedelta(1))
    seat.closed_on = closed_on
    seat.closed_reason = _(
        "%(organisation)s har inte längre något organisationsmedlemskap som omfattar hubben."
    ) % {"organisation": seat.organisation.name}
    seat.save(update_fields=["closed_on", "closed_reason"])
    audit_record(
        actor=actor,
        verb="closed",
        target=seat,
        before={"closed_on": None},
        after={"closed_on": closed_on, "closed_reason": seat.closed_reason},
    )
    for holder in seat.holders.filter(Q(to_on__isnull=True) | Q(to_on__gt=closed_on)):
        _holding_end(holder, max(holder.from_on, closed_on), actor=actor, why="seat closed")
    return seat


def _holding_end(holder: SeatHolder, to_on: date, *, actor: User | None, why: str) -> None:
    before = holder.to_on
    holder.to_on = to_on
    holder.save(update_fields=["to_on"])
    audit_record(
        actor=actor,
        verb="ended",
        target=holder,
        before={"to_on": before},
        after={"to_on": to_on},
        details={"reason": why},
    )
    forget_user_roles(holder.user)


def seats_sync_for_agreement(agreement: Agreement, today: date, *, actor: User | None) -> None:
    """An agreement moved: sync its hub, or every hub for a national one. Seat-model
    agreements give no seats and change nothing."""
    if agreement.model != MembershipModel.OPEN:
        return
    hubs = Hub.objects.all() if agreement.hub_id is None else [agreement.hub]
    for hub in hubs:
        seats_sync(hub, today, actor=actor)


def seats_sync_all(today: date) -> dict[str, Any]:
    """Every hub synced (the nightly run): what opened and closed, by hub."""
    report: dict[str, Any] = {}
    for hub in Hub.objects.order_by("name"):
        changed = seats_sync(hub, today)
        if changed.opened or changed.closed:
            report[hub.name] = changed.as_dict()
    return {"on": today.isoformat(), "hubs": report}


@transaction.atomic
def holder_add(
    *,
    actor: User | AnonymousUser,
    seat_id: int,
    user_id: int,
    kind: str,
    title: str,
    from_on: date,
) -> SeatHolder:
    """Name a representative or a substitute (ersättare) to an open seat. The person must work
    for the seat's organisation; the title is recorded (the owner group's representative comes
    from the organisation's top management). One current representative per seat: to replace
    one, end the old holding first. Substitutes may be several."""
    seat = Seat.objects.select_for_update().select_related("board__hub").get(pk=seat_id)
    require_permission(actor, MANAGE_SEATS, seat.board)
    if seat.closed_on is not None:
        raise ConflictError(
            "seat_closed",
            _("Platsen upphörde %(day)s och kan inte få nya ledamöter.") % {"day": seat.closed_on},
            seat=seat.pk,
        )
    errors: dict[str, str] = {}
    if kind not in HolderKind.values:
        errors["kind"] = _("Ange ledamot eller ersättare.")
    if not (title or "").strip():
        errors["title"] = _("Ange befattning; ägargruppens ledamot kommer från högsta ledningen.")
    user = User.objects.filter(pk=user_id).select_related("person").first()
    if user is None:
        errors["user_id"] = _("Användaren finns inte.")
    elif getattr(getattr(user, "person", None), "organisation_id", None) != seat.organisation_id:
        errors["user_id"] = _("Personen arbetar inte för %(organisation)s.") % {
            "organisation": seat.organisation.name
        }
    if from_on < seat.opened_on:
        errors["from_on"] = _("Platsen finns från %(day)s.") % {"day": seat.opened_on}
    if errors:
        raise ValidationError(errors)
    current = seat.holders.filter(to_on__isnull=True)
    if kind == HolderKind.REPRESENTATIVE and current.filter(kind=kind).exists():
        raise ConflictError(
            "representative_exists",
            _("Platsen har redan en ledamot; avsluta den nuvarande först."),
            seat=seat.pk,
        )
    if current.filter(user_id=user_id).exists():
        raise ConflictError(
            "already_holds_seat", _("Personen har redan ett uppdrag på platsen."), seat=seat.pk
        )
    holder = SeatHolder.objects.create(
        seat=seat, user=user, kind=kind, title=title.strip(), from_on=from_on
    )
    audit_record(
        actor=actor,
        verb="created",
        target=holder,
        after={
            "seat": seat.pk,
            "user": user_id,
            "kind": kind,
            "title": holder.title,
            "from_on": from_on,
        },
    )
    forget_user_roles(user)
    return holder


@transaction.atomic
def holder_end(*, actor: User | AnonymousUser, holder_id: int, to_on: date) -> SeatHolder:
    """End a holding on ``to_on`` (its last day); the holding stays as history."""
    holder = (
        SeatHolder.objects.select_for_update()
        .select_related("seat__board", "user")
        .get(pk=holder_id)
    )
    require_permission(actor, MANAGE_SEATS, holder.seat.board)
    if holder.to_on is not None:
        raise ConflictError(
            "holding_ended",
            _("Uppdraget avslutades redan %(day)s.") % {"day": holder.to_on},
            holder=holder.pk,
        )
    if to_on < holder.from_on:
        raise ValidationError({"to_on": _("Slutdatumet kan inte ligga före startdatumet.")})
    _holding_end(holder, to_on, actor=actor, why="ended by principal staff")
    return holder


@transaction.atomic
def board_settings_update(*, actor: User | AnonymousUser, board_id: int, **fields: Any) -> Board:
    """Change a body's quorum, majority or whether results show while a vote runs (board
    settings, not playbook rules)."""
    board = Board.objects.select_for_update().select_related("hub").get(pk=board_id)
    require_permission(actor, MANAGE_SEATS, board)
    unknown = set(fields) - set(BOARD_SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({name: _("Fältet kan inte ändras här.") for name in sorted(unknown)})
    if "quorum_percent" in fields:
        value = fields["quorum_percent"]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 99:
            raise ValidationError({"quorum_percent": _("Beslutsförheten anges i procent, 0–99.")})
    if "majority" in fields and fields["majority"] not in Majority.values:
        raise ValidationError({"majority": _("Okänd majoritetsregel.")})
    if "results_visible_during_vote" in fields and not isinstance(
        fields["results_visible_during_vote"], bool
    ):
        raise ValidationError({"results_visible_during_vote": _("Ange ja eller nej.")})
    changes = model_update(board, data=fields, fields=list(fields))
    audit_changes(actor=actor, verb="updated", target=board, changes=changes)
    return board
