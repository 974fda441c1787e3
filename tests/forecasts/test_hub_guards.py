"""Leaving preparation needs an adopted budget in force and financing of phases 1–2 that covers
the current forecast's peak liquidity need (governance/forecasts/guards.py, declared on
ForecastsConfig.hub_guards)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from governance.errors import ConflictError
from governance.forecasts import services
from governance.forecasts.demo import SUNDSVALL
from governance.forecasts.models import ForecastScenario
from governance.hubs import services as hub_services
from governance.hubs.models import Hub
from governance.hubs.selectors import hubs_with_facts
from governance.memberships.fees import format_kronor
from tests.forecasts.factories import BudgetFactory, ForecastResultFactory, ForecastScenarioFactory
from tests.hubs.conftest import agree_on_economy, satisfy_preparation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(hub_in, coordinator):
    """A hub in preparation that meets every condition of the hubs and memberships apps, with
    a fee schedule in force but no budget and no forecast yet."""
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    hub.budgets.all().delete()
    ForecastScenario.objects.filter(hub=hub).delete()
    return hub


def _this_year() -> int:
    return timezone.localdate().year


def _budget(hub: Hub, *lines: tuple[str, int], **fields) -> None:
    BudgetFactory(
        hub=hub,
        year=_this_year(),
        state="adopted",
        lines=[("staff", 600_000), *lines],
        **fields,
    )


def _refusal(hub: Hub, coordinator) -> list[str]:
    with pytest.raises(ConflictError) as refused:
        hub_services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"
    return refused.value.details["unmet"]


def _start_up(hub: Hub, coordinator) -> None:
    hub_services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert Hub.objects.get(pk=hub.pk).phase == "startup"


def test_financing_that_covers_the_need_exactly_opens_startup(ready, coordinator):
    result = ForecastResultFactory(scenario__hub=ready)
    assert result.peak_liquidity_need_sek > 0
    need = result.peak_liquidity_need_sek
    _budget(ready, ("investment_capital", need - 100_000), ("startup_support", 100_000))
    _start_up(ready, coordinator)


def test_one_krona_short_is_refused(ready, coordinator):
    need = ForecastResultFactory(scenario__hub=ready).peak_liquidity_need_sek
    _budget(ready, ("investment_capital", need - 1))
    [unmet] = _refusal(ready, coordinator)
    assert unmet.startswith(f"Finansieringen {format_kronor((need - 1) * 100)} täcker inte")


def test_the_refusal_names_both_figures_in_swedish_and_english(ready, coordinator):
    """Sundsvall's demo scenario, computed by the engine: 900 000 kr against its need."""
    scenario = services.scenario_create(
        actor=coordinator, hub_id=ready.pk, name="Grundscenario", inputs=SUNDSVALL.to_dict()
    )
    (result,) = services.forecasts_compute(scenario_ids=[scenario.pk])
    assert result.peak_liquidity_need_sek == 1_928_837
    _budget(ready, ("investment_capital", 500_000), ("startup_support", 400_000))
    assert _refusal(ready, coordinator) == [
        "Finansieringen 900\xa0000 kr täcker inte likviditetsbehovet 1\xa0928\xa0837 kr i hubbens "
        "aktuella prognos (investeringskapital och projekt- eller uppstartsstöd i budgeten)."
    ]
    with translation.override("en"):
        assert _refusal(ready, coordinator) == [
            "The financing SEK 900,000 does not cover the liquidity need SEK 1,928,837 in the "
            "hub's current forecast (investment capital and project or start-up support in the "
            "budget)."
        ]


def test_other_financing_and_costs_do_not_count_as_liquidity(ready, coordinator):
    need = ForecastResultFactory(scenario__hub=ready).peak_liquidity_need_sek
    _budget(ready, ("other_financing", need), ("membership_fees", need))
    hub = hubs_with_facts().get(pk=ready.pk)
    assert hub.liquidity_financing_sek == 0
    [unmet] = _refusal(ready, coordinator)
    assert unmet.startswith(f"Finansieringen {format_kronor(0)} täcker inte")


