"""FLOW_MODE=deployment hands the run to the Prefect server instead of running it here."""

import pytest
from prefect import get_client

from governance.workflows import dispatch, load_flow

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
