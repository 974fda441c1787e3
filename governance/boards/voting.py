"""Votes on a body's matters: opening, casting, conflicts of interest (jäv), the result, extending
and closing.

Playbook "Organisation och ägarskap": the owner group and the creative board are councils of
equals ("jämlika samtal på lika villkor"), so each seat — each organisation — has one vote, never
weighted by size or fee. Steering is there "i de fall det behövs": most matters are decided in
agreement (decisions.py), a vote when someone asks for one. Quorum and majority are board
settings, not playbook rules (defaults: more than half of the seats voting, more yes than no).

The rules that keep a vote whole under concurrency: every write (cast, record, declare, extend,
close) first locks the matter's row, so two casts of one seat leave one vote, a representative
and a substitute at once leave one, and a vote that arrives while the vote closes is either in
the result (it locked first) or refused with 409 (the close locked first) — never lost.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.boards.choices import Capacity, HolderKind, MatterState, Venue
from governance.boards.decisions import decision_record
from governance.boards.models import Conflict, Matter, SeatHolder, Vote
from governance.boards.results import (  # noqa: F401 - the result is read through voting too
    SeatVote,
    VoteResult,
    majority_reached,
    open_seats,
    quorum_reached,
    vote_result,
)
from governance.boards.rules import principal_staff_of_hub
from governance.boards.selectors import current_holdings
from governance.errors import ConflictError
from governance.lifecycle.services import transition_run
from governance.permissions import require_permission

# The states in which a seat holder may declare a conflict of interest on a matter.
CONFLICT_STATES = (MatterState.ROUTED, MatterState.IN_REVIEW, MatterState.VOTING)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _locked(matter_id: int) -> Matter:
    """The matter, its row locked until the transaction ends (the one lock every vote write
    takes first)."""
    return Matter.objects.select_for_update(of=("self",)).select_related("board").get(pk=matter_id)


def vote_is_open(matter: Matter, now: datetime) -> bool:
    """A vote is open while the matter is voting, not closed, and before its deadline."""
    return (
        matter.state == MatterState.VOTING
        and matter.vote_closed_at is None
        and matter.vote_deadline is not None
        and now < matter.vote_deadline
    )


def _require_open(matter: Matter, now: datetime) -> None:
    if not vote_is_open(matter, now):
        raise ConflictError(
            "vote_closed",
            _("Omröstningen är inte öppen: den är stängd eller sista svarsdag har passerat."),
            state=matter.state,
            allowed=[],
        )


def result_visible(user: User, matter: Matter) -> bool:
    """The board sees the running result unless its setting hides it; the principal's staff
    always; everyone allowed to read the matter once the vote is closed."""
    if matter.vote_closed_at is not None or matter.state != MatterState.VOTING:
        return True
    if principal_staff_of_hub(user, matter):
        return True
    return bool(matter.board and matter.board.results_visible_during_vote)


# --- Opening, extending, closing ----------------------------------------------------------


@transaction.atomic
def vote_open(
    *,
    actor: User,
    matter_id: int,
    deadline: datetime,
    venue: str = Venue.CORRESPONDENCE,
    now: datetime | None = None,
) -> Matter:
    """The principal's staff open a vote (at a meeting or per capsulam) with a deadline in the
    future; the matter goes to ``voting``."""
    now = _now(now)
    matter = _locked(matter_id)
    require_permission(actor, "boards.manage_matter", matter)
    if venue not in Venue.values:
        raise ValidationError({"venue": _("Välj sammanträde eller per capsulam.")})
    if deadline is None or deadline <= now:
        raise ValidationError({"deadline": _("Sista svarsdag måste ligga i framtiden.")})
    before = {"vote_deadline": matter.vote_deadline, "venue": matter.venue}
    Matter.objects.filter(pk=matter.pk).update(vote_deadline=deadline, venue=venue)
    matter = transition_run(
        Matter.objects.all(),
        pk=matter.pk,
        name="open_vote",
        actor=actor,
        comment=_("Sista svarsdag %(deadline)s.")
        % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
    )
    audit_record(
        actor=actor,
        verb="vote_opened",
        target=matter,
        before={k: v.isoformat() if isinstance(v, datetime) else v for k, v in before.items()},
        after={"vote_deadline": deadline.isoformat(), "venue": venue},
    )
    return matter


@transaction.atomic
def vote_extend(
    *, actor: User, matter_id: int, deadline: datetime, now: datetime | None = None
) -> Matter:
    """The principal's staff move the deadline later, before it has passed (logged with the old
    and the new deadline)."""
    now = _now(now)
    matter = _locked(matter_id)
    require_permission(actor, "boards.manage_matter", matter)
    _require_open(matter, now)
    if deadline is None or deadline <= matter.vote_deadline:
        raise ValidationError(
            {"deadline": _("Den nya sista svarsdagen måste ligga efter den nuvarande.")}
        )
    old = matter.vote_deadline
    Matter.objects.filter(pk=matter.pk).update(vote_deadline=deadline, reminded_at=None)
    matter.vote_deadline, matter.reminded_at = deadline, None
    audit_record(
        actor=actor,
        verb="vote_extended",
        target=matter,
        before={"vote_deadline": old.isoformat()},
        after={"vote_deadline": deadline.isoformat()},
    )
    return matter


@transaction.atomic
def vote_close(
    *, actor: User | None, matter_id: int, early: bool = False, now: datetime | None = None
) -> Matter:
    """Close the vote and decide the matter by its result (adopt or reject, method vote).

    At the deadline the scheduled flow closes it (``actor=None``, inside a flow run); the
    principal's staff may close it early once every eligible seat has voted."""
    now = _now(now)
    matter = _locked(matter_id)
    if actor is not None:
        require_permission(actor, "boards.manage_matter", matter)
    if matter.state != MatterState.VOTING or matter.vote_closed_at is not None:
        raise ConflictError(
            "vote_closed", _("Omröstningen är redan stängd."), state=matter.state, allowed=[]
        )
    if now < matter.vote_deadline:
        if not early:
            raise ConflictError(
                "deadline_not_passed",
                _("Sista svarsdag har inte passerat; stäng i förtid först när alla har röstat."),
                state=matter.state,
                allowed=[],
            )
        if vote_result(matter, on=timezone.localdate(now)).not_voted:
            raise ConflictError(
                "not_everyone_voted",
                _("Alla platser har inte röstat: omröstningen kan inte stängas i förtid."),
                state=matter.state,
                allowed=[],
            )
    Matter.objects.filter(pk=matter.pk).update(vote_closed_at=now)
    matter.vote_closed_at = now
    result = vote_result(matter)
    audit_record(
        actor=actor,
        verb="vote_closed",
        target=matter,
        after={"vote_closed_at": now.isoformat(), "early": early, "carried": result.carried},
    )
    decision_record(actor=actor, matter_id=matter.pk, outcome=result.outcome, now=now)
    return Matter.objects.get(pk=matter.pk)


