"""Leaving startup needs at least one signed membership agreement (governance/hubs/guards.py)."""

import pytest

from governance.errors import ConflictError
from governance.hubs import services
from governance.hubs.models import Hub
from tests.factories import AgreementFactory
from tests.hubs.conftest import resolve_required

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
