"""Every operation of the API, fuzzed from its own OpenAPI schema: never a 5xx, always JSON.

Schemathesis reads ``/api/openapi.json`` through WSGI (no server) and tests every operation of
every router: first boundary values, wrong types, unexpected methods and media types (its
coverage phase), then generated requests, valid and invalid (fuzzing). A new endpoint is fuzzed
without touching this file.

The requests carry a bearer token of the national coordinator, who may do everything, so the
writing paths run; a second, shorter run signs in as a user without roles. Half of the time,
the generated path parameters and body fields the ``known_values`` fixture knows by name
(``hub_id``, ``key``, ``user_id``, ``org_number``, …) take values that work, mostly ids of rows
that exist, so that requests get past 404 and into the writes. Generation is derandomised: the
same requests on every run.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from governance.hubs.models import Hub
from governance.hubs.services import hub_transition
from governance.lifecycle.machine import transition_methods
from tests.factories import (
    AgreementFactory,
    ApiTokenFactory,
    FeeScheduleFactory,
    FlowRunFactory,
    HubFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
    valid_org_number,
)

pytestmark = pytest.mark.django_db

# Generated requests per operation, after the coverage phase's own (5 to 120 of them).
COORDINATOR_EXAMPLES = 30
MEMBER_EXAMPLES = 10

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
schema.config.generation.update(
    max_examples=COORDINATOR_EXAMPLES, deterministic=True, database="none"
)

# Parameter or field name → values the API takes (mostly ids of rows that exist), set for each
# test by the known_values fixture.
_KNOWN: dict[str, list[object]] = {}


def _sometimes_known(values: object) -> st.SearchStrategy:
    """``values`` as generated, or half of the time with known values for the names it has."""
    if not isinstance(values, dict) or not (known := _KNOWN.keys() & values.keys()):
        return st.just(values)
    # Sorted: a set's order changes from run to run, and with it what Hypothesis draws.
    existing = st.fixed_dictionaries(
        {name: st.sampled_from(_KNOWN[name]) for name in sorted(known)}
    )
    return st.one_of(st.just(values), existing.map(lambda chosen: {**values, **chosen}))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _sometimes_known(path_parameters)


@schema.hook
def flatmap_body(context, body):
    return _sometimes_known(body)


# The file downloads (README, "API conventions"): their successful answer is the file.
FILE_DOWNLOADS = {
    "/api/agreements/{agreement_id}/document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "/api/hubs/{hub_id}/invoicing.csv": "text/csv",
    "/api/hubs/{hub_id}/invoicing.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


def answers_in_json(ctx, response, case):
    """Every answer of the API is JSON, errors included (README, "API conventions"), but a
    file download's file."""
    if response.status_code == 204 and not response.content:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    if response.status_code == 200 and case.path in FILE_DOWNLOADS:
        assert content_type.split(";")[0] == FILE_DOWNLOADS[case.path]
        return
    assert content_type.split(";")[0] == "application/json", (
        f"{response.status_code} answered with Content-Type {content_type!r}"
    )


CHECKS = [not_a_server_error, answers_in_json]


@pytest.fixture
def _requests_in_the_test_transaction():
    """Keep the test's transaction open across requests, as Django's test Client does: the
    WSGI handler otherwise closes a connection left outside autocommit at each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known_values(_requests_in_the_test_transaction, coordinator):
    """Rows for the fuzzed requests to name: a hub in preparation with its checklist, …"""
    hub = HubFactory()
    hub_transition(actor=coordinator, hub_id=hub.pk, name="start_preparation")
    organisation = OrganisationFactory()
    _KNOWN.update(
        hub_id=[hub.pk],
        object_id=[hub.pk],
        key=list(hub.checklist_items.values_list("key", flat=True)[:3]),
        name=list(transition_methods(Hub)),
        assignment_id=[RoleAssignmentFactory(hub=hub).pk],
        organisation_id=[organisation.pk],
        principal_id=[organisation.pk],
        # Numbers no organisation has yet, so that a new one can be registered.
        org_number=[valid_org_number(n) for n in range(90_000_000, 90_000_003)],
        user_id=[UserFactory().pk],
        run_id=[FlowRunFactory(requested_by=coordinator).pk],
        # Another of the coordinator's tokens: revoking the one in use would end the run.
        token_id=[ApiTokenFactory(user=coordinator).pk],
        agreement_id=[AgreementFactory(hub=hub, principal=organisation).pk],
        fee_schedule_id=[FeeScheduleFactory(hub=hub).pk],
        member_org_number=[organisation.org_number],
    )
    yield
    _KNOWN.clear()


# The rows are made once per operation and shared by its requests, on purpose. Generating a
# request may take long on a slow CI machine; the run is bounded by the number of examples.
FUZZ_SETTINGS = {
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
}


@pytest.fixture
def coordinator_bearer(known_values, coordinator):
    return {"Authorization": f"Bearer {ApiTokenFactory(user=coordinator).raw_token}"}


@pytest.fixture
def member_bearer(known_values):
    return {"Authorization": f"Bearer {ApiTokenFactory(user=UserFactory()).raw_token}"}


@schema.parametrize()
@settings(**FUZZ_SETTINGS)
def test_the_coordinator_gets_json_and_no_server_error(case, coordinator_bearer):
    case.call_and_validate(headers=coordinator_bearer, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=MEMBER_EXAMPLES, **FUZZ_SETTINGS)
def test_a_user_without_roles_gets_json_and_no_server_error(case, member_bearer):
    case.call_and_validate(headers=member_bearer, checks=CHECKS)
