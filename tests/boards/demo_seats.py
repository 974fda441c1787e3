"""Östersund's demo seats built on the models, until the seats' seeder lands: an owner-group
seat for owner1–3's organisations and a creative-board seat for board1–2's."""

from datetime import date

from django.contrib.auth.models import User

from governance.boards.choices import Body
from governance.boards.models import Board, Seat, SeatHolder
from governance.hubs.models import Hub


def seat_demo_users() -> None:
    hub = Hub.objects.get(name="Samverket Östersund")
    for body, usernames in (
        (Body.OWNER_GROUP, ["owner1", "owner2", "owner3"]),
        (Body.CREATIVE_BOARD, ["board1", "board2"]),
    ):
        board, _ = Board.objects.get_or_create(hub=hub, body=body)
        for username in usernames:
            user = User.objects.get(username=username)
            organisation = user.person.organisation
            seat, _ = Seat.objects.get_or_create(
                board=board,
                organisation=organisation,
                closed_on=None,
                defaults={"opened_on": date(2025, 1, 1)},
            )
            SeatHolder.objects.get_or_create(
                seat=seat,
                user=user,
                to_on=None,
                defaults={
                    "kind": "representative",
                    "title": user.person.title,
                    "from_on": date(2025, 1, 1),
                },
            )
