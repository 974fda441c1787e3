"""The forecasts' pages: who sees them, the run button, the result with its chart."""

import pytest

from governance.forecasts import services
from tests.factories import UserFactory
from tests.forecasts.factories import ForecastScenarioFactory
from tests.test_production import PageAudit

pytestmark = pytest.mark.django_db


def test_the_hub_page_lists_scenarios_with_their_latest_forecast(client_for, hub, result):
    reader = UserFactory(roles=[("owner_group_rep", hub)])
    page = client_for(reader).get(f"/forecasts/hubs/{hub.pk}/")
    assert page.status_code == 200
    assert f'href="/forecasts/{result.pk}/"' in page.text
    assert "Beräkna" not in page.text  # readers do not run forecasts
    assert client_for(UserFactory()).get(f"/forecasts/hubs/{hub.pk}/").status_code == 403


def test_principal_staff_run_a_scenario_from_the_page(client_for, scenario, principal_staff):
    client = client_for(principal_staff)
    assert "Beräkna Grund" in client.get(f"/forecasts/hubs/{scenario.hub_id}/").text
    response = client.post(f"/forecasts/scenarios/{scenario.pk}/run/")
    assert response.status_code == 302
    assert response["Location"].startswith("/flow-runs/")
    reader = client_for(UserFactory(roles=[("creative_board_rep", scenario.hub)]))
    assert reader.post(f"/forecasts/scenarios/{scenario.pk}/run/").status_code == 403


def test_the_result_page_shows_figures_chart_and_downloads(client_for, result, principal_staff):
    client = client_for(principal_staff)
    page = client.get(f"/forecasts/{result.pk}/")
    assert page.status_code == 200
    assert f'src="/api/forecasts/{result.pk}/chart.png"' in page.text
    assert f"månad {result.break_even_month} (" in page.text
    assert f"/api/forecasts/{result.pk}/export.xlsx" in page.text
    chart = client.get(f"/api/forecasts/{result.pk}/chart.png")
    assert chart.status_code == 200
    assert chart.content.startswith(b"\x89PNG")
    audit = PageAudit(page.headers["Content-Security-Policy"])
    audit.feed(page.text)
    assert audit.refused_inline == []


def test_the_national_table_is_the_coordinators(client_for, coordinator, principal_staff):
    scenario = ForecastScenarioFactory(name="Östersunds grund")
    services.forecasts_compute(scenario_ids=[scenario.pk])
    page = client_for(coordinator).get("/forecasts/national/")
    assert page.status_code == 200
    assert "Östersunds grund" in page.text
    assert 'href="/forecasts/national/"' in page.text  # in the navigation
    assert client_for(principal_staff).get("/forecasts/national/").status_code == 403
    assert 'href="/forecasts/national/"' not in client_for(principal_staff).get("/").text


def test_two_forecasts_are_compared_side_by_side(client_for, hub, principal_staff):
    first = ForecastScenarioFactory(hub=hub, name="Låg hyra")
    second = ForecastScenarioFactory(hub=hub, name="Hög hyra")
    results = services.forecasts_compute(scenario_ids=[first.pk, second.pk])
    client = client_for(principal_staff)
    hub_page = client.get(f"/forecasts/hubs/{hub.pk}/").text
    assert f'name="ids" value="{results[0].pk}"' in hub_page
    page = client.get("/forecasts/compare/", {"ids": [r.pk for r in results]})
    assert page.status_code == 200
    assert page.text.index("Låg hyra") < page.text.index("Hög hyra")
    assert page.text.count("/chart.png") == 2
    other = client_for(UserFactory()).get("/forecasts/compare/", {"ids": [results[0].pk]})
    assert other.status_code == 403


def test_the_fee_level_page_shows_the_solvers_ladder(client_for, scenario, principal_staff):
    page = client_for(principal_staff).get(f"/forecasts/scenarios/{scenario.pk}/fee-level/")
    assert page.status_code == 200
    # SMALL_HUB: 40,000 a month of costs against 50,000 of fees: factor 0.80, 24,000 a year.
    assert '<dd id="fee-factor">0,80</dd>' in page.text
    assert "24\xa0000 kr" in page.text
    assert "16 (nu 20)" in page.text