# --- Casting ------------------------------------------------------------------------------


def _holding(actor: User, matter: Matter, on: date) -> SeatHolder:
    """The actor's holding in the matter's body (a representative's before a substitute's)."""
    holdings = current_holdings(actor, on).filter(seat__board_id=matter.board_id)
    holding = holdings.order_by("kind").first()  # "representative" sorts before "substitute"
    if holding is None:
        raise PermissionDenied("boards.vote")
    return holding


def _refuse_conflicted(matter: Matter, seat_id: int) -> None:
    if Conflict.objects.filter(matter=matter, seat_id=seat_id).exists():
        raise ConflictError(
            "conflict_declared",
            _("Platsen har anmält jäv i ärendet och röstar inte."),
            state=matter.state,
            allowed=[],
        )


def _vote_store(
    *,
    actor: User,
    matter: Matter,
    seat_id: int,
    choice: str,
    reason: str,
    cast_as: str,
    now: datetime,
    override: bool,
) -> Vote:
    if choice not in ("yes", "no", "abstain"):
        raise ValidationError({"choice": _("Välj ja, nej eller avstår.")})
    existing = Vote.objects.filter(matter=matter, seat_id=seat_id).first()
    if existing is None:
        vote = Vote.objects.create(
            matter=matter,
            seat_id=seat_id,
            choice=choice,
            reason=reason,
            cast_by=actor,
            cast_as=cast_as,
            cast_at=now,
        )
        audit_record(
            actor=actor,
            verb="vote_cast",
            target=vote,
            after={"choice": choice, "reason": reason, "cast_as": cast_as, "matter": matter.pk},
        )
        return vote
    if (
        not override
        and cast_as == Capacity.SUBSTITUTE
        and existing.cast_as == Capacity.REPRESENTATIVE
    ):
        raise ConflictError(
            "representative_voted",
            _("Ledamoten har redan röstat för platsen; ersättaren kan inte ändra den rösten."),
            state=matter.state,
            allowed=[],
        )
    before = {"choice": existing.choice, "reason": existing.reason, "cast_as": existing.cast_as}
    existing.choice, existing.reason, existing.cast_by, existing.cast_as = (
        choice,
        reason,
        actor,
        cast_as,
    )
    existing.changed_at = now
    existing.save(update_fields=["choice", "reason", "cast_by", "cast_as", "changed_at"])
    audit_record(
        actor=actor,
        verb="vote_changed",
        target=existing,
        before=before,
        after={"choice": choice, "reason": reason, "cast_as": cast_as},
    )
    return existing


