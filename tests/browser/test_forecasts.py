"""A principal runs the hub's forecast and sees its chart and the fee level; the coordinator
reads the national tables (planned and live), a hub's live forecast with its pipeline, and
compares two scenarios; in a real browser with axe-core."""

import re

from playwright.sync_api import expect

from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_completed
from governance.forecasts.services import forecasts_compute
from governance.hubs.models import Hub


def assert_image_loaded(image, width: int) -> None:
    # Visible is not loaded: the chart's bytes may still be on their way.
    image.evaluate("image => image.decode()")
    assert image.evaluate("image => image.complete && image.naturalWidth") == width


def test_principal_runs_a_scenario_and_sees_its_chart(visit, monkeypatch):
    # The flow's run through Prefect is tested in tests/flows/test_break_even_forecast.py; here
    # the test does the flow's work once the page has started the run.
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    hub = Hub.objects.get(name="Samverket Östersund")
    principal = visit("principal")
    page = principal.page
    principal.goto(f"/forecasts/hubs/{hub.pk}/")
    expect(page.locator("h1")).to_contain_text("Prognoser för Samverket Östersund")
    principal.check("forecasts-hub")

    page.get_by_role("button", name="Beräkna Grundscenario").click()
    expect(page).to_have_url(re.compile(r"/forecasts/runs/\d+/"))
    run = FlowRun.objects.get(flow_name="run_break_even_forecast")
    results = forecasts_compute(scenario_ids=[run.parameters["scenario_id"]], flow_run_id=run.pk)
    flowrun_mark_completed(run_id=run.pk, result={"result_ids": [r.pk for r in results]})
    # The run's page asks again until the run has ended, then opens the forecast.
    expect(page).to_have_url(re.compile(rf"/forecasts/{results[0].pk}/$"), timeout=10_000)
    chart = page.locator("#forecast-chart")
    expect(chart).to_be_visible()
    assert_image_loaded(chart, width=900)
    expect(page.locator("dl.key-figures")).to_contain_text("Break even")
    principal.check("forecast-result")

    page.get_by_role("link", name="Hubbens prognoser").click()
    page.get_by_role("link", name="Avgiftsnivå för break even").click()
    expect(page.locator("#fee-factor")).not_to_be_empty()
    principal.check("forecast-fee-level")

    coordinator = visit("coordinator")
    page = coordinator.page
    page.get_by_role("link", name="Nationell prognos").first.click()
    # Östersund, Stockholm, Sundsvall, Luleå and Linköping: every demo hub with a scenario.
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(5)
    expect(page.locator("#live-hubs tbody tr")).to_have_count(5)
    coordinator.check("forecasts-national")
    page.locator("#live-hubs").get_by_role("link", name="Samverket Östersund").click()
    expect(page.locator("h1")).to_contain_text("Liveprognos för Samverket Östersund")
    expect(page.locator("#live-chart")).to_be_visible()
    expect(page.get_by_role("cell", name="Skickat för underskrift")).to_be_visible()
    coordinator.check("forecasts-live")
    page.go_back()
    page.get_by_role("link", name="Samverket Stockholm").first.click()
    page.get_by_label("Jämför Pilotåren med stöd").check()
    page.get_by_label("Jämför Pilotåren utan stöd").check()
    page.get_by_role("button", name="Jämför valda").click()
    expect(page.locator("article")).to_have_count(2)
    coordinator.check("forecasts-compare")


def test_principal_fills_a_new_scenario_runs_it_and_sees_break_even(visit, monkeypatch):
    # As above, the test does the flow's work once the page has started the run; the page
    # follows the run and opens the forecast by itself.
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    hub = Hub.objects.get(name="Samverket Östersund")
    principal = visit("principal")
    page = principal.page
    principal.goto(f"/forecasts/hubs/{hub.pk}/")
    page.get_by_role("button", name="Nytt scenario").click()
    expect(page.locator("h1")).to_contain_text("Nytt scenario för Samverket Östersund")
    principal.check("forecast-scenario-new")

    page.get_by_label("Scenariots namn").fill("Mindre lokal")
    page.locator("#input-premises_rent_monthly").fill("")
    page.get_by_role("button", name="Spara scenariot").click()
    expect(page.locator("#error-summary")).to_contain_text("Hyra: Fyll i ett värde.")
    expect(page.locator("#input-name")).to_have_value("Mindre lokal")  # what was typed, kept
    principal.check("forecast-scenario-errors")

    for field, value in {
        "#input-premises_rent_monthly": "10 000",
        "#input-cm_monthly_cost": "30 000",
        "#input-other_staff_monthly_cost": "0",
        "#input-operating_costs_monthly": "0",
        "#input-activities_monthly": "0",
        "#input-fee_tiers-0-yearly_fee": "50 000",
        "#input-fee_tiers-0-members": "30",
    }.items():
        page.locator(field).fill(value)
    page.get_by_role("button", name="Spara scenariot").click()
    expect(page.locator(".message--success")).to_contain_text("Scenariot är sparat")
    scenario = hub.forecast_scenarios.get(name="Mindre lokal")
    assert scenario.inputs["premises_rent_monthly"] == 10_000

    page.get_by_role("button", name="Beräkna prognosen").click()
    expect(page).to_have_url(re.compile(r"/forecasts/runs/\d+/"))
    expect(page.locator("#flow-run")).to_be_visible()
    principal.check("forecast-run-progress")
    run = FlowRun.objects.get(flow_name="run_break_even_forecast")
    (result,) = forecasts_compute(scenario_ids=[scenario.pk], flow_run_id=run.pk)
    flowrun_mark_completed(run_id=run.pk, result={"result_ids": [result.pk]})

    expect(page).to_have_url(re.compile(rf"/forecasts/{result.pk}/$"), timeout=10_000)
    chart = page.locator("#forecast-chart")
    expect(chart).to_be_visible()
    assert_image_loaded(chart, width=900)
    assert result.break_even_month is not None
    expect(page.locator("dl.key-figures")).to_contain_text(f"månad {result.break_even_month} (")
