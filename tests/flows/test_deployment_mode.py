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
from governance.workflows import dispatch, load_flow
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("prefect_harness")]


def test_deployment_mode_schedules_the_flow_on_the_prefect_server(settings):
    settings.FLOW_MODE = "deployment"
    load_flow("revalidate_org_numbers").to_deployment(name=settings.FLOW_DEPLOYMENT_SUFFIX).apply()

    run = dispatch("revalidate_org_numbers")

    run.refresh_from_db()
    assert run.state == "pending"  # a worker (manage.py serve_flows) will pick it up
    assert run.prefect_flow_run_id is not None
    with get_client(sync_client=True) as client:
        scheduled = client.read_flow_run(run.prefect_flow_run_id)
    assert scheduled.parameters == {"run_id": run.pk}
    assert scheduled.state.is_scheduled()


def test_deployment_mode_without_a_deployment_records_the_failure(settings):
    settings.FLOW_MODE = "deployment"
    settings.FLOW_DEPLOYMENT_SUFFIX = "nowhere"

    run = dispatch("revalidate_org_numbers")

    run.refresh_from_db()
    assert run.state == "failed"
    assert "nowhere" in run.error


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
        [sys.executable, "manage.py", "serve_flows"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}",
            "PREFECT_API_URL": PREFECT_API_URL.value(),
            "PREFECT_RUNNER_POLL_FREQUENCY": "1",
            "FLOW_MODE": "deployment",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(
            lambda: _deployment_exists(f"revalidate-org-numbers/{settings.FLOW_DEPLOYMENT_SUFFIX}")
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
