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
