"""The demo's decisions (``seed_board_decisions``, run after the seats are seeded): today's
Östersund, where — as the playbook says the governance model runs only after the pilot — the
owner group has adopted this year's budget and next year's fee schedule by recorded decisions
(approved minutes with two paragraphs, adjusted by owner1 and owner2), and has a vote by
correspondence open until next week on which owner1 and owner2 can vote. Idempotent: a second
run changes nothing; without Östersund's seated owner group it does nothing."""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.boards.choices import Body, MatterKind, MatterOrigin, MatterState, Venue
from governance.boards.decisions import decision_record
from governance.boards.demo_matters import submitted_and_routed
from governance.boards.matters import matter_transition
from governance.boards.minutes import minutes_adjusters_set, minutes_approve
from governance.boards.models import Board, Matter, SeatHolder
from governance.boards.voting import open_seats, vote_open
from governance.forecasts.models import Budget
from governance.forecasts.services import budget_create
from governance.memberships.models import FeeSchedule
from governance.memberships.services import fee_schedule_create

OSTERSUND = "Samverket Östersund"
OPEN_VOTE_TITLE = "Gemensam lokal för communityträffar"


def _matter(board: Board, author: User, title: str, text: str, **fields) -> Matter:
    """A matter raised by ``author``, routed by the rules table (as the routing flow does) to
    ``board`` and taken up for review there."""
    matter = submitted_and_routed(author, board.hub, title, text=text, **fields)
    if matter.state == MatterState.ROUTED:
        matter = matter_transition(actor=author, matter_id=matter.pk, name="review")
    return matter


def _budget_draft(board: Board, principal: User, year: int) -> Budget | None:
    """This year's budget as a draft for the owner group: the draft if there is one, otherwise
    a new version with the adopted one's lines (the pilot's agreed budget, now confirmed by the
    owner group's decision)."""
    draft = Budget.objects.filter(hub=board.hub, year=year, state="draft").first()
    if draft:
        return draft
    adopted = Budget.objects.filter(hub=board.hub, year=year, state="adopted").first()
    if adopted is None:
        return None
    return budget_create(
        actor=principal,
        hub_id=board.hub_id,
        year=year,
        lines=[
            {"category": line.category, "amount_sek": line.amount_sek, "note": line.note}
            for line in adopted.lines.all()
        ],
    )


def _next_fee_schedule(board: Board, principal: User) -> FeeSchedule:
    """Next year's levels as a draft: the ladder in force, from 1 January."""
    hub, effective = board.hub, date(timezone.localdate().year + 1, 1, 1)
    existing = FeeSchedule.objects.filter(hub=hub, effective_from=effective).first()
    if existing:
        return existing
    current = FeeSchedule.objects.filter(hub=hub).in_force(timezone.localdate()).first()
    tiers = [
        {
            "employees_from": t.employees_from,
            "employees_to": t.employees_to,
            "yearly_fee_ore": t.yearly_fee_ore,
            "organisation_kind": t.organisation_kind,
        }
        for t in current.tiers.all()
    ]
    return fee_schedule_create(
        actor=principal,
        hub_id=hub.pk,
        tiers=tiers,
        effective_from=effective,
        seat_price_ore=current.seat_price_ore,
    )


@transaction.atomic
def seed_board_decisions() -> None:
    board = Board.objects.filter(hub__name=OSTERSUND, body=Body.OWNER_GROUP).first()
    if board is None or not open_seats(board.pk, timezone.localdate()).exists():
        return
    principal = User.objects.get(username="principal")
    year = timezone.localdate().year
    if not board.decisions.exists():
        budget = _budget_draft(board, principal, year)
        budget_matter = _matter(
            board,
            principal,
            f"Budget {year}",
            "Huvudmannens förslag till budget för året.",
            origin=MatterOrigin.PRINCIPAL,
            kind=MatterKind.BUDGET,
            budget_id=budget.pk,
        )
        first = decision_record(
            actor=principal,
            matter_id=budget_matter.pk,
            outcome=MatterState.ADOPTED,
            text="Ägargruppen fastställer budgeten enligt förslaget.",
        )
        schedule = _next_fee_schedule(board, principal)
        fee_matter = _matter(
            board,
            principal,
            f"Avgiftsnivåer {year + 1}",
            "Oförändrad avgiftstrappa för nästa år.",
            origin=MatterOrigin.PRINCIPAL,
            kind=MatterKind.FEE_LEVELS,
            fee_schedule_id=schedule.pk,
        )
        decision_record(
            actor=principal,
            matter_id=fee_matter.pk,
            outcome=MatterState.ADOPTED,
            text="Ägargruppen fastställer avgiftsnivåerna oförändrade.",
        )
        adjusters = list(User.objects.filter(username__in=["owner1", "owner2"]))
        holding = SeatHolder.objects.filter(seat__board=board, user__in=adjusters)
        if holding.count() == 2:
            minutes_adjusters_set(
                actor=principal,
                minutes_id=first.minutes_id,
                user_ids=[u.pk for u in adjusters],
            )
            for adjuster in adjusters:
                minutes_approve(actor=adjuster, minutes_id=first.minutes_id)
    vote_matter = _matter(
        board,
        principal,
        OPEN_VOTE_TITLE,
        "Creative boarden föreslår en gemensam lokal; ägargruppen röstar om medfinansiering.",
        origin=MatterOrigin.CREATIVE_BOARD,
        kind=MatterKind.COLLABORATION,
        budget_impact=120_000,
    )
    if vote_matter.state == MatterState.IN_REVIEW:
        vote_open(
            actor=principal,
            matter_id=vote_matter.pk,
            deadline=timezone.now() + timedelta(days=7),
            venue=Venue.CORRESPONDENCE,
        )
