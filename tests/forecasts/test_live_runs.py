"""When live forecasts run: an agreement changing state starts its hub's live run, debounced
(one run a hub per LIVE_FORECAST_DEBOUNCE_SECONDS, not one per change), safe when two changes
come at once; the nightly flow runs every hub's in one batch on a given day."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction

from flows.forecasts import nightly_live_forecasts
from governance.flowruns.models import FlowRun
from governance.forecasts import services
from governance.forecasts.models import ForecastResult, LiveForecastDemand
from governance.lifecycle.services import transition_run
from governance.memberships.services import agreements_with_facts
from tests.factories import (
    AgreementFactory,
    AgreementLocalityFactory,
    HubFactory,
    OrganisationFactory,
)
from tests.forecasts.factories import ForecastScenarioFactory

LIVE = "run_live_forecast"
T0 = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)


def _live_runs(hub) -> list[FlowRun]:
    return list(FlowRun.objects.filter(flow_name=LIVE, parameters__hub_id=hub.pk))


def _move(agreement, *names, actor) -> None:
    for name in names:
        transition_run(agreements_with_facts(), pk=agreement.pk, name=name, actor=actor)


@pytest.fixture
def queued_only(settings):
    """Runs are recorded and stay queued (deployment mode without workers)."""
    settings.FLOW_MODE = "deployment"


@pytest.fixture
def hub_with_scenario(db):
    hub = HubFactory(principal=OrganisationFactory())
    ForecastScenarioFactory(hub=hub)
    return hub


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_many_changes_within_the_window_start_one_run(hub_with_scenario, coordinator):
    agreement = AgreementFactory(hub=hub_with_scenario, principal=hub_with_scenario.principal)
    other = AgreementFactory(hub=hub_with_scenario, principal=hub_with_scenario.principal)
    with time_machine.travel(T0, tick=False):
        _move(agreement, "mark_generated", "send", actor=coordinator)
        _move(other, "mark_generated", "reopen", "mark_generated", actor=coordinator)
    (run,) = _live_runs(hub_with_scenario)
    assert run.requested_by == coordinator
    demand = LiveForecastDemand.objects.get(hub=hub_with_scenario)
    assert demand.changed_since == T0
    assert demand.last_change == f"{other.number}: mark_generated"


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_a_change_after_the_window_starts_a_second_run(hub_with_scenario, coordinator, settings):
    agreement = AgreementFactory(hub=hub_with_scenario, principal=hub_with_scenario.principal)
    with time_machine.travel(T0, tick=False):
        _move(agreement, "mark_generated", actor=coordinator)
    # The first run has done its work meanwhile.
    FlowRun.objects.filter(flow_name=LIVE).update(state="completed")
    window = timedelta(seconds=settings.LIVE_FORECAST_DEBOUNCE_SECONDS)
    with time_machine.travel(T0 + window - timedelta(seconds=1), tick=False):
        _move(agreement, "reopen", actor=coordinator)
    assert len(_live_runs(hub_with_scenario)) == 1
    with time_machine.travel(T0 + window + timedelta(seconds=1), tick=False):
        _move(agreement, "mark_generated", actor=coordinator)
    assert len(_live_runs(hub_with_scenario)) == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_a_run_still_waiting_covers_changes_after_the_window(hub_with_scenario, settings):
    with time_machine.travel(T0, tick=False):
        services.live_forecast_request(hub_ids=[hub_with_scenario.pk], actor=None, reason="a")
    later = T0 + timedelta(seconds=settings.LIVE_FORECAST_DEBOUNCE_SECONDS * 3)
    with time_machine.travel(later, tick=False):
        assert (
            services.live_forecast_request(hub_ids=[hub_with_scenario.pk], actor=None, reason="b")
            == []
        )
    assert len(_live_runs(hub_with_scenario)) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_a_failed_run_does_not_hold_the_next_back(hub_with_scenario):
    services.live_forecast_request(hub_ids=[hub_with_scenario.pk], actor=None, reason="a")
    FlowRun.objects.filter(flow_name=LIVE).update(state="failed")
    services.live_forecast_request(hub_ids=[hub_with_scenario.pk], actor=None, reason="b")
    assert len(_live_runs(hub_with_scenario)) == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_a_hub_without_a_scenario_has_no_live_forecast_to_run(coordinator):
    agreement = AgreementFactory()
    _move(agreement, "mark_generated", actor=coordinator)
    assert not FlowRun.objects.filter(flow_name=LIVE).exists()
    assert not LiveForecastDemand.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("queued_only")
def test_a_national_agreement_moves_each_hub_it_is_allocated_to(coordinator):
    here, there, without_scenario = HubFactory(), HubFactory(), HubFactory()
    for hub in (here, there):
        ForecastScenarioFactory(hub=hub)
    locality = AgreementLocalityFactory(hub=here)
    AgreementLocalityFactory(agreement=locality.agreement, hub=there)
    AgreementLocalityFactory(agreement=locality.agreement, hub=without_scenario)
    _move(locality.agreement, "mark_generated", actor=coordinator)
    assert (len(_live_runs(here)), len(_live_runs(there))) == (1, 1)
    assert _live_runs(without_scenario) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued_only")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_changes_at_the_same_moment_start_one_run(hub_with_scenario):
    LiveForecastDemand.objects.create(hub=hub_with_scenario)
    both_inside = threading.Barrier(2)
    problems = []

    def change(reason: str) -> None:
        try:
            with transaction.atomic():
                both_inside.wait(timeout=10)
                services.live_forecast_request(
                    hub_ids=[hub_with_scenario.pk], actor=None, reason=reason
                )
        except Exception as problem:  # reported below, in the test's thread
            problems.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert problems == []
    assert len(_live_runs(hub_with_scenario)) == 1


@pytest.mark.django_db
def test_a_live_run_takes_the_waiting_changes_as_read(hub_with_scenario, settings):
    settings.FLOW_MODE = "deployment"
    services.live_forecast_request(hub_ids=[hub_with_scenario.pk], actor=None, reason="a")
    services.live_forecasts_compute(today=date(2026, 6, 15), hub_ids=[hub_with_scenario.pk])
    assert LiveForecastDemand.objects.get(hub=hub_with_scenario).changed_since is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_an_agreement_sent_through_the_api_runs_the_live_forecast(api_client, coordinator):
    hub = HubFactory(principal=OrganisationFactory())
    ForecastScenarioFactory(hub=hub)
    agreement = AgreementFactory(hub=hub, principal=hub.principal)
    answer = api_client(coordinator).post(
        f"/api/agreements/{agreement.pk}/transitions/mark_generated"
    )
    assert answer.status_code == 200, answer.content
    (run,) = _live_runs(hub)
    assert run.state == "completed", run.error
    (result,) = ForecastResult.objects.filter(flow_run=run)
    assert result.is_live
    assert result.live_inputs["agreements"][0]["state"] == "generated"
    assert LiveForecastDemand.objects.get(hub=hub).changed_since is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_the_nightly_flow_runs_every_hubs_live_forecast_on_the_day_given():
    hubs = [HubFactory() for _ in range(3)]
    for hub in hubs:
        ForecastScenarioFactory(hub=hub)

    nightly_live_forecasts(on="2026-06-15")

    run = FlowRun.objects.get(flow_name="nightly_live_forecasts")
    assert (run.state, run.requested_by) == ("completed", None)
    assert run.result["on"] == "2026-06-15"
    results = ForecastResult.objects.filter(flow_run=run, is_live=True)
    assert {r.hub_id for r in results} == {hub.pk for hub in hubs}
    assert {r.live_inputs["on"] for r in results} == {"2026-06-15"}
    # Scenarios from January 2026: 15 June is month 6.
    assert {r.live_inputs["ramp_from_month"] for r in results} == {6}
