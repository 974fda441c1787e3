"""Decisions: each a numbered paragraph (§1, §2 … per body and year) of the body's minutes.

Playbook "Organisation och ägarskap": steering "i de fall det behövs" — most matters are
decided in agreement (beslut i enighet) without a vote, from ``in_review``; after a closed vote
(``voting``) the decision keeps the tally, the quorum and each seat's vote, and the conflicts
declared. The owner group "sätter budget och kostnadsnivåer": an adopted budget matter adopts its
budget and an adopted fee-level matter its fee schedule, recording the paragraph that did it
(``governance/lifecycle/versions.py`` lets only such a decision adopt once the hub has an owner
group).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.boards.choices import Body, DecisionMethod, MatterKind, MatterState, VoteChoice
from governance.boards.minutes import minutes_for_decision, require_editable
from governance.boards.models import Board, Decision, Dissent, Matter, Motion, Seat, Vote
from governance.boards.results import open_seats, vote_result
from governance.boards.selectors import current_holdings
from governance.errors import ConflictError
from governance.lifecycle.services import transition_run
from governance.permissions import require_permission

TRANSITION_OF_OUTCOME = {
    MatterState.ADOPTED: "adopt",
    MatterState.REJECTED: "reject",
    MatterState.NOTED: "note",
}


def paragraph_reference(decision: Decision) -> str:
    """How a paragraph is cited: "Ägargruppen Samverket Östersund 2026 §3"."""
    body = _("Ägargruppen") if decision.board.body == Body.OWNER_GROUP else _("Creative boarden")
    return f"{body} {decision.board.hub.name} {decision.year} §{decision.number}"


def _next_number(board_id: int, year: int) -> int:
    """The next paragraph number of the body's year; the caller holds the body's row lock, so
    two decisions at once get consecutive numbers, without gaps or duplicates."""
    latest = Decision.objects.filter(board_id=board_id, year=year).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def _dissents_checked(
    matter: Matter, method: str, tally: dict, dissents: Iterable[dict[str, Any]], on: Any
) -> list[tuple[Seat, Any, str]]:
    """Each dissent (reservation) names a seat of the body and a reason; after a vote only a
    seat that voted no may enter one."""
    checked = []
    voted_no = {s["seat_id"] for s in tally.get("seats", []) if s["choice"] == VoteChoice.NO}
    for index, dissent in enumerate(dissents):
        seat = open_seats(matter.board_id, on).filter(pk=dissent.get("seat_id")).first()
        reason = (dissent.get("reason") or "").strip()
        if seat is None:
            raise ValidationError({f"dissents.{index}.seat_id": _("Platsen finns inte i organet.")})
        if not reason:
            raise ValidationError(
                {f"dissents.{index}.reason": _("Ange skälet till reservationen.")}
            )
        if method == DecisionMethod.VOTE and seat.pk not in voted_no:
            raise ValidationError(
                {f"dissents.{index}.seat_id": _("Bara en plats som röstat nej kan reservera sig.")}
            )
        holder = seat.holders.filter(kind="representative", to_on__isnull=True).first()
        vote = Vote.objects.filter(matter=matter, seat=seat).select_related("cast_by").first()
        user = vote.cast_by if vote else (holder.user if holder else None)
        if user is None:
            raise ValidationError({f"dissents.{index}.seat_id": _("Platsen har ingen ledamot.")})
        checked.append((seat, user, reason))
    return checked


def _agreeing_organisations(matter: Matter, method: str, tally: dict, on: Any) -> list[Any]:
    """Who agreed: after a vote the organisations whose seats voted yes; in agreement every
    open seat's organisation but those with a declared conflict."""
    if method == DecisionMethod.VOTE:
        seat_ids = [s["seat_id"] for s in tally["seats"] if s["choice"] == VoteChoice.YES]
        seats = Seat.objects.filter(pk__in=seat_ids)
    else:
        seats = open_seats(matter.board_id, on).exclude(conflicts__matter=matter)
    return [seat.organisation for seat in seats.select_related("organisation")]


def _adopt_version(
    *, actor: User | None, matter: Matter, decision: Decision, agreeing: list[Any]
) -> None:
    """An adopted budget or fee-level matter adopts its draft, recording the decision."""
    from governance.lifecycle import versions

    if matter.kind == MatterKind.BUDGET and matter.budget_id:
        from governance.forecasts.services import budget_transition

        target, run = matter.budget, budget_transition
        kwargs = {"budget_id": matter.budget_id}
    elif matter.kind == MatterKind.FEE_LEVELS and matter.fee_schedule_id:
        from governance.memberships.services import fee_schedule_transition

        target, run = matter.fee_schedule, fee_schedule_transition
        kwargs = {"feeschedule_id": matter.fee_schedule_id}
    else:
        return
    reference = paragraph_reference(decision)
    before = {
        "decision_reference": target.decision_reference,
        "agreed_on": target.agreed_on.isoformat() if target.agreed_on else None,
        "agreed_by": sorted(target.agreed_by.values_list("pk", flat=True)),
    }
    target.decision_reference = reference
    target.agreed_on = timezone.localdate(decision.decided_at)
    target.save(update_fields=["decision_reference", "agreed_on", "updated_at"])
    target.agreed_by.set(agreeing)
    audit_record(
        actor=actor,
        verb="updated",
        target=target,
        before=before,
        after={
            "decision_reference": reference,
            "agreed_on": target.agreed_on.isoformat(),
            "agreed_by": sorted(o.pk for o in agreeing),
        },
        details={"decision": decision.pk},
    )
    with versions.adopting_by_decision(target):
        run(actor=actor, name="adopt", comment=reference, **kwargs)


