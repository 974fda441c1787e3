"""E-mail to a body's seat holders and the hub's community manager (Django's mail: the console
backend in development, SMTP from the environment in production).

Playbook "Organisation och ägarskap": the community manager takes part in both bodies without a
vote, so hears of every matter and meeting the seat holders hear of.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.boards.models import Board, Matter, SeatHolder

COMMUNITY_MANAGER = "community_manager"


def seat_holders(board: Board, on: date) -> QuerySet[User]:
    """The users holding a seat (representative or substitute) of ``board`` on ``on``."""
    holdings = (
        SeatHolder.objects.filter(seat__board=board, from_on__lte=on, seat__opened_on__lte=on)
        .exclude(to_on__lt=on)
        .exclude(seat__closed_on__lt=on)
    )
    return User.objects.filter(pk__in=holdings.values("user")).order_by("pk")


def community_managers(hub_id: int) -> QuerySet[User]:
    return User.objects.filter(
        role_assignments__role=COMMUNITY_MANAGER, role_assignments__hub_id=hub_id
    ).order_by("pk")


def recipients(board: Board, on: date | None = None) -> list[User]:
    """Every seat holder of the body and the hub's community manager(s), each once."""
    on = on or timezone.localdate()
    people = {u.pk: u for u in seat_holders(board, on)}
    people.update({u.pk: u for u in community_managers(board.hub_id)})
    return list(people.values())


def addresses(people: list[User]) -> list[str]:
    return sorted({person.email for person in people if person.email})


def matter_routed_notify(matter: Matter) -> int:
    """Tell the body's seat holders and the CM that the matter has come to them; answers how
    many addresses were written to."""
    to = addresses(recipients(matter.board))
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Nytt ärende till %(board)s: %(title)s") % {
            "board": matter.board,
            "title": matter.title,
        }
        body = "\n\n".join([matter.title, matter.text, _("Fördelning: %s") % matter.route_reason])
    EmailMessage(subject=subject, body=body, to=to).send()
    return len(to)
