"""The forecasts' pages: who sees them, the scenario form, the run button and its progress,
the result with its chart, the fee solver, and the break-even column of the national overview."""

from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_completed
from governance.forecasts import services
from governance.forecasts.engine import FeeTier, Scenario
from governance.forecasts.models import ForecastScenario
from tests.factories import FeeScheduleFactory, HubFactory, OrganisationFactory, UserFactory
from tests.forecasts.conftest import record_agreement
from tests.forecasts.factories import SMALL_HUB, BudgetFactory, ForecastScenarioFactory
from tests.test_production import PageAudit

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """What a page's form would send as it stands: every named input's value, each select's
    chosen option, the errors shown by input id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.invalid: set[str] = set()
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("aria-invalid") == "true":
            self.invalid.add(attrs.get("name"))
        if tag == "input" and attrs.get("name") and attrs.get("type") not in {"hidden", "checkbox"}:
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


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
    assert response["Location"].startswith("/forecasts/runs/")
    reader = client_for(UserFactory(roles=[("creative_board_rep", scenario.hub)]))
    assert reader.post(f"/forecasts/scenarios/{scenario.pk}/run/").status_code == 403


def test_the_run_page_shows_progress_then_opens_the_forecast(
    client_for, scenario, principal_staff, coordinator
):
    client = client_for(principal_staff)
    page_url = client.post(f"/forecasts/scenarios/{scenario.pk}/run/")["Location"]
    run = FlowRun.objects.get(flow_name="run_break_even_forecast")
    assert page_url == f"/forecasts/runs/{run.pk}/"
    waiting = client.get(page_url)
    assert waiting.status_code == 200
    assert f'hx-get="{page_url}"' in waiting.text  # asks again until the run ends
    still = client.get(page_url, headers={"HX-Request": "true"})
    assert 'id="flow-run"' in still.text
    assert "<html" not in still.text

    (result,) = services.forecasts_compute(scenario_ids=[scenario.pk], flow_run_id=run.pk)
    flowrun_mark_completed(run_id=run.pk, result={"result_ids": [result.pk]})
    polled = client.get(page_url, headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == f"/forecasts/{result.pk}/"
    assert client.get(page_url)["Location"] == f"/forecasts/{result.pk}/"
    # The run is its requester's and the coordinator's to follow, as on the flow-run page.
    assert client_for(coordinator).get(page_url).status_code == 302
    reader = client_for(UserFactory(roles=[("owner_group_rep", scenario.hub)]))
    assert reader.get(page_url).status_code == 403


def test_the_result_page_shows_figures_chart_and_downloads(client_for, result, principal_staff):
    client = client_for(principal_staff)
    page = client.get(f"/forecasts/{result.pk}/")
    assert page.status_code == 200
    assert f'src="/api/forecasts/{result.pk}/chart.png"' in page.text
    assert f"månad {result.break_even_month} (" in page.text
    assert f"/api/forecasts/{result.pk}/export.xlsx" in page.text
    assert f"/api/forecasts/{result.pk}/export.csv" in page.text
    # SMALL_HUB: cash is lowest in month 9 (September 2026), the last month of startup.
    assert result.lowest_cash_month == 9
    assert "(kassan lägst i månad 9, september 2026)" in page.text
    assert "Medlemmar \u221210\xa0%" in page.text  # the sensitivity table, in Swedish
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


# The scenario form.


def test_a_new_scenario_starts_from_the_hubs_budget_and_fees(client_for, hub, principal_staff):
    year = timezone.localdate().year
    budget = BudgetFactory(hub=hub, year=year)
    record_agreement(budget)
    services.budget_transition(actor=principal_staff, budget_id=budget.pk, name="adopt")
    FeeScheduleFactory(
        hub=hub, state="adopted", effective_from=timezone.localdate().replace(month=1, day=1)
    )
    page = client_for(principal_staff).get(f"/forecasts/hubs/{hub.pk}/scenarios/new/")
    assert page.status_code == 200
    values = FormValues(page.text).values
    # The budget's 600,000 of staff and 240,000 of premises a year, made monthly; its 500,000
    # of fees counted in members of the ladder's first tier (10,000 kr a year).
    assert values["cm_monthly_cost"] == "50000"
    assert values["premises_rent_monthly"] == "20000"
    assert [values[f"fee_tiers.{i}.yearly_fee"] for i in range(3)] == ["10000", "25000", "50000"]
    assert [values[f"fee_tiers.{i}.members"] for i in range(3)] == ["50", "0", "0"]
    # The budget's financing of phases 1–2 is compared with the need, not counted in it.
    assert (values["lump_sums.0.month"], values["lump_sums.0.amount"]) == ("", "")
    assert values["cost_indexation"] == "0"  # per cent a year
    assert values["name"] == ""
    # Two blank ladder rows to add tiers to, without script.
    assert values["fee_tiers.4.yearly_fee"] == ""
    assert "fee_tiers.5.yearly_fee" not in values


def test_saving_a_new_scenario_opens_it_with_the_run_button(client_for, hub, principal_staff):
    client = client_for(principal_staff)
    values = FormValues(client.get(f"/forecasts/hubs/{hub.pk}/scenarios/new/").text).values
    values.update(
        {
            "name": "Med bidrag",
            "cm_monthly_cost": "45 000",
            "cm_fte": "1,5",
            "cost_indexation": "2",
            "fee_tiers.0.yearly_fee": "30000",
            "fee_tiers.0.members": "12",
            "fee_tiers.1.yearly_fee": "",
            "fee_tiers.1.members": "",
            "monthly_grants.0.monthly_amount": "10000",
            "monthly_grants.0.from_month": "1",
            "monthly_grants.0.to_month": "24",
        }
    )
    response = client.post(f"/forecasts/hubs/{hub.pk}/scenarios/new/", values)
    scenario = ForecastScenario.objects.get(hub=hub, name="Med bidrag")
    assert response["Location"] == f"/forecasts/scenarios/{scenario.pk}/"
    inputs = scenario.inputs
    assert (inputs["cm_monthly_cost"], inputs["cm_fte"], inputs["cost_indexation"]) == (
        45_000,
        1.5,
        0.02,
    )
    assert inputs["fee_tiers"] == [{"yearly_fee": 30_000, "members": 12.0}]
    assert inputs["monthly_grants"] == [{"monthly_amount": 10_000, "from_month": 1, "to_month": 24}]
    assert AuditEntry.objects.filter(verb="created", object_id=str(scenario.pk)).exists()
    page = client.get(response["Location"])
    assert "Scenariot är sparat" in page.text
    assert f'action="/forecasts/scenarios/{scenario.pk}/run/"' in page.text


def test_a_saved_scenario_shows_its_inputs_as_stored_and_saves_them_unchanged(
    client_for, scenario, principal_staff
):
    client = client_for(principal_staff)
    values = FormValues(client.get(f"/forecasts/scenarios/{scenario.pk}/").text).values
    assert values["name"] == "Grund"
    assert values["start_month"] == "2026-01"
    assert values["premises_investment"] == "100000"
    assert client.post(f"/forecasts/scenarios/{scenario.pk}/", values).status_code == 302
    scenario.refresh_from_db()
    assert Scenario.from_dict(scenario.inputs) == SMALL_HUB


def test_errors_are_shown_at_their_fields_and_keep_what_was_typed(
    client_for, scenario, principal_staff
):
    client = client_for(principal_staff)
    values = FormValues(client.get(f"/forecasts/scenarios/{scenario.pk}/").text).values
    values.update(
        {
            "name": "",
            "cm_fte": "en och en halv",  # the schema: a number
            "horizon_months": "0",  # the schema: at least 1
            "fee_indexation": "150",  # per cent; the schema's yearly fraction is at most 1
            "fee_tiers.0.members": "-3",
            # The engine's rule, checked by the service: a grant cannot end before it starts.
            "monthly_grants.0.monthly_amount": "5000",
            "monthly_grants.0.from_month": "6",
            "monthly_grants.0.to_month": "2",
        }
    )
    page = client.post(f"/forecasts/scenarios/{scenario.pk}/", values)
    assert page.status_code == 200
    shown = FormValues(page.text)
    assert shown.values["cm_fte"] == "en och en halv"
    assert shown.values["fee_tiers.0.members"] == "-3"
    assert shown.invalid == {
        "name",
        "cm_fte",
        "horizon_months",
        "fee_indexation",
        "fee_tiers.0.members",
    }
    assert "Ange ett tal." in page.text
    assert "Värdet får inte vara större än 100." in page.text  # in per cent, as typed
    scenario.refresh_from_db()
    assert Scenario.from_dict(scenario.inputs) == SMALL_HUB  # nothing saved

    values.update(
        {
            "name": "Grund",
            "cm_fte": "1",
            "horizon_months": "36",
            "fee_indexation": "0",
            "fee_tiers.0.members": "20",
        }
    )
    page = client.post(f"/forecasts/scenarios/{scenario.pk}/", values)
    assert FormValues(page.text).invalid == {"monthly_grants.0.to_month"}
    assert "Slutmånaden får inte komma före startmånaden." in page.text


def test_a_scenario_is_copied_to_vary(client_for, scenario, principal_staff):
    response = client_for(principal_staff).post(f"/forecasts/scenarios/{scenario.pk}/copy/")
    copy = ForecastScenario.objects.get(name="Kopia av Grund")
    assert response["Location"] == f"/forecasts/scenarios/{copy.pk}/"
    assert copy.inputs == scenario.inputs
    assert copy.hub_id == scenario.hub_id


@pytest.mark.parametrize(
    ("role", "may_read", "may_edit"),
    [
        ("national_coordinator", True, True),
        ("principal_staff", True, True),
        ("owner_group_rep", True, False),
        ("creative_board_rep", True, False),
        ("principal_staff of another hub", False, False),
        ("community_manager", False, False),
        (None, False, False),
    ],
)
def test_who_reads_and_who_edits_scenarios(client_for, scenario, role, may_read, may_edit):
    hub = scenario.hub
    if role == "national_coordinator":
        user = UserFactory(roles=[role])
    elif role == "principal_staff of another hub":
        user = UserFactory(roles=[("principal_staff", HubFactory())])
    elif role is None:
        user = UserFactory()
    else:
        user = UserFactory(roles=[(role, hub)])
    client = client_for(user)
    page = client.get(f"/forecasts/scenarios/{scenario.pk}/")
    assert page.status_code == (200 if may_read else 403)
    if may_read:
        assert ("Spara scenariot" in page.text) is may_edit
        assert ("Beräkna prognosen" in page.text) is may_edit
    values = {"name": "Ändrad", **FormValues(page.text).values} if may_read else {"name": "x"}
    edit = 302 if may_edit else 403
    assert client.post(f"/forecasts/scenarios/{scenario.pk}/", values).status_code == edit
    new = client.get(f"/forecasts/hubs/{hub.pk}/scenarios/new/")
    assert new.status_code == (200 if may_edit else 403)
    copy = client.post(f"/forecasts/scenarios/{scenario.pk}/copy/")
    assert copy.status_code == edit
    assert ForecastScenario.objects.filter(hub=hub).count() == (2 if may_edit else 1)


def test_the_hub_page_links_the_form_copy_and_solver_for_editors(
    client_for, scenario, principal_staff
):
    hub_page = client_for(principal_staff).get(f"/forecasts/hubs/{scenario.hub_id}/").text
    assert f'href="/forecasts/hubs/{scenario.hub_id}/scenarios/new/"' in hub_page
    assert f'action="/forecasts/scenarios/{scenario.pk}/copy/"' in hub_page
    assert f'href="/forecasts/fee-solver/?hub={scenario.hub_id}"' in hub_page
    reader = client_for(UserFactory(roles=[("owner_group_rep", scenario.hub)]))
    read_page = reader.get(f"/forecasts/hubs/{scenario.hub_id}/").text
    assert f'href="/forecasts/scenarios/{scenario.pk}/"' in read_page
    assert "/scenarios/new/" not in read_page
    assert "/copy/" not in read_page


# The fee solver.

# 10 members at 12,000 a year (10,000 a month of fees) against 20,000 a month of staff: the
# fees must double (24,000 and 48,000 a year), or 20 members pay at 12,000 (1,000 a month each).
SOLVER_CASE = {
    "start_month": "2027-01",
    "preparation_months": "1",
    "startup_months": "1",
    "horizon_months": "24",
    "ramp_months": "1",
    "ramp_shape": "linear",
    "fee_indexation": "0",
    "seats_sold": "0",
    "seat_monthly_price": "0",
    "cm_fte": "1",
    "cm_monthly_cost": "20 000",
    "concept_developer_monthly_cost": "0",
    "other_staff_monthly_cost": "0",
    "premises_rent_monthly": "0",
    "rent_from_month": "1",
    "premises_investment": "0",
    "operating_costs_monthly": "0",
    "activities_monthly": "0",
    "cost_indexation": "0",
    "fee_tiers.0.yearly_fee": "12000",
    "fee_tiers.0.members": "10",
    "fee_tiers.1.yearly_fee": "24000",
    "fee_tiers.1.members": "0",
    "monthly_grants.0.monthly_amount": "5000",
    "monthly_grants.0.from_month": "1",
    "monthly_grants.0.to_month": "24",
}


def test_the_solver_answers_typed_inputs_directly(client_for, principal_staff):
    client = client_for(principal_staff)
    assert client.get("/forecasts/fee-solver/").status_code == 200
    page = client.post("/forecasts/fee-solver/", SOLVER_CASE)
    assert page.status_code == 200
    assert '<dd id="fee-factor">2,00</dd>' in page.text
    assert "24\xa0000 kr" in page.text
    assert "48\xa0000 kr" in page.text
    assert '<dd id="members-needed">20 (nu 10)</dd>' in page.text
    assert FormValues(page.text).values["cm_monthly_cost"] == "20 000"  # kept as typed
    # Counting the grant of 5,000 a month: 15,000 left to cover.
    with_grants = client.post("/forecasts/fee-solver/", {**SOLVER_CASE, "count_grants": "1"})
    assert '<dd id="fee-factor">1,50</dd>' in with_grants.text
    assert '<dd id="members-needed">15 (nu 10)</dd>' in with_grants.text


def test_the_solvers_errors_are_per_field(client_for, principal_staff):
    page = client_for(principal_staff).post(
        "/forecasts/fee-solver/",
        {**SOLVER_CASE, "fee_tiers.0.members": "-1", "ramp_months": "tolv"},
    )
    assert page.status_code == 200
    assert 'id="fee-factor"' not in page.text
    shown = FormValues(page.text)
    assert shown.invalid == {"fee_tiers.0.members", "ramp_months"}
    assert shown.values["ramp_months"] == "tolv"


def test_the_solver_starts_from_a_scenario_its_reader_may_read(
    client_for, scenario, principal_staff
):
    client = client_for(principal_staff)
    page = client.get("/forecasts/fee-solver/", {"scenario": scenario.pk})
    assert FormValues(page.text).values["fee_tiers.0.yearly_fee"] == "30000"
    assert "Från scenariot Grund" in page.text
    elsewhere = client_for(UserFactory(roles=[("principal_staff", HubFactory())]))
    assert elsewhere.get("/forecasts/fee-solver/").status_code == 200
    assert elsewhere.get("/forecasts/fee-solver/", {"scenario": scenario.pk}).status_code == 403
    reader = client_for(UserFactory(roles=[("owner_group_rep", scenario.hub)]))
    assert reader.get("/forecasts/fee-solver/").status_code == 403
    assert reader.post("/forecasts/fee-solver/", SOLVER_CASE).status_code == 403


# The national overview's break-even column.


def test_the_overview_shows_each_hubs_break_even_month_to_the_coordinator(
    client_for, coordinator, principal_staff, hub
):
    forecast_hub = HubFactory(name="Prognoshubben")
    scenario = ForecastScenarioFactory(hub=forecast_hub)
    never_hub = HubFactory(name="Aldrighubben")
    never = ForecastScenarioFactory(
        hub=never_hub,
        inputs=Scenario(fee_tiers=(FeeTier(0, 0),), cm_monthly_cost=10_000).to_dict(),
    )
    forecasted, never_result = services.forecasts_compute(scenario_ids=[scenario.pk, never.pk])
    assert never_result.break_even_month is None
    with translation.override("sv"):
        month = date_format(forecasted.break_even_on, "F Y")

    page = client_for(coordinator).get("/overview/")
    assert page.status_code == 200
    row = {name: _row_of(page.text, name) for name in ("Prognoshubben", "Aldrighubben", hub.name)}
    assert f'<a href="/forecasts/{forecasted.pk}/">{month}</a>' in row["Prognoshubben"]
    assert f'<a href="/forecasts/{never_result.pk}/">aldrig</a>' in row["Aldrighubben"]
    assert 'data-label="Break even">\u2014</td>' in row[hub.name]  # no forecast yet
    exported = client_for(coordinator).get("/overview.csv").content.decode("utf-8-sig")
    assert exported.splitlines()[0].endswith(",break_even")
    assert "Prognoshubben," in exported
    assert exported.split("Prognoshubben,")[1].splitlines()[0].endswith(f",{month}")
    assert exported.split("Aldrighubben,")[1].splitlines()[0].endswith(",aldrig")
    staff_page = client_for(principal_staff).get("/overview/")
    assert staff_page.status_code == 200
    assert 'data-label="Break even"' not in staff_page.text


def _row_of(html: str, hub_name: str) -> str:
    start = html.index(f">{hub_name}</a>")
    return html[start : html.index("</tr>", start)]


def test_the_coordinator_runs_every_hubs_forecast_and_lists_the_results(
    client_for, coordinator, principal_staff
):
    first = ForecastScenarioFactory(hub=HubFactory(name="Ahubben"), name="A")
    second = ForecastScenarioFactory(hub=HubFactory(name="Bhubben"), name="B")
    client = client_for(coordinator)
    page_url = client.post("/forecasts/national/run/")["Location"]
    run = FlowRun.objects.get(flow_name="run_break_even_forecast")
    assert page_url == f"/forecasts/runs/{run.pk}/"
    results = services.forecasts_compute(scenario_ids=[first.pk, second.pk], flow_run_id=run.pk)
    flowrun_mark_completed(run_id=run.pk, result={"result_ids": [r.pk for r in results]})
    # Several forecasts: the polling page is drawn whole, listing each.
    assert client.get(page_url, headers={"HX-Request": "true"})["HX-Redirect"] == page_url
    page = client.get(page_url)
    assert page.status_code == 200
    for result in results:
        assert f'href="/forecasts/{result.pk}/"' in page.text
    assert client_for(principal_staff).post("/forecasts/national/run/").status_code == 403


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
