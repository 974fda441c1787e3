"""The dispatch runs a real Prefect flow in-process and the flow writes its result."""

import pytest
from django.test import Client

from governance.flowruns.models import FlowRun
from governance.organisations.models import Organisation
from governance.workflows import UnknownFlowError, dispatch
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("prefect_harness")]


def test_dispatch_runs_the_flow_inline_and_records_the_bad_numbers():
    good = OrganisationFactory()
    bad = OrganisationFactory()
    # Rows imported around the validation, as a bulk load would.
    Organisation.objects.filter(pk=bad.pk).update(org_number="2021005522")

    run = dispatch("revalidate_org_numbers")

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.prefect_flow_run_id is not None
    assert run.started_at <= run.finished_at
    assert run.result["checked"] == 2
    assert [row["id"] for row in run.result["invalid"]] == [bad.pk]
    assert "kontrollsiffra" in run.result["invalid"][0]["problem"]
    assert good.pk not in [row["id"] for row in run.result["invalid"]]


def test_revalidate_endpoint_answers_202_and_the_run_can_be_polled(coordinator):
    OrganisationFactory()
    client = Client()
    client.force_login(coordinator)

    accepted = client.post("/api/organisations/revalidate", content_type="application/json")

    assert accepted.status_code == 202
    polled = client.get(f"/api/flow-runs/{accepted.json()['id']}").json()
    assert accepted.json() == polled  # the stored record, not the one dispatch created
    assert polled["state"] == "completed"
    assert polled["result"] == {"checked": 1, "invalid": []}


def test_a_failing_flow_is_recorded_as_failed(monkeypatch):
    def explode() -> dict:
        raise RuntimeError("database went away")

    monkeypatch.setattr("flows.organisations.organisation_invalid_org_numbers", explode)
    run = dispatch("revalidate_org_numbers")

    run.refresh_from_db()
    assert run.state == "failed"
    assert "database went away" in run.error
    assert run.finished_at is not None


def test_dispatch_waits_for_the_commit():
    from django.db import transaction

    with transaction.atomic():
        run = dispatch("revalidate_org_numbers")
        assert FlowRun.objects.get(pk=run.pk).state == "pending"
    run.refresh_from_db()
    assert run.state == "completed"


def test_dispatch_refuses_unknown_flows_and_rich_parameters():
    with pytest.raises(UnknownFlowError):
        dispatch("no_such_flow")
    with pytest.raises(TypeError):
        dispatch("revalidate_org_numbers", organisation=object())
    assert not FlowRun.objects.exists()


def test_background_mode_returns_before_the_flow_runs(settings):
    from governance.workflows import wait_for_background_runs

    settings.FLOW_INLINE_IN_BACKGROUND = True
    OrganisationFactory()

    run = dispatch("revalidate_org_numbers")

    wait_for_background_runs(timeout=60)
    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result["checked"] == 1