def test_without_a_forecast_the_hub_waits_for_one(ready, coordinator):
    _budget(ready, ("investment_capital", 5_000_000))
    ForecastScenarioFactory(hub=ready)  # a scenario, never computed
    assert _refusal(ready, coordinator) == [
        "Hubben har ingen beräknad prognos än: beräkna prognosen för hubbens aktuella scenario, "
        "så att finansieringen kan jämföras med likviditetsbehovet."
    ]


def test_the_current_forecast_is_the_newest_result_of_the_scenario_saved_last(ready, coordinator):
    older = ForecastResultFactory(scenario__hub=ready, peak_liquidity_need_sek=100_000)
    current = ForecastScenarioFactory(hub=ready)
    first = ForecastResultFactory(scenario=current, peak_liquidity_need_sek=200_000)
    ForecastResultFactory(
        scenario=current,
        peak_liquidity_need_sek=300_000,
        computed_at=first.computed_at + timedelta(minutes=5),
    )
    ForecastResultFactory(peak_liquidity_need_sek=900_000)  # another hub's is not read
    assert hubs_with_facts().get(pk=ready.pk).peak_liquidity_need_sek == 300_000
    _budget(ready, ("investment_capital", 250_000))
    [unmet] = _refusal(ready, coordinator)
    assert f"likviditetsbehovet {format_kronor(300_000 * 100)} i" in unmet
    # Saving the older scenario again makes it the current one, whose need is covered.
    older.scenario.save()
    _start_up(ready, coordinator)


def test_leaving_preparation_needs_an_adopted_budget_for_this_year(ready, coordinator):
    need = ForecastResultFactory(scenario__hub=ready).peak_liquidity_need_sek
    BudgetFactory(hub=ready, year=_this_year(), lines=[("investment_capital", need)])  # draft
    BudgetFactory(
        hub=ready, year=_this_year() - 1, state="adopted", lines=[("investment_capital", need)]
    )
    BudgetFactory(hub=None, year=_this_year(), state="adopted")  # the national node's
    assert _refusal(ready, coordinator) == [
        f"Hubben har ingen fastställd budget för {_this_year()}.",
        f"Finansieringen {format_kronor(0)} täcker inte likviditetsbehovet "
        f"{format_kronor(need * 100)} i hubbens aktuella prognos (investeringskapital och "
        "projekt- eller uppstartsstöd i budgeten).",
    ]


def test_the_newest_adopted_version_is_the_budget_in_force(ready, coordinator):
    need = ForecastResultFactory(scenario__hub=ready).peak_liquidity_need_sek
    _budget(ready, ("investment_capital", need), version=1)
    _budget(ready, ("investment_capital", need - 1), version=2)
    assert hubs_with_facts().get(pk=ready.pk).liquidity_financing_sek == need - 1
    assert len(_refusal(ready, coordinator)) == 1


def test_the_facts(ready):
    hub = hubs_with_facts().get(pk=ready.pk)
    assert (hub.has_budget_in_force, hub.liquidity_financing_sek) == (False, 0)
    assert hub.peak_liquidity_need_sek is None
    result = agree_on_economy(ready, financing_sek=700_000)
    hub = hubs_with_facts().get(pk=ready.pk)
    assert (hub.has_budget_in_force, hub.liquidity_financing_sek) == (True, 700_000)
    assert hub.peak_liquidity_need_sek == result.peak_liquidity_need_sek


def test_the_api_answers_409_with_the_guards_reasons(ready, coordinator, api_client):
    need = ForecastResultFactory(scenario__hub=ready).peak_liquidity_need_sek
    _budget(ready, ("startup_support", 1_000))
    client = api_client(coordinator)
    response = client.post(f"/api/hubs/{ready.pk}/transitions/start_up", {})
    assert response.status_code == 409
    body = response.json()
    message = (
        f"Finansieringen {format_kronor(1_000 * 100)} täcker inte likviditetsbehovet "
        f"{format_kronor(need * 100)} i hubbens aktuella prognos (investeringskapital och "
        "projekt- eller uppstartsstöd i budgeten)."
    )
    assert (body["state"], body["unmet"]) == ("preparation", [message])
    transitions = client.get(f"/api/hubs/{ready.pk}/transitions").json()
    [blocked] = [row for row in transitions["blocked"] if row["name"] == "start_up"]
    assert blocked["unmet"] == [message]
