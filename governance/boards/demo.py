"""The boards' demo (``manage.py seed_demo``), in today's Östersund: the seats first (both
bodies seated from the memberships, the demo users holding theirs), then the matters and the
meeting, then the decisions, the approved minutes and the open vote. Each part is
idempotent."""

from governance.boards.demo_decisions import seed_board_decisions
from governance.boards.demo_matters import seed_board_matters
from governance.boards.demo_seats import seed_board_seats


def seed_boards() -> None:
    seed_board_seats()
    seed_board_matters()
    seed_board_decisions()