@transaction.atomic
def decision_record(
    *,
    actor: User | None,
    matter_id: int,
    outcome: str,
    text: str = "",
    motion_id: int | None = None,
    adjusted_at_once: bool = False,
    dissents: Iterable[dict[str, Any]] = (),
    now: datetime | None = None,
) -> Decision:
    """Record the decision on a matter as the next paragraph of its body's minutes.

    In agreement (from ``in_review``: adopted, rejected or noted, no vote); after a closed vote
    (from ``voting``: the result decides, the tally and conflicts are kept). ``motion_id`` names
    the motion (yrkande) that carried; ``dissents`` are ``{"seat_id", "reason"}``;
    ``adjusted_at_once`` (omedelbar justering) locks the paragraph at once. The matter's
    transition checks the state and the guards (409); the principal's staff record (403
    otherwise), the deadline flow closing a vote records without a person."""
    now = now or timezone.now()
    matter = Matter.objects.select_for_update(of=("self",)).get(pk=matter_id)
    if actor is not None:
        require_permission(actor, "boards.manage_matter", matter)
    if outcome not in TRANSITION_OF_OUTCOME:
        raise ValidationError({"outcome": _("Välj bifall, avslag eller anteckna.")})
    if matter.board_id is None:
        raise ConflictError(
            "not_routed", _("Ärendet är inte fördelat till något organ."), state=matter.state
        )
    voting = matter.state == MatterState.VOTING
    method = DecisionMethod.VOTE if voting else DecisionMethod.AGREEMENT
    if voting and matter.vote_closed_at is None:
        raise ConflictError(
            "vote_open",
            _("Omröstningen pågår: beslutet fattas när den stängts."),
            state=matter.state,
            allowed=[],
        )
    motion = None
    if motion_id is not None:
        motion = Motion.objects.filter(pk=motion_id, matter=matter).first()
        if motion is None:
            raise ValidationError({"motion_id": _("Yrkandet hör inte till ärendet.")})
    decided_on = timezone.localdate(now)
    result = vote_result(matter) if voting else None
    tally = result.snapshot() if result else {}
    conflicts = [
        {"seat_id": c.seat_id, "organisation": c.seat.organisation.name, "reason": c.reason}
        for c in matter.conflicts.select_related("seat__organisation")
    ]
    checked_dissents = _dissents_checked(matter, method, tally, dissents, decided_on)
    matter = transition_run(
        Matter.objects.all(),
        pk=matter.pk,
        name=TRANSITION_OF_OUTCOME[outcome],
        actor=actor,
        comment=text,
    )
    board = Board.objects.select_for_update().select_related("hub").get(pk=matter.board_id)
    minutes = minutes_for_decision(board=board, matter=matter, actor=actor, year=decided_on.year)
    require_editable(minutes)
    if motion is not None:
        Motion.objects.filter(matter=matter, carried=True).update(carried=False)
        Motion.objects.filter(pk=motion.pk).update(carried=True)
    decision = Decision.objects.create(
        minutes=minutes,
        board=board,
        year=decided_on.year,
        number=_next_number(board.pk, decided_on.year),
        matter=matter,
        method=method,
        outcome=outcome,
        text=text or matter.title,
        tally=tally,
        conflicts=conflicts,
        adjusted_at_once=adjusted_at_once,
        decided_at=now,
        recorded_by=actor or minutes.keeper,
    )
    for seat, user, reason in checked_dissents:
        Dissent.objects.create(decision=decision, seat=seat, user=user, reason=reason)
    audit_record(
        actor=actor,
        verb="decision_recorded",
        target=decision,
        after={
            "matter": matter.pk,
            "number": decision.number,
            "year": decision.year,
            "method": method,
            "outcome": outcome,
            "motion": motion.pk if motion else None,
            "dissents": [seat.pk for seat, _user, _reason in checked_dissents],
            "adjusted_at_once": adjusted_at_once,
        },
    )
    if outcome == MatterState.ADOPTED and board.body == Body.OWNER_GROUP:
        agreeing = _agreeing_organisations(matter, method, tally, decided_on)
        _adopt_version(actor=actor, matter=matter, decision=decision, agreeing=agreeing)
    return decision


@transaction.atomic
def dissent_enter(*, actor: User, decision_id: int, reason: str) -> Dissent:
    """A seat holder enters their seat's reservation against a decision while its minutes are
    not adjusted; after a vote only a seat that voted no may."""
    decision = Decision.objects.select_for_update().select_related("minutes").get(pk=decision_id)
    require_permission(actor, "boards.vote", decision)
    require_editable(decision.minutes, decision)
    holding = (
        current_holdings(actor, timezone.localdate())
        .filter(seat__board_id=decision.board_id)
        .order_by("kind")
        .first()
    )
    [(seat, _user, reason)] = _dissents_checked(
        decision.matter,
        decision.method,
        decision.tally,
        [{"seat_id": holding.seat_id, "reason": reason}],
        timezone.localdate(),
    )
    if Dissent.objects.filter(decision=decision, seat=seat).exists():
        raise ConflictError("dissent_entered", _("Platsen har redan reserverat sig."), state="")
    dissent = Dissent.objects.create(decision=decision, seat=seat, user=actor, reason=reason)
    audit_record(
        actor=actor,
        verb="dissent_entered",
        target=dissent,
        after={"decision": decision.pk, "seat": seat.pk, "reason": reason},
    )
    return dissent
