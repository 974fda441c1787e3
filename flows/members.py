"""Flows about individual members."""

from datetime import date

from django.utils import timezone
from prefect import flow

from flows.tracking import record_failure, record_result, tracked_run
from governance.members.services import members_erase_departed


@flow(name="erase-departed-members", on_failure=[record_failure])
def erase_departed_members(run_id: int | None = None, on: str | None = None) -> None:
    """Each night (MembersConfig.schedules): anonymise the members who left, were declined or
    never confirmed their address longer than MEMBER_RETENTION_DAYS ago. ``on`` (ISO date)
    names the day; by default today."""
    with tracked_run(run_id, "erase_departed_members") as run_id:
        if run_id is None:
            return
        today = date.fromisoformat(on) if on else timezone.localdate()
        record_result(run_id, members_erase_departed(today=today))
