"""The demo's seats (``manage.py seed_demo``): today's Östersund has both bodies seated from its
member organisations' memberships (the playbook's governance model runs after the pilot), and
the demo users hold the seats of their organisations: owner1–3 represent Östersunds kommun,
Region Jämtland Härjedalen and Försäkringskassan in the owner group, board1–2 Trafikverket
(a national membership) and Skatteverket in the creative board."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.boards import seats
from governance.boards.choices import Body, HolderKind
from governance.boards.models import Seat, SeatHolder
from governance.hubs.models import Hub

OSTERSUND = "Samverket Östersund"
# username → the body whose seat of their organisation they hold as representative
REPRESENTATIVES = {
    "owner1": Body.OWNER_GROUP,
    "owner2": Body.OWNER_GROUP,
    "owner3": Body.OWNER_GROUP,
    "board1": Body.CREATIVE_BOARD,
    "board2": Body.CREATIVE_BOARD,
}


@transaction.atomic
def seed_board_seats() -> None:
    hub = Hub.objects.get(name=OSTERSUND)
    today = timezone.localdate()
    seats.seats_sync(hub, today)
    principal = User.objects.get(username="principal")
    for username, body in REPRESENTATIVES.items():
        user = User.objects.select_related("person").get(username=username)
        seat = Seat.objects.get(
            board__hub=hub,
            board__body=body,
            organisation_id=user.person.organisation_id,
            closed_on__isnull=True,
        )
        if SeatHolder.objects.filter(seat=seat, user=user, to_on__isnull=True).exists():
            continue
        seats.holder_add(
            actor=principal,
            seat_id=seat.pk,
            user_id=user.pk,
            kind=HolderKind.REPRESENTATIVE,
            title=user.person.title,
            from_on=max(seat.opened_on, date(today.year, 1, 1)),
        )
