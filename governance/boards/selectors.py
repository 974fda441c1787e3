"""Reading the boards: who holds which seats."""

from datetime import date

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from governance.boards.models import SeatHolder


def current_holdings(user: User, on: date) -> QuerySet[SeatHolder]:
    """The user's holdings (representative or substitute) in seats open on ``on``."""
    return SeatHolder.objects.filter(
        Q(to_on__isnull=True) | Q(to_on__gte=on),
        Q(seat__closed_on__isnull=True) | Q(seat__closed_on__gte=on),
        user=user,
        from_on__lte=on,
        seat__opened_on__lte=on,
    )