@transaction.atomic
def vote_cast(
    *, actor: User, matter_id: int, choice: str, reason: str = "", now: datetime | None = None
) -> Vote:
    """Cast or change the actor's seat's vote: one vote per seat, on equal terms. A substitute
    votes when the representative has not (and cannot override the representative: 409); the
    representative may replace a substitute's vote. Refused with 403 for anyone without a seat
    in the body, and 409 when the vote is not open or the seat has declared a conflict."""
    now = _now(now)
    # Who may vote and for which seat does not depend on the lock: asked before it, so the
    # matter's row is held only for the checks and the write that must queue.
    unlocked = Matter.objects.select_related("board").get(pk=matter_id)
    require_permission(actor, "boards.vote", unlocked)
    holding = _holding(actor, unlocked, timezone.localdate(now))
    matter = _locked(matter_id)
    _require_open(matter, now)
    _refuse_conflicted(matter, holding.seat_id)
    cast_as = (
        Capacity.REPRESENTATIVE
        if holding.kind == HolderKind.REPRESENTATIVE
        else Capacity.SUBSTITUTE
    )
    return _vote_store(
        actor=actor,
        matter=matter,
        seat_id=holding.seat_id,
        choice=choice,
        reason=reason,
        cast_as=cast_as,
        now=now,
        override=False,
    )


@transaction.atomic
def vote_record(
    *,
    actor: User,
    matter_id: int,
    seat_id: int,
    choice: str,
    reason: str = "",
    now: datetime | None = None,
) -> Vote:
    """At a meeting the principal's staff record each seat's vote as the seat gives it."""
    now = _now(now)
    matter = _locked(matter_id)
    require_permission(actor, "boards.manage_matter", matter)
    _require_open(matter, now)
    if not open_seats(matter.board_id, timezone.localdate(now)).filter(pk=seat_id).exists():
        raise ValidationError({"seat_id": _("Platsen finns inte i organet.")})
    _refuse_conflicted(matter, seat_id)
    return _vote_store(
        actor=actor,
        matter=matter,
        seat_id=seat_id,
        choice=choice,
        reason=reason,
        cast_as=Capacity.REPRESENTATIVE,
        now=now,
        override=True,
    )


@transaction.atomic
def conflict_declare(
    *, actor: User, matter_id: int, reason: str, now: datetime | None = None
) -> Conflict:
    """A seat holder declares a conflict of interest (jäv): the seat neither votes (a vote it
    has cast is removed, audited) nor counts for quorum, and the minutes say so."""
    now = _now(now)
    matter = _locked(matter_id)
    require_permission(actor, "boards.vote", matter)
    if matter.state not in CONFLICT_STATES or matter.vote_closed_at is not None:
        raise ConflictError(
            "matter_decided",
            _("Jäv anmäls innan ärendet är avgjort."),
            state=matter.state,
            allowed=[],
        )
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till jävet.")})
    holding = _holding(actor, matter, timezone.localdate(now))
    if Conflict.objects.filter(matter=matter, seat_id=holding.seat_id).exists():
        raise ConflictError(
            "conflict_declared",
            _("Platsen har redan anmält jäv i ärendet."),
            state=matter.state,
            allowed=[],
        )
    conflict = Conflict.objects.create(
        matter=matter, seat_id=holding.seat_id, declared_by=actor, reason=reason, declared_at=now
    )
    audit_record(
        actor=actor,
        verb="conflict_declared",
        target=conflict,
        after={"matter": matter.pk, "seat": holding.seat_id, "reason": reason},
    )
    for vote in Vote.objects.filter(matter=matter, seat_id=holding.seat_id):
        audit_record(
            actor=actor,
            verb="vote_removed",
            target=vote,
            before={"choice": vote.choice, "reason": vote.reason, "cast_as": vote.cast_as},
            details={"why": "conflict_declared"},
        )
        vote.delete()
    return conflict


