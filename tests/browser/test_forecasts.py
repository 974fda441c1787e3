"""A principal runs the hub's forecast and sees its chart and the fee level; the coordinator
reads the national table and compares two scenarios; in a real browser with axe-core."""

import re

from playwright.sync_api import expect

from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_completed
from governance.forecasts.services import forecasts_compute
from governance.hubs.models import Hub


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
    expect(page).to_have_url(re.compile(r"/flow-runs/\d+/"))
    run = FlowRun.objects.get(flow_name="run_break_even_forecast")
    results = forecasts_compute(scenario_ids=[run.parameters["scenario_id"]], flow_run_id=run.pk)
    flowrun_mark_completed(run_id=run.pk, result={"result_ids": [r.pk for r in results]})
    expect(page.locator("#flow-run")).to_contain_text("Slutförd", timeout=10_000)

    principal.goto(f"/forecasts/{results[0].pk}/")
    chart = page.locator("#forecast-chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth") == 900
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
    expect(page.locator("tbody tr")).to_have_count(5)
    coordinator.check("forecasts-national")
    page.get_by_role("link", name="Samverket Stockholm").click()
    page.get_by_label("Jämför Pilotåren med stöd").check()
    page.get_by_label("Jämför Pilotåren utan stöd").check()
    page.get_by_role("button", name="Jämför valda").click()
    expect(page.locator("article")).to_have_count(2)
    coordinator.check("forecasts-compare")
