"""Flows about organisations."""

from typing import Any

from prefect import flow, task

from flows.tracking import record_failure, record_result, record_start
from governance.audit.context import acting_for_flow_run
from governance.organisations.selectors import organisation_invalid_org_numbers


@task
def find_invalid_org_numbers() -> dict[str, Any]:
    """Check every stored organisation number against the current rules."""
    return organisation_invalid_org_numbers()


@flow(name="revalidate-org-numbers", on_failure=[record_failure])
def revalidate_org_numbers(run_id: int) -> None:
    """Re-validate all organisation numbers and report the bad ones on the run record."""
    with acting_for_flow_run(run_id):
        if record_start(run_id):
            record_result(run_id, find_invalid_org_numbers())
