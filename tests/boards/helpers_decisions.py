"""Matters straight on the models, for the decision tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from governance.boards.choices import MatterKind, MatterOrigin, Venue
from governance.boards.models import Board, Matter
from governance.boards.voting import vote_open

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def matter_in(board: Board, state: str = "in_review", **fields) -> Matter:
    author = fields.pop("author", None) or _principal(board)
    matter = Matter.objects.create(
        hub=board.hub,
        title=fields.pop("title", "Ett ärende"),
        text="Text",
        origin=fields.pop("origin", MatterOrigin.PRINCIPAL),
        kind=fields.pop("kind", MatterKind.OTHER),
        author=author,
        **fields,
    )
    Matter.objects.filter(pk=matter.pk).update(state=state, board=board)
    return Matter.objects.get(pk=matter.pk)


def _principal(board):
    from governance.organisations.models import RoleAssignment

    return RoleAssignment.objects.filter(hub=board.hub, role="principal_staff").first().user


def voting_matter(seated, board=None, *, now=NOW, days=7, **fields) -> Matter:
    board = board or seated.owner_group
    matter = matter_in(board, "in_review", **fields)
    vote_open(
        actor=seated.principal,
        matter_id=matter.pk,
        deadline=now + timedelta(days=days),
        venue=Venue.CORRESPONDENCE,
        now=now,
    )
    return Matter.objects.get(pk=matter.pk)
