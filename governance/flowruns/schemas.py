"""API shape of a flow-run record."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema

from governance.flowruns.models import FlowRun


class FlowRunOut(Schema):
    id: int
    flow_name: str
    parameters: dict[str, Any]
    state: str
    state_display: str
    prefect_flow_run_id: UUID | None
    created_at: datetime
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    # Waiting to start for longer than FLOW_STUCK_AFTER_SECONDS.
    stuck: bool
    last_problem: str
    result: dict[str, Any] | None
    error: str

    @staticmethod
    def resolve_state_display(run: FlowRun) -> str:
        return run.get_state_display()

    @staticmethod
    def resolve_stuck(run: FlowRun) -> bool:
        return run.is_stuck
