"""The forecast flow through dispatch: one scenario, or every hub's current scenario at once."""

import pytest

from governance.forecasts.models import ForecastResult
from tests.factories import HubFactory, UserFactory
from tests.forecasts.factories import ForecastScenarioFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("prefect_harness")]


def test_running_a_scenario_answers_202_and_stores_a_result(api_client):
    scenario = ForecastScenarioFactory(hub=HubFactory())
    principal_staff = UserFactory(roles=[("principal_staff", scenario.hub)])
    answer = api_client(principal_staff).post(f"/api/forecast-scenarios/{scenario.pk}/run")
    assert answer.status_code == 202
    assert answer.json()["flow_name"] == "run_break_even_forecast"
    run = api_client(principal_staff).get(f"/api/flow-runs/{answer.json()['id']}").json()
    assert run["state"] == "completed"
    (result_id,) = run["result"]["result_ids"]
    stored = ForecastResult.objects.get(pk=result_id)
    assert stored.flow_run_id == answer.json()["id"]
    assert bytes(stored.chart_png).startswith(b"\x89PNG")


def test_the_national_run_forecasts_every_current_scenario_in_one_batch(api_client, coordinator):
    scenarios = [ForecastScenarioFactory() for _ in range(3)]
    answer = api_client(coordinator).post("/api/forecasts/national/run")
    assert answer.status_code == 202
    run = api_client(coordinator).get(f"/api/flow-runs/{answer.json()['id']}").json()
    assert run["state"] == "completed"
    assert len(run["result"]["result_ids"]) == 3
    stored = ForecastResult.objects.filter(flow_run=answer.json()["id"])
    assert set(stored.values_list("scenario", flat=True)) == {s.pk for s in scenarios}
