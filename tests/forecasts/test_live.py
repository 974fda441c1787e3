"""The live forecast: a hub's fee revenue from its agreements (weighted by state), terminations
stopping it, the ramp's remaining members, national allocation, and the national sum.

The hand-computed hub: a fee schedule of one tier, 36 500 kr a year (100 kr a day in 2026 and
2027), a scenario from January 2026 over 24 months without preparation, startup 12 months and a
linear ramp over 12 months to 6 members at 12 000 kr a year (1 000 kr a member and month), run
on 15 June 2026 (month 6). Its agreements:
- A active 2026-01-01 – 2026-12-31 (probability 1);
- B signed 2026-07-01 – 2027-06-30 (0.95);
- C sent 2027-01-01 – 2027-12-31 (0.6);
- D terminated per 2026-03-31, agreed 2026-01-01 – 2027-12-31 (1, revenue stops after March);
- E a draft (left out).
"""

from datetime import date

import pytest
from django.db.models import QuerySet

from governance.forecasts import engine, services
from governance.forecasts.engine import FeeTier, Scenario
from governance.forecasts.models import ForecastResult
from governance.forecasts.pipeline import national_live_sum
from governance.forecasts.selectors import latest_results_by_hub, scenarios_with_latest_result
from tests.factories import (
    AgreementFactory,
    AgreementLocalityFactory,
    FeeScheduleFactory,
    HubFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forecasts.factories import ForecastScenarioFactory
from tests.memberships.conftest import adopt

pytestmark = pytest.mark.django_db

RUN_ON = date(2026, 6, 15)
HAND_SCENARIO = Scenario(
    fee_tiers=(FeeTier(yearly_fee=12_000, members=6),),
    start_month=date(2026, 1, 1),
    preparation_months=0,
    startup_months=12,
    horizon_months=24,
    ramp_months=12,
    cm_monthly_cost=5_000,
)


def _agreement(hub, state, start, end, **fields):
    return AgreementFactory(hub=hub, state=state, start_on=start, end_on=end, **fields)


@pytest.fixture
def hand_hub(coordinator):
    hub = HubFactory(name="Handräknade hubben", principal=OrganisationFactory())
    adopt(FeeScheduleFactory(hub=hub, tiers=[(1, None, 3_650_000)]), coordinator)
    ForecastScenarioFactory(hub=hub, name="Grund", inputs=HAND_SCENARIO.to_dict())
    _agreement(hub, "active", date(2026, 1, 1), date(2026, 12, 31), number="A")
    _agreement(hub, "signed", date(2026, 7, 1), date(2027, 6, 30), number="B")
    _agreement(hub, "sent", date(2027, 1, 1), date(2027, 12, 31), number="C")
    _agreement(
        hub,
        "terminated",
        date(2026, 1, 1),
        date(2027, 12, 31),
        number="D",
        terminated_on=date(2026, 3, 31),
    )
    _agreement(hub, "draft", date(2026, 1, 1), date(2026, 12, 31), number="E")
    return hub


def _live(hub) -> ForecastResult:
    (result,) = services.live_forecasts_compute(today=RUN_ON, hub_ids=[hub.pk])
    return result


def _fees(result: ForecastResult) -> dict[int, int]:
    return {row["month"]: row["revenue_fees"] for row in result.months}


def test_the_hand_computed_pipeline(hand_hub):
    fees = _fees(_live(hand_hub))
    # March, before the run's month: only agreements; A and D 31 days × 100 kr.
    assert fees[3] == 3_100 + 3_100
    # April: D's revenue has stopped; the ramp does not count yet (month 4 < 6).
    assert fees[4] == 3_000
    # June (month 6): A 30 × 100; the ramp's 6 × 6/12 = 3 members against A, D = 2 taken:
    # 1 member × 1 000 kr.
    assert fees[6] == 3_000 + 1_000
    # September: A 3 000 + B 0.95 × 3 000 = 5 850; ramp 4.5 − (2 + 0.95) = 1.55 × 1 000.
    assert fees[9] == 5_850 + 1_550
    # February 2027: B 0.95 × 2 800 + C 0.6 × 2 800 = 4 340; ramp 6 − 3.55 = 2.45 × 1 000.
    assert fees[14] == 4_340 + 2_450
    # August 2027: B has ended; C 0.6 × 3 100 = 1 860; still 2.45 members from the ramp.
    assert fees[20] == 1_860 + 2_450


def test_the_result_keeps_the_pipeline_probabilities_and_day(hand_hub):
    result = _live(hand_hub)
    assert result.is_live
    assert result.engine_version == engine.ENGINE_VERSION
    assert result.live_inputs["on"] == "2026-06-15"
    assert result.live_inputs["ramp_from_month"] == 6
    assert result.live_inputs["probabilities"] == {
        "active": 1.0,
        "expired": 1.0,
        "terminated": 1.0,
        "signed": 0.95,
        "sent": 0.6,
        "generated": 0.3,
    }
    rows = {row["number"]: row for row in result.live_inputs["agreements"]}
    assert set(rows) == {"A", "B", "C", "D"}
    assert rows["B"]["probability"] == 0.95
    assert rows["A"]["amounts_ore"] == {"2026": 3_650_000}
    assert rows["D"]["terminated_on"] == "2026-03-31"
    assert rows["D"]["expected_sek"] == 9_000  # January–March: 90 days × 100 kr
    assert result.live_inputs["monthly_members"][13] == pytest.approx(3.55)


def test_the_probabilities_are_a_setting(hand_hub, settings):
    settings.LIVE_FORECAST_PROBABILITIES = {"signed": 0.5, "sent": 0.0, "generated": 0.0}
    fees = _fees(_live(hand_hub))
    # September: A 3 000 + B 0.5 × 3 000; ramp 4.5 − 2.5 = 2 members.
    assert fees[9] == 3_000 + 1_500 + 2_000


def test_a_live_result_is_kept_apart_from_the_planned_ones(hand_hub):
    result = _live(hand_hub)
    planned = services.forecasts_compute(scenario_ids=[result.scenario_id])[0]
    assert list(latest_results_by_hub()) == [planned]
    ((_scenario, latest),) = scenarios_with_latest_result(hand_hub.pk)
    assert latest == planned


def test_an_empty_pipeline_run_at_the_start_is_the_planned_forecast():
    hub = HubFactory()
    scenario = ForecastScenarioFactory(hub=hub)
    planned = services.forecasts_compute(scenario_ids=[scenario.pk])[0]
    start = date.fromisoformat(scenario.inputs["start_month"])
    (live,) = services.live_forecasts_compute(today=start, hub_ids=[hub.pk])
    assert [row["revenue_fees"] for row in live.months] == [
        row["revenue_fees"] for row in planned.months
    ]
    assert (live.break_even_month, live.payback_month) == (
        planned.break_even_month,
        planned.payback_month,
    )


def test_a_national_agreement_brings_this_hubs_allocation(coordinator):
    national_schedule = FeeScheduleFactory(hub=None, tiers=[(1, None, 7_300_000)])
    adopt(national_schedule, coordinator)
    here, there = HubFactory(), HubFactory()
    ForecastScenarioFactory(hub=here, inputs=HAND_SCENARIO.to_dict())
    locality = AgreementLocalityFactory(
        hub=here,
        employees=30,
        agreement__state="active",
        agreement__start_on=date(2026, 1, 1),
        agreement__end_on=date(2026, 12, 31),
    )
    AgreementLocalityFactory(agreement=locality.agreement, hub=there, employees=10)
    result = _live(here)
    # 73 000 kr a year is 200 kr a day; this hub's 30 of 40 employees: 150 kr a day.
    assert _fees(result)[1] == 31 * 150
    (row,) = result.live_inputs["agreements"]
    assert row["national"] is True
    assert row["amounts_ore"] == {"2026": 5_475_000}


def test_another_hubs_agreement_is_not_in_the_pipeline(hand_hub):
    other = HubFactory(principal=OrganisationFactory())
    _agreement(other, "active", date(2026, 1, 1), date(2026, 12, 31), number="X")
    numbers = {row["number"] for row in _live(hand_hub).live_inputs["agreements"]}
    assert "X" not in numbers


def test_a_renewal_takes_no_new_member_from_the_ramp(hand_hub):
    original = hand_hub.agreements.get(number="A")
    _agreement(
        hand_hub,
        "sent",
        date(2027, 1, 1),
        date(2027, 12, 31),
        number="A2",
        renewed_from=original,
        member=original.member,
    )
    result = _live(hand_hub)
    # February 2027: members taken stay A, D, B, C = 3.55; A2 adds 0.6 × 2 800 of fees only.
    assert result.live_inputs["monthly_members"][13] == pytest.approx(3.55)
    assert _fees(result)[14] == 4_340 + 1_680 + 2_450


def _national_rows() -> QuerySet[ForecastResult]:
    return ForecastResult.objects.filter(is_live=True)


def test_the_national_sum_is_the_sum_of_the_hubs(hand_hub):
    other = HubFactory(name="Andra hubben")
    ForecastScenarioFactory(hub=other)
    results = services.live_forecasts_compute(today=RUN_ON)
    assert {r.hub_id for r in results} == {hand_hub.pk, other.pk}
    national = national_live_sum()
    by_month: dict[str, dict[str, int]] = {}
    for result in _national_rows():
        for row in result.months:
            month = by_month.setdefault(row["calendar_month"], dict.fromkeys(("r", "c", "n"), 0))
            month["r"] += row["revenue_total"]
            month["c"] += row["cost_total"]
            month["n"] += row["net"]
    assert [row["calendar_month"].isoformat() for row in national["months"]] == sorted(by_month)
    cumulative = 0
    for row in national["months"]:
        expected = by_month[row["calendar_month"].isoformat()]
        cumulative += expected["n"]
        assert (row["revenue_total"], row["cost_total"], row["net"]) == (
            expected["r"],
            expected["c"],
            expected["n"],
        )
        assert row["cumulative_cash"] == cumulative
    assert [hub["hub_id"] for hub in national["hubs"]] == [other.pk, hand_hub.pk]
    hand = next(hub for hub in national["hubs"] if hub["hub_id"] == hand_hub.pk)
    assert hand["break_even_month"] == _national_rows().get(hub=hand_hub).break_even_month


def test_the_api_answers_the_hubs_live_forecast_with_its_pipeline(api_client, hand_hub):
    reader = UserFactory(roles=[("owner_group_rep", hand_hub)])
    assert api_client(reader).get("/api/forecasts/live", {"hub": hand_hub.pk}).status_code == 404
    result = _live(hand_hub)
    answer = api_client(reader).get("/api/forecasts/live", {"hub": hand_hub.pk})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["id"], body["on"], body["ramp_from_month"]) == (result.pk, "2026-06-15", 6)
    assert [row["number"] for row in body["agreements"]] == ["A", "B", "C", "D"]
    assert body["probabilities"]["sent"] == 0.6


def test_the_api_answers_the_national_live_sum(api_client, coordinator, hand_hub):
    _live(hand_hub)
    body = api_client(coordinator).get("/api/forecasts/live/national").json()
    assert body["months"] == [
        {**row, "calendar_month": row["calendar_month"].isoformat()}
        for row in national_live_sum()["months"]
    ]
    assert [hub["hub_name"] for hub in body["hubs"]] == ["Handräknade hubben"]


def test_a_live_run_needs_a_scenario(api_client, coordinator):
    hub = HubFactory()
    answer = api_client(coordinator).post("/api/forecasts/live/run", {"hub_id": hub.pk})
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_scenario"