def votes_waiting_for(user: User, on: date, now: datetime | None = None) -> QuerySet[Matter]:
    """Open votes of bodies where the user holds a seat and the seat has not voted (nor
    declared a conflict): the start page's slot."""
    now = _now(now)
    seat_ids = list(current_holdings(user, on).values_list("seat_id", flat=True))
    if not seat_ids:
        return Matter.objects.none()
    return (
        Matter.objects.filter(
            state=MatterState.VOTING,
            vote_closed_at__isnull=True,
            vote_deadline__gt=now,
            board__seats__in=seat_ids,
        )
        .exclude(votes__seat_id__in=seat_ids)
        .exclude(conflicts__seat_id__in=seat_ids)
        .distinct()
        .order_by("vote_deadline")
    )


# --- The deadline flow's work -------------------------------------------------------------

REMIND_WITHIN = timedelta(hours=24)


def _reminder_send(matter_id: int, addresses: list[str]) -> None:
    matter = Matter.objects.select_related("board__hub").get(pk=matter_id)
    deadline = timezone.localtime(matter.vote_deadline).strftime("%Y-%m-%d %H:%M")
    subject = _("Påminnelse: omröstning i %(board)s") % {"board": matter.board}
    body = _("Din plats har inte röstat i ärendet ”%(title)s”. Sista svarsdag är %(deadline)s.") % {
        "title": matter.title,
        "deadline": deadline,
    }
    for address in addresses:
        send_mail(subject, body, None, [address])


@transaction.atomic
def vote_remind(*, matter_id: int, now: datetime) -> list[str] | None:
    """Remind, once, the holders of the seats that have not voted (nor declared a conflict),
    within 24 hours before the deadline; the mails go after the commit. None when no reminder
    is due (already sent, not yet within the day, or the vote is closed)."""
    matter = _locked(matter_id)
    if not vote_is_open(matter, now) or matter.reminded_at is not None:
        return None
    if matter.vote_deadline - now > REMIND_WITHIN:
        return None
    seat_ids = [s.seat_id for s in vote_result(matter, on=timezone.localdate(now)).not_voted]
    today = timezone.localdate(now)
    addresses = sorted(
        {
            holder.user.email
            for holder in SeatHolder.objects.current(today)
            .filter(seat_id__in=seat_ids)
            .select_related("user")
            if holder.user.email
        }
    )
    Matter.objects.filter(pk=matter.pk).update(reminded_at=now)
    matter.reminded_at = now
    audit_record(
        actor=None,
        verb="vote_reminded",
        target=matter,
        after={"reminded_at": now.isoformat(), "seats": seat_ids},
    )
    transaction.on_commit(lambda: _reminder_send(matter.pk, addresses))
    return addresses


def vote_deadlines_advance(*, now: datetime | None = None) -> dict:
    """The scheduled flow's work (inside its run): remind the seats that have not voted within
    24 hours of the deadline, and close every vote whose deadline has passed, deciding its
    matter by the result. Each matter in its own transaction; one failing is reported."""
    now = _now(now)
    open_votes = Matter.objects.filter(state=MatterState.VOTING, vote_closed_at__isnull=True)
    reminded, closed, failed = [], [], []
    for matter_id in open_votes.filter(
        vote_deadline__gt=now, vote_deadline__lte=now + REMIND_WITHIN, reminded_at__isnull=True
    ).values_list("pk", flat=True):
        if vote_remind(matter_id=matter_id, now=now) is not None:
            reminded.append(matter_id)
    for matter_id in open_votes.filter(vote_deadline__lte=now).values_list("pk", flat=True):
        try:
            matter = vote_close(actor=None, matter_id=matter_id, now=now)
            closed.append({"id": matter_id, "state": matter.state})
        except (ConflictError, ValidationError, PermissionDenied) as problem:
            failed.append({"id": matter_id, "reason": str(problem)})
    return {"reminded": reminded, "closed": closed, "failed": failed}
