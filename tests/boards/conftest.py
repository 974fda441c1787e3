"""A hub with both bodies seated, built straight on the models so every boards test starts from
the same people: three member organisations, each with a seat in the owner group and in the
creative board; a representative for each seat (owner-group representatives from top
management), a substitute for the first organisation's owner-group seat; the hub's principal
staff and community manager; and someone from outside."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User

from governance.boards.choices import Body, HolderKind
from governance.boards.models import Board, Seat, SeatHolder
from governance.hubs.models import Hub
from governance.organisations.models import Organisation
from tests.factories import HubFactory, OrganisationFactory, PersonFactory, UserFactory

SEATED_SINCE = date(2026, 1, 1)


@dataclass
class Seated:
    hub: Hub
    owner_group: Board
    creative_board: Board
    organisations: list[Organisation]
    owner_seats: list[Seat]
    board_seats: list[Seat]
    owners: list[User]  # the owner-group representatives, one per organisation
    substitute: User  # the first organisation's owner-group substitute
    board_members: list[User]  # the creative-board representatives
    principal: User
    community_manager: User
    outsider: User


def seat_holder(seat: Seat, kind: str = HolderKind.REPRESENTATIVE, title: str = "") -> User:
    """A new user of the seat's organisation holding the seat from SEATED_SINCE."""
    user = UserFactory()
    title = title or ("Kommundirektör" if seat.board.body == Body.OWNER_GROUP else "Strateg")
    PersonFactory(user=user, organisation=seat.organisation, title=title)
    SeatHolder.objects.create(seat=seat, user=user, kind=kind, title=title, from_on=SEATED_SINCE)
    return user


@pytest.fixture
def seated(db) -> Seated:
    hub = HubFactory(name="Samverket Test", principal=OrganisationFactory(name="Huvudmannen"))
    owner_group = Board.objects.create(hub=hub, body=Body.OWNER_GROUP)
    creative_board = Board.objects.create(hub=hub, body=Body.CREATIVE_BOARD)
    organisations = [OrganisationFactory(name=f"Medlem {n}") for n in (1, 2, 3)]
    owner_seats = [
        Seat.objects.create(board=owner_group, organisation=o, opened_on=SEATED_SINCE)
        for o in organisations
    ]
    board_seats = [
        Seat.objects.create(board=creative_board, organisation=o, opened_on=SEATED_SINCE)
        for o in organisations
    ]
    return Seated(
        hub=hub,
        owner_group=owner_group,
        creative_board=creative_board,
        organisations=organisations,
        owner_seats=owner_seats,
        board_seats=board_seats,
        owners=[seat_holder(seat) for seat in owner_seats],
        substitute=seat_holder(owner_seats[0], HolderKind.SUBSTITUTE, "Biträdande direktör"),
        board_members=[seat_holder(seat) for seat in board_seats],
        principal=UserFactory(roles=[("principal_staff", hub)]),
        community_manager=UserFactory(roles=[("community_manager", hub)]),
        outsider=UserFactory(),
    )
