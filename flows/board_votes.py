"""The boards' scheduled vote flow (playbook "Organisation och ägarskap": a vote by
correspondence runs to its deadline)."""

from datetime import datetime

from prefect import flow

from flows.tracking import record_failure, record_result, tracked_run
from governance.boards.voting import vote_deadlines_advance


@flow(name="board-vote-deadlines", on_failure=[record_failure])
def board_vote_deadlines(run_id: int | None = None, on: str | None = None) -> None:
    """Every 15 minutes (BoardsConfig.schedules): remind, once, the seats that have not voted
    within 24 hours of a deadline, and close every vote whose deadline has passed, deciding
    its matter by the result. ``on`` (ISO date-time) names the moment; by default now."""
    with tracked_run(run_id, "board_vote_deadlines") as run_id:
        if run_id is None:
            return
        now = datetime.fromisoformat(on) if on else None
        record_result(run_id, vote_deadlines_advance(now=now))
