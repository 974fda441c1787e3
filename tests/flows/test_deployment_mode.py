"""FLOW_MODE=deployment hands the run to the Prefect server instead of running it here."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from prefect import get_client
from prefect.exceptions import ObjectNotFound

from governance.flowruns.models import FlowRun
from governance.workflows import FlowDispatcher, dispatch, load_flow
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("prefect_harness")]


def test_dispatch_only_records_the_run_and_the_dispatcher_hands_it_over(settings):
    settings.FLOW_MODE = "deployment"
    load_flow("revalidate_org_numbers").to_deployment(name=settings.FLOW_DEPLOYMENT_NAME).apply()

    run = dispatch("revalidate_org_numbers")

    assert run.state == "queued"  # the request talks to no Prefect server
    assert run.prefect_flow_run_id is None
    with get_client(sync_client=True) as client:
        assert FlowDispatcher().hand_over_queued_runs(client) == 1
        run.refresh_from_db()
        assert (run.state, run.attempts) == ("pending", 1)  # a serve_flows worker picks it up
        scheduled = client.read_flow_run(run.prefect_flow_run_id)
        assert FlowDispatcher().hand_over_queued_runs(client) == 0
    assert scheduled.parameters == {"run_id": run.pk}
    assert scheduled.state.is_scheduled()
    assert scheduled.deployment_id is not None


def test_without_a_deployment_the_run_waits_queued_with_the_reason(settings):
    settings.FLOW_MODE = "deployment"
    settings.FLOW_DEPLOYMENT_NAME = "governance-nowhere"

    run = dispatch("revalidate_org_numbers")
    with get_client(sync_client=True) as client:
        assert FlowDispatcher().hand_over_queued_runs(client) == 0

    run.refresh_from_db()
    assert run.state == "queued"  # a worker registering the deployment later will run it
    assert "governance-nowhere" in run.last_problem
    assert run.handoff_failures == 1
    assert run.next_handoff_at > run.queued_at


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker process needs to share the test database (PostgreSQL in CI)",
)
def test_a_serve_flows_worker_runs_the_flow_and_writes_the_result(settings):
    from prefect.settings import PREFECT_API_URL

    settings.FLOW_MODE = "deployment"
    OrganisationFactory()
    database = connection.settings_dict
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "serve_flows", "--limit", "1"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}",
            "PREFECT_API_URL": PREFECT_API_URL.value(),
            "FLOW_MODE": "deployment",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(
            lambda: _deployment_exists(f"revalidate-org-numbers/{settings.FLOW_DEPLOYMENT_NAME}")
        )
        run = dispatch("revalidate_org_numbers")
        _wait_for(lambda: FlowRun.objects.get(pk=run.pk).state in {"completed", "failed"})
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result == {"checked": 1, "invalid": []}


def _deployment_exists(name: str) -> bool:
    with get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(name)
        except ObjectNotFound:
            return False
    return True


def _wait_for(condition, attempts: int = 120) -> None:
    """Poll (a real worker is another process); fail after about two minutes."""
    for _ in range(attempts):
        if condition():
            return
        time.sleep(1)
    pytest.fail("the worker did not get there in time")


def test_workers_install_one_missing_heartbeat_automation():
    from governance.workflows import ZOMBIE_AUTOMATION_NAME, ensure_zombie_automation

    ensure_zombie_automation()
    ensure_zombie_automation()

    with get_client(sync_client=True) as client:
        [automation] = client.read_automations_by_name(ZOMBIE_AUTOMATION_NAME)
    assert automation.enabled
    assert automation.trigger.after == {"prefect.flow-run.heartbeat"}
    assert automation.trigger.within.total_seconds() == 90
    assert [action.type for action in automation.actions] == ["change-flow-run-state"]
    assert automation.actions[0].state.value == "CRASHED"
