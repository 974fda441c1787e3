"""API shape of a flow-run record."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema


class FlowRunOut(Schema):
    id: int
    flow_name: str
    parameters: dict[str, Any]
    state: str
    prefect_flow_run_id: UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error: str
