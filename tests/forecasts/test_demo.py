"""The demo's economy: budgets adopted where the principal's path is open, forecasts computed
by the seeder, Stockholm breaking even only with its subsidy, Sundsvall's financing short of
its liquidity need."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from governance.forecasts.demo import OSTERSUND, STOCKHOLM_WITHOUT_SUBSIDY
from governance.forecasts.engine import solve_fee_level
from governance.forecasts.models import ForecastResult
from governance.forecasts.selectors import budget_in_force
from governance.hubs.models import Hub
from governance.hubs.selectors import hubs_with_facts
from governance.lifecycle.selectors import transitions_view

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def _result(hub_name: str, scenario_name: str) -> ForecastResult:
    return ForecastResult.objects.get(
        hub__name=hub_name, scenario_name=scenario_name, is_live=False
    )


def test_stockholm_breaks_even_only_with_its_subsidy(demo):
    assert _result("Samverket Stockholm", "Pilotåren utan stöd").break_even_month is None
    assert _result("Samverket Stockholm", "Pilotåren med stöd").break_even_month is not None


def test_every_demo_scenario_has_a_result_with_a_chart(demo):
    results = ForecastResult.objects.filter(is_live=False)
    assert results.count() == 6
    assert all(bytes(result.chart_png).startswith(b"\x89PNG") for result in results)
    assert _result("Samverket Östersund", "Grundscenario").break_even_month is not None


def test_budgets_in_force(demo):
    on = timezone.localdate()
    assert budget_in_force(None, on=on).totals()["staff"] == 1_800_000
    assert budget_in_force(Hub.objects.get(name="Samverket Sundsvall"), on=on) is not None
    # Agreed among its organisations when it left preparation, before it had an owner group.
    assert budget_in_force(Hub.objects.get(name="Samverket Östersund"), on=on) is not None


def test_the_hubs_beyond_preparation_had_their_need_covered(demo):
    hubs = hubs_with_facts().filter(phase__in=["startup", "operations", "closed"])
    assert {hub.name for hub in hubs} == {
        "Samverket Östersund",
        "Samverket Stockholm",
        "Samverket Linköping",
    }
    for hub in hubs:
        assert hub.has_budget_in_force, hub.name
        assert hub.has_fee_schedule_in_force, hub.name
        assert hub.liquidity_financing_sek >= hub.peak_liquidity_need_sek > 0, hub.name


def test_the_coordinator_sees_sundsvall_blocked_by_its_financing(demo):
    sundsvall = hubs_with_facts().get(name="Samverket Sundsvall")
    view = transitions_view(sundsvall, User.objects.get(username="coordinator"))
    [blocked] = [row for row in view["blocked"] if row["name"] == "start_up"]
    assert (
        "Finansieringen 900\xa0000 kr täcker inte likviditetsbehovet 1\xa0928\xa0837 kr i "
        "hubbens aktuella prognos (investeringskapital och projekt- eller uppstartsstöd i "
        "budgeten)."
    ) in blocked["unmet"]


def test_stockholms_costs_are_several_times_ostersunds():
    def staff(s):
        return s.cm_fte * s.cm_monthly_cost + s.other_staff_monthly_cost

    assert STOCKHOLM_WITHOUT_SUBSIDY.premises_rent_monthly >= 3 * OSTERSUND.premises_rent_monthly
    assert staff(STOCKHOLM_WITHOUT_SUBSIDY) >= 3 * staff(OSTERSUND)
    # Not tuned to a ratio: the solver only has to find Stockholm's break-even fees higher.
    stockholm = solve_fee_level(STOCKHOLM_WITHOUT_SUBSIDY)
    ostersund = solve_fee_level(OSTERSUND)
    assert stockholm.ladder[0] > ostersund.ladder[0]


def test_every_demo_hub_with_a_scenario_has_a_live_forecast(demo):
    live = ForecastResult.objects.filter(is_live=True)
    assert set(live.values_list("hub__name", flat=True)) == {
        "Samverket Östersund",
        "Samverket Stockholm",
        "Samverket Sundsvall",
        "Samverket Luleå",
        "Samverket Linköping",
    }
    ostersund = live.get(hub__name="Samverket Östersund")
    states = {row["state"] for row in ostersund.live_inputs["agreements"]}
    # Every state a pipeline holds; the expired one (2023–2024) ended before the forecast.
    assert states >= {"generated", "sent", "signed", "active", "terminated"}
    (national,) = [row for row in ostersund.live_inputs["agreements"] if row["national"]]
    assert national["amounts_ore"]
