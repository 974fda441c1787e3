"""The routing flow of the boards' matters (governance/boards/routing.py holds the rules)."""

from prefect import flow

from flows.tracking import record_failure, record_result, tracked_run
from governance.boards.matters import matter_route


@flow(name="route-board-matter", on_failure=[record_failure])
def route_board_matter(matter_id: int, run_id: int | None = None) -> None:
    """Started on submit (dispatch): route the matter by the rules table, record the route and
    the reason, put it on the next meeting's agenda, and notify the seat holders and the CM."""
    with tracked_run(run_id, "route_board_matter") as run_id:
        if run_id is None:
            return
        record_result(run_id, matter_route(matter_id=matter_id, flow_run_id=run_id))
