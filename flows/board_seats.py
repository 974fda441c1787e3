"""Flows about the owner groups' and creative boards' seats."""

from datetime import date

from django.utils import timezone
from prefect import flow

from flows.tracking import record_failure, record_result, tracked_run
from governance.boards.seats import seats_sync_all


@flow(name="nightly-board-seats", on_failure=[record_failure])
def nightly_board_seats(run_id: int | None = None, on: str | None = None) -> None:
    """Each night (BoardsConfig.schedules): every hub's seats follow its organisation
    memberships as dates pass (a termination's last day, an end date); agreement transitions
    sync at once through the post_transition signal. ``on`` (ISO date) names the day."""
    with tracked_run(run_id, "nightly_board_seats") as run_id:
        if run_id is None:
            return
        today = date.fromisoformat(on) if on else timezone.localdate()
        record_result(run_id, seats_sync_all(today))
