"""Scenarios and forecasts through the API: defaults from the budget, copy, compare, the
stored result with its inputs and engine version, the chart, the exports, the solver, 422s."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image

from governance.forecasts import services
from governance.forecasts.charts import swedish_thousands
from governance.forecasts.engine import ENGINE_VERSION, Scenario, forecast
from governance.forecasts.exports import COLUMNS
from tests.forecasts.conftest import record_agreement
from tests.forecasts.factories import SMALL_HUB, BudgetFactory, ForecastScenarioFactory

pytestmark = pytest.mark.django_db


def inputs(**changes):
    values = SMALL_HUB.to_dict()
    values.update(changes)
    return values


def test_a_scenario_without_inputs_starts_from_the_budget(api_client, hub, principal_staff):
    hub.preparation_planned_on = date(2026, 2, 1)
    hub.startup_planned_on = date(2026, 6, 1)
    hub.operations_planned_on = date(2027, 6, 1)
    hub.save()
    budget = BudgetFactory(hub=hub)
    record_agreement(budget)
    services.budget_transition(actor=principal_staff, budget_id=budget.pk, name="adopt")
    answer = api_client(principal_staff).post(
        f"/api/hubs/{hub.pk}/forecast-scenarios", {"name": "Från budgeten"}
    )
    assert answer.status_code == 201
    values = answer.json()["inputs"]
    assert values["start_month"] == "2026-02-01"
    assert (values["preparation_months"], values["startup_months"]) == (4, 12)
    assert values["cm_monthly_cost"] == 50_000  # 600,000 a year
    assert values["premises_rent_monthly"] == 20_000
    assert values["fee_tiers"] == [{"yearly_fee": 500_000, "members": 1}]
    # The budget's investment capital and start-up support finance phases 1–2: the guard
    # compares them with the forecast's liquidity need, so the forecast does not count them.
    assert values["lump_sums"] == []


def test_scenarios_are_saved_copied_and_listed(api_client, hub, principal_staff):
    client = api_client(principal_staff)
    created = client.post(
        f"/api/hubs/{hub.pk}/forecast-scenarios", {"name": "Grund", "inputs": inputs()}
    )
    assert created.status_code == 201
    scenario_id = created.json()["id"]
    assert Scenario.from_dict(created.json()["inputs"]) == SMALL_HUB
    copied = client.post(f"/api/forecast-scenarios/{scenario_id}/copy", {"name": "Högre hyra"})
    assert copied.status_code == 201
    changed = client.patch(
        f"/api/forecast-scenarios/{copied.json()['id']}",
        {"inputs": inputs(premises_rent_monthly=20_000)},
    )
    assert changed.json()["inputs"]["premises_rent_monthly"] == 20_000
    listed = client.get(f"/api/hubs/{hub.pk}/forecast-scenarios").json()
    assert [row["name"] for row in listed] == ["Högre hyra", "Grund"]
    assert client.delete(f"/api/forecast-scenarios/{scenario_id}").status_code == 204


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cm_monthly_cost": -1}, "inputs.cm_monthly_cost"),
        ({"premises_investment": -5}, "inputs.premises_investment"),
        ({"preparation_months": 121}, "inputs.preparation_months"),
        ({"startup_months": -1}, "inputs.startup_months"),
        ({"fee_tiers": []}, "inputs.fee_tiers"),
        ({"horizon_months": 241}, "inputs.horizon_months"),
        (
            {"monthly_grants": [{"monthly_amount": 1, "from_month": 5, "to_month": 4}]},
            "inputs.monthly_grants.0.to_month",
        ),
    ],
)
def test_invalid_inputs_are_refused_per_field(api_client, hub, principal_staff, change, field):
    answer = api_client(principal_staff).post(
        f"/api/hubs/{hub.pk}/forecast-scenarios", {"name": "Fel", "inputs": inputs(**change)}
    )
    assert answer.status_code == 422
    assert field in [error["field"] for error in answer.json()["errors"]]


def test_a_result_keeps_its_inputs_and_engine_version(api_client, scenario, result, coordinator):
    expected = forecast(SMALL_HUB)
    assert result.engine_version == ENGINE_VERSION
    assert result.break_even_month == expected.break_even_month
    assert result.payback_month == expected.payback_month
    assert result.peak_liquidity_need_sek == round(expected.peak_liquidity_need)
    services.scenario_update(
        actor=coordinator, scenario_id=scenario.pk, inputs=inputs(cm_monthly_cost=90_000)
    )
    answer = api_client(coordinator).get(f"/api/forecasts/{result.pk}").json()
    assert answer["inputs"] == SMALL_HUB.to_dict()
    assert len(answer["months"]) == 36
    assert answer["months"][0]["net"] == -20_000
    assert answer["sensitivity"][0]["driver"] == "base"


def test_the_chart_is_a_png_of_sensible_size(api_client, result, coordinator):
    for language in ("sv", "en"):
        answer = api_client(coordinator).client.get(
            f"/api/forecasts/{result.pk}/chart.png", headers={"Accept-Language": language}
        )
        assert answer.status_code == 200
        assert answer["Content-Type"] == "image/png"
        assert answer.content.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(answer.content))
        image.verify()
        assert image.size == (900, 450)
        assert 10_000 < len(answer.content) < 500_000


def test_swedish_thousands_separators():
    assert swedish_thousands(1_234_567) == "1\u202f234\u202f567"
    assert swedish_thousands(-25_000) == "\u221225\u202f000"


def test_csv_and_xlsx_read_back_equal_the_rows(api_client, result, coordinator):
    client = api_client(coordinator)
    text = client.get(f"/api/forecasts/{result.pk}/export.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(COLUMNS.values())
    assert [int(value) for value in rows[5][3:]] == [
        result.months[4][key] for key in list(COLUMNS)[3:]
    ]
    assert rows[1][2] == "Förberedelser"
    workbook = load_workbook(
        io.BytesIO(client.get(f"/api/forecasts/{result.pk}/export.xlsx").content)
    )
    sheet = list(workbook.active.values)
    assert list(sheet[0]) == list(COLUMNS.values())
    assert len(sheet) == len(result.months) + 1
    for row, month in zip(sheet[1:], result.months, strict=True):
        assert list(row[3:]) == [month[key] for key in list(COLUMNS)[3:]]
        assert row[0] == month["month"]


def test_compare_answers_each_result_asked(api_client, hub, coordinator):
    first = ForecastScenarioFactory(hub=hub)
    second = ForecastScenarioFactory(hub=hub, inputs=inputs(premises_rent_monthly=60_000))
    results = services.forecasts_compute(scenario_ids=[first.pk, second.pk])
    answer = api_client(coordinator).get("/api/forecasts/compare", {"ids": [r.pk for r in results]})
    assert answer.status_code == 200
    needs = [row["peak_liquidity_need_sek"] for row in answer.json()]
    assert needs[0] < needs[1]


def test_the_national_view_lists_every_hubs_current_scenario(api_client, coordinator):
    older = ForecastScenarioFactory(name="Gammal")
    current = ForecastScenarioFactory(hub=older.hub, name="Aktuell")
    other = ForecastScenarioFactory()
    services.forecasts_compute(scenario_ids=[older.pk, current.pk, other.pk])
    answer = api_client(coordinator).get("/api/forecasts/national").json()
    assert sorted(row["scenario_id"] for row in answer) == sorted([current.pk, other.pk])


def test_the_solver_answers_directly(api_client, coordinator):
    body = {
        "inputs": {
            "fee_tiers": [
                {"yearly_fee": 10_000, "members": 6},
                {"yearly_fee": 20_000, "members": 3},
            ],
            "preparation_months": 2,
            "startup_months": 3,
            "ramp_months": 6,
            "cm_monthly_cost": 15_000,
            "premises_rent_monthly": 5_000,
            "seats_sold": 2,
            "seat_monthly_price": 1_000,
        }
    }
    answer = api_client(coordinator).post("/api/forecasts/solve-fee", body)
    assert answer.status_code == 200
    assert answer.json()["fee_factor"] == pytest.approx(1.8)
    assert answer.json()["ladder"] == pytest.approx([18_000, 36_000])
    assert answer.json()["members_needed"] == 17
    bad = {"inputs": {**body["inputs"], "fee_tiers": []}}
    assert api_client(coordinator).post("/api/forecasts/solve-fee", bad).status_code == 422
