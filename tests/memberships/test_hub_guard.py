"""Leaving preparation needs an adopted fee schedule in force (governance/memberships/guards.py,
declared on MembershipsConfig.hub_guards); leaving startup at least one signed membership
agreement (governance/hubs/guards.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from governance.errors import ConflictError
from governance.hubs import services
from governance.hubs.models import Hub
from governance.hubs.selectors import hubs_with_facts
from tests.factories import AgreementFactory, FeeScheduleFactory
from tests.hubs.conftest import resolve_required, satisfy_preparation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "generated", "sent"])
def test_an_unsigned_agreement_does_not_open_operations(hub_in, coordinator, state):
    hub = hub_in("startup")
    resolve_required(hub, coordinator, "startup")
    AgreementFactory(hub=hub, principal=hub.principal, state=state)
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
    assert refused.value.details["unmet"] == ["Hubben har inget undertecknat medlemsavtal."]


@pytest.mark.parametrize("state", ["signed", "active", "expired", "terminated"])
def test_an_agreement_that_was_signed_opens_operations(hub_in, coordinator, state):
    hub = hub_in("startup")
    resolve_required(hub, coordinator, "startup")
    AgreementFactory(hub=hub, principal=hub.principal, state=state)
    services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_operations")
    assert Hub.objects.get(pk=hub.pk).phase == "operations"


def test_the_blocked_transition_says_why(hub_in, coordinator, api_client):
    hub = hub_in("startup")
    resolve_required(hub, coordinator, "startup")
    body = api_client(coordinator).get(f"/api/hubs/{hub.pk}/transitions").json()
    [blocked] = [row for row in body["blocked"] if row["name"] == "start_operations"]
    assert blocked["unmet"] == ["Hubben har inget undertecknat medlemsavtal."]


NO_FEE_SCHEDULE = "Hubben har ingen fastställd avgiftstrappa som gäller nu."


@pytest.fixture
def ready(hub_in, coordinator):
    """A hub in preparation that meets every other condition of leaving it."""
    hub = hub_in("preparation")
    satisfy_preparation(hub, coordinator)
    hub.fee_schedules.all().delete()
    return hub


def _refusal(hub: Hub, coordinator) -> list[str]:
    with pytest.raises(ConflictError) as refused:
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"
    return refused.value.details["unmet"]


@pytest.mark.parametrize("state", ["adopted", "superseded"])
def test_a_fee_schedule_in_force_opens_startup(ready, coordinator, state):
    """A superseded version is in force until its successor's effective date."""
    FeeScheduleFactory(hub=ready, state=state, effective_from=date(2020, 1, 1))
    services.hub_transition(actor=coordinator, hub_id=ready.pk, name="start_up")
    assert Hub.objects.get(pk=ready.pk).phase == "startup"


def test_without_a_fee_schedule_in_force_the_hub_stays_in_preparation(ready, coordinator):
    FeeScheduleFactory(hub=ready)  # a draft
    FeeScheduleFactory(
        hub=ready, state="adopted", effective_from=timezone.localdate() + timedelta(days=1)
    )
    FeeScheduleFactory(hub=None, state="adopted", effective_from=date(2020, 1, 1))  # national
    FeeScheduleFactory(state="adopted", effective_from=date(2020, 1, 1))  # another hub's
    assert hubs_with_facts().get(pk=ready.pk).has_fee_schedule_in_force is False
    assert _refusal(ready, coordinator) == [NO_FEE_SCHEDULE]
    with translation.override("en"):
        assert _refusal(ready, coordinator) == ["The hub has no adopted fee schedule in force."]


def test_the_fee_schedule_fact(ready):
    assert hubs_with_facts().get(pk=ready.pk).has_fee_schedule_in_force is False
    FeeScheduleFactory(hub=ready, state="adopted", effective_from=timezone.localdate())
    assert hubs_with_facts().get(pk=ready.pk).has_fee_schedule_in_force is True


def test_the_api_answers_409_naming_the_missing_fee_schedule(ready, coordinator, api_client):
    client = api_client(coordinator)
    response = client.post(f"/api/hubs/{ready.pk}/transitions/start_up", {})
    assert response.status_code == 409
    assert (response.json()["state"], response.json()["unmet"]) == (
        "preparation",
        [NO_FEE_SCHEDULE],
    )
    body = client.get(f"/api/hubs/{ready.pk}/transitions").json()
    [blocked] = [row for row in body["blocked"] if row["name"] == "start_up"]
    assert blocked["unmet"] == [NO_FEE_SCHEDULE]
