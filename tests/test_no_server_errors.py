"""Whatever JSON a client sends to a writing endpoint, the answer is never a 500."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import HubFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "name", "org_number", "kind", "contact_email", "municipality", "county", "principal_id",
    "premises_status", "preparation_planned_on", "notes", "status", "not_applicable_reason",
    "evidence_url", "scores", "aspect", "score", "user_id", "role", "comment", "phase",
    "username", "password",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["202100-5521", "2026-02-30", "done", "region", "premises", "jamtland"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS), children, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.one_of(json_values, st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6))
CLIENT_ERRORS = {200, 201, 204, 400, 401, 403, 404, 409, 422}


@pytest.fixture
def targets():
    hub = HubFactory()
    coordinator = UserFactory(roles=["national_coordinator"])
    client = Client()
    client.force_login(coordinator)
    return client, [
        ("post", "/api/auth/token"),
        ("post", "/api/organisations"),
        ("patch", "/api/organisations/1"),
        ("post", "/api/hubs"),
        ("patch", f"/api/hubs/{hub.pk}"),
        ("post", f"/api/hubs/{hub.pk}/transitions/close"),
        ("patch", f"/api/hubs/{hub.pk}/checklist/prep-principal-identified"),
        ("post", f"/api/hubs/{hub.pk}/checklist/pull"),
        ("put", f"/api/hubs/{hub.pk}/readiness"),
        ("post", f"/api/hubs/{hub.pk}/people"),
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_writing_endpoints_answer_random_json_without_a_server_error(targets, data):
    client, endpoints = targets
    method, url = data.draw(st.sampled_from(endpoints))
    body = data.draw(bodies)
    response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code in CLIENT_ERRORS, (method, url, body, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
