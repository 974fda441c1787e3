"""The forecasts' pages: who sees them, the run button, the result with its chart."""

import pytest

from governance.forecasts import services
from tests.factories import OrganisationFactory, UserFactory
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


def test_the_live_page_shows_figures_chart_and_the_pipeline(client_for, coordinator):
    from datetime import date

    from tests.factories import AgreementFactory, FeeScheduleFactory, HubFactory
    from tests.memberships.conftest import adopt

    hub = HubFactory(principal=OrganisationFactory())
    adopt(FeeScheduleFactory(hub=hub, tiers=[(1, None, 3_650_000)]), coordinator)
    ForecastScenarioFactory(hub=hub)
    AgreementFactory(hub=hub, number="LIV-1", state="sent")
    AgreementFactory(
        hub=hub,
        number="LIV-2",
        state="terminated",
        start_on=date(2026, 1, 1),
        terminated_on=date(2026, 3, 31),
    )
    reader = client_for(UserFactory(roles=[("creative_board_rep", hub)]))
    assert "Ingen liveprognos beräknad än." in reader.get(f"/forecasts/hubs/{hub.pk}/live/").text
    (result,) = services.live_forecasts_compute(today=date(2026, 6, 15), hub_ids=[hub.pk])
    page = reader.get(f"/forecasts/hubs/{hub.pk}/live/")
    assert page.status_code == 200
    assert f'src="/api/forecasts/{result.pk}/chart.png"' in page.text
    assert "LIV-1" in page.text
    assert "Skickat för underskrift" in page.text
    assert "60 %" in page.text
    assert "2026: 36\xa0500 kr" in page.text  # Swedish money: a no-break space groups thousands
    assert "uppsagt per 31 mars 2026" in page.text
    assert "Beräkna liveprognosen nu" not in page.text  # readers do not run it
    english = client_for(coordinator)
    english.cookies["django_language"] = "en"
    assert "Sent for signature" in english.get(f"/forecasts/hubs/{hub.pk}/live/").text
    assert client_for(UserFactory()).get(f"/forecasts/hubs/{hub.pk}/live/").status_code == 403


def test_principal_staff_run_the_live_forecast_from_its_page(client_for, scenario, principal_staff):
    client = client_for(principal_staff)
    assert "Beräkna liveprognosen nu" in client.get(f"/forecasts/hubs/{scenario.hub_id}/live/").text
    response = client.post(f"/forecasts/hubs/{scenario.hub_id}/live/run/")
    assert response.status_code == 302
    assert response["Location"].startswith("/flow-runs/")


def test_the_national_page_sums_the_live_forecasts(client_for, coordinator):
    from datetime import date

    scenario = ForecastScenarioFactory(hub__name="Livehubben")
    services.live_forecasts_compute(today=date(2026, 6, 15))
    page = client_for(coordinator).get("/forecasts/national/")
    assert "Nationell liveprognos" in page.text
    assert f'href="/forecasts/hubs/{scenario.hub_id}/live/"' in page.text
    assert '<th scope="row">2028</th>' in page.text  # the small hub's 36 months, by year
