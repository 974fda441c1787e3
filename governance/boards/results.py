"""A vote's result: the tally among the eligible seats, the quorum and the majority by the
board's settings (not playbook rules: defaults more than half of the seats voting, more yes than
no). Playbook "Organisation och ägarskap": one seat, one vote, on equal terms ("jämlika samtal
på lika villkor"), never weighted.

Read by the guards of the matter's machine as well as by the services, so it reaches the models
through the app registry (models.py imports the guards)."""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.boards.choices import Majority, MatterState


def open_seats(board_id: int, on: date) -> QuerySet:
    """The body's seats open on ``on``."""
    return (
        apps.get_model("boards", "Seat")
        .objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=on), board_id=board_id, opened_on__lte=on
        )
        .select_related("organisation")
    )


@dataclass
class SeatVote:
    seat_id: int
    organisation: str
    choice: str | None  # None: has not voted (or has a conflict)
    reason: str = ""
    cast_by: str = ""
    cast_as: str = ""
    conflict: bool = False


@dataclass
class VoteResult:
    """A vote's tally: yes/no/abstain among the eligible seats (open seats minus those with a
    declared conflict), whether the quorum is reached and whether the motion carried by the
    board's majority rule; ``seats`` lists every open seat with its vote."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    seats_open: int = 0
    eligible: int = 0
    participating: int = 0
    quorum_percent: int = 50
    majority: str = Majority.SIMPLE
    quorum_reached: bool = False
    majority_reached: bool = False
    carried: bool = False
    closed: bool = False
    seats: list[SeatVote] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return MatterState.ADOPTED if self.carried else MatterState.REJECTED

    @property
    def not_voted(self) -> list[SeatVote]:
        return [s for s in self.seats if s.choice is None and not s.conflict]

    @property
    def conflicts(self) -> list[SeatVote]:
        return [s for s in self.seats if s.conflict]

    def snapshot(self) -> dict:
        """What the decision keeps (Decision.tally): the tally, the quorum and each seat's vote."""
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "seats_open": self.seats_open,
            "eligible": self.eligible,
            "participating": self.participating,
            "quorum_percent": self.quorum_percent,
            "majority": str(self.majority),
            "quorum_reached": self.quorum_reached,
            "majority_reached": self.majority_reached,
            "carried": self.carried,
            "seats": [
                {
                    "seat_id": s.seat_id,
                    "organisation": s.organisation,
                    "choice": s.choice,
                    "reason": s.reason,
                    "cast_by": s.cast_by,
                    "cast_as": s.cast_as,
                    "conflict": s.conflict,
                }
                for s in self.seats
            ],
        }


def majority_reached(majority: str, yes: int, no: int, abstain: int) -> bool:
    """The board's majority rule: simple — more yes than no (a tie or all abstaining does not
    carry); absolute — more yes than half of the votes cast, abstentions counted; two thirds —
    at least two thirds of the votes cast are yes."""
    cast = yes + no + abstain
    if majority == Majority.ABSOLUTE:
        return 2 * yes > cast
    if majority == Majority.TWO_THIRDS:
        return cast > 0 and 3 * yes >= 2 * cast
    return yes > no


def quorum_reached(quorum_percent: int, participating: int, eligible: int) -> bool:
    """More than ``quorum_percent`` % of the eligible seats take part (abstaining is taking
    part); no eligible seat, no quorum."""
    return eligible > 0 and 100 * participating > quorum_percent * eligible


def vote_result(matter, *, on: date | None = None) -> VoteResult:
    """The tally of the matter's vote among the body's seats open on ``on`` (by default the day
    the vote closed, or today)."""
    board = matter.board
    if on is None:
        closed = matter.vote_closed_at
        on = timezone.localdate(closed) if closed else timezone.localdate()
    conflicted = set(
        apps.get_model("boards", "Conflict")
        .objects.filter(matter=matter)
        .values_list("seat_id", flat=True)
    )
    votes = {
        vote.seat_id: vote
        for vote in apps.get_model("boards", "Vote")
        .objects.filter(matter=matter)
        .select_related("cast_by")
    }
    result = VoteResult(
        quorum_percent=board.quorum_percent if board else 50,
        majority=board.majority if board else Majority.SIMPLE,
        closed=matter.vote_closed_at is not None,
    )
    seats = list(open_seats(board.pk, on).order_by("organisation__name")) if board else []
    for seat in seats:
        vote = votes.get(seat.pk)
        conflict = seat.pk in conflicted
        seat_vote = SeatVote(seat.pk, seat.organisation.name, None, conflict=conflict)
        if vote and not conflict:
            seat_vote.choice, seat_vote.reason = vote.choice, vote.reason
            seat_vote.cast_by = vote.cast_by.get_full_name() or vote.cast_by.username
            seat_vote.cast_as = vote.cast_as
            setattr(result, vote.choice, getattr(result, vote.choice) + 1)
        result.seats.append(seat_vote)
    result.seats_open = len(seats)
    result.eligible = len(seats) - sum(s.conflict for s in result.seats)
    result.participating = result.yes + result.no + result.abstain
    result.quorum_reached = quorum_reached(
        result.quorum_percent, result.participating, result.eligible
    )
    result.majority_reached = majority_reached(
        result.majority, result.yes, result.no, result.abstain
    )
    result.carried = result.quorum_reached and result.majority_reached
    return result
