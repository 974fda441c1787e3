"""Reading the boards: who holds which seats."""

from datetime import date

from django.contrib.auth.models import User
from django.db.models import QuerySet

from governance.boards.models import SeatHolder


def current_holdings(user: User, on: date) -> QuerySet[SeatHolder]:
    """The user's holdings (representative or substitute) in seats open on ``on``."""
    return SeatHolder.objects.current(on).filter(user=user)


# --- seats (issue 13 part "seats") ---

# The hub roles derived from seats (governance/hubs/choices.py HubRole, named by value: the
# boards app does not import the hubs app's vocabulary for two strings).
ROLE_OF_BODY = {"owner_group": "owner_group_rep", "creative_board": "creative_board_rep"}


def derived_roles(user: User) -> set[tuple[str, int]]:
    """(role, hub id) for each body the user holds a seat in today, representative or
    substitute: the one source of the hub roles owner_group_rep and creative_board_rep
    (BoardsConfig.derived_roles; governance/organisations/roles.py unions them in)."""
    from django.utils import timezone

    rows = current_holdings(user, timezone.localdate()).values_list(
        "seat__board__body", "seat__board__hub_id"
    )
    return {(ROLE_OF_BODY[body], hub_id) for body, hub_id in rows}


def hub_has_current_representative(hub_id: int, body: str, on: date) -> bool:
    """Whether the hub's body has a representative (not only substitutes) in an open seat."""
    return (
        SeatHolder.objects.current(on)
        .filter(seat__board__hub_id=hub_id, seat__board__body=body, kind="representative")
        .exists()
    )


def boards_visible_to(user: User) -> list:
    """The bodies the user may see (boards.view_board), by hub and body."""
    from governance.boards.models import Board

    if not user.is_authenticated:
        return []
    return [
        board
        for board in Board.objects.select_related("hub").order_by("hub__name", "body")
        if user.has_perm("boards.view_board", board)
    ]


def seats_of_board(board, *, history: bool = False):
    """The body's seats with their holders: open seats and current holders, or everything."""
    from django.db.models import Prefetch

    from governance.boards.models import Seat

    holders = SeatHolder.objects.select_related("user", "user__person").order_by("kind", "-from_on")
    if not history:
        holders = holders.filter(to_on__isnull=True)
    seats = Seat.objects.filter(board=board).select_related("organisation")
    if not history:
        seats = seats.filter(closed_on__isnull=True)
    return seats.prefetch_related(Prefetch("holders", queryset=holders)).order_by(
        "closed_on", "organisation__name", "-opened_on"
    )


def hub_member_user_ids(hub_id: int) -> set[int]:
    """Users who are individual members of the hub now (approved or onboarded)."""
    from governance.members.choices import MEMBER_STATES
    from governance.members.models import Member

    return set(
        Member.objects.filter(
            hub_id=hub_id, state__in=MEMBER_STATES, user__isnull=False
        ).values_list("user_id", flat=True)
    )


def hub_owner_group_seated(hub_id: int) -> bool:
    """Whether the hub's owner group has open seats (its members adopt budgets and fee levels
    by its decisions)."""
    from governance.boards.models import Seat

    return Seat.objects.filter(
        board__hub_id=hub_id, board__body="owner_group", closed_on__isnull=True
    ).exists()


def readable_decisions(user: User) -> QuerySet:
    """The decisions of the bodies ``user`` may read (rules.hub_insider): the national
    coordinator all; the hub's principal staff, community manager and seat holders their hub's."""
    from django.utils import timezone

    from governance.boards.models import Decision
    from governance.organisations import roles

    decisions = Decision.objects.select_related("board__hub", "matter").order_by(
        "board", "-year", "-number"
    )
    if not user.is_authenticated:
        return decisions.none()
    user_roles = roles.user_roles(user)
    if any(role == "national_coordinator" for role, _hub in user_roles):
        return decisions
    hub_ids = {
        hub_id
        for role, hub_id in user_roles
        if role in ("principal_staff", "community_manager") and hub_id is not None
    }
    hub_ids |= set(
        current_holdings(user, timezone.localdate()).values_list("seat__board__hub_id", flat=True)
    )
    return decisions.filter(board__hub_id__in=hub_ids)
