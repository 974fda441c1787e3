"""Input every endpoint refuses before it runs, and answers that are JSON wherever they come from.

Each case was a 500 or an HTML page found by tests/test_api_fuzz.py; the comment on each test
names the database where it failed before the fix.
"""

import pytest
from django.test import Client

from governance.api import api as the_api
from governance.api_input import unstorable_values
from governance.hubs.services import hub_transition
from governance.pagination import MAX_LIMIT, MAX_OFFSET
from tests.factories import HubFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HUGE = 10**24


def paginated_lists() -> list[str]:
    """Every operation of the API that takes ``limit`` and ``offset``."""
    schema = the_api.get_openapi_schema()
    return [
        path
        for path, operations in schema["paths"].items()
        if {"limit", "offset"}
        <= {p["name"] for p in operations.get("get", {}).get("parameters", [])}
    ]


def field_errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


@pytest.fixture
def api(api_client, coordinator):
    return api_client(coordinator, token=True)


@pytest.fixture
def hub_in_preparation(coordinator):
    hub = HubFactory()
    hub_transition(actor=coordinator, hub_id=hub.pk, name="start_preparation")
    return hub


def test_the_lists_are_found():
    assert {"/api/organisations", "/api/hubs", "/api/audit"} <= set(paginated_lists())


# Beyond 64 bits: a 500 on SQLite and PostgreSQL.
@pytest.mark.parametrize("url", paginated_lists())
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"limit": HUGE}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": MAX_OFFSET + 1}, "offset"),
        ({"offset": HUGE}, "offset"),
    ],
)
def test_every_list_refuses_a_page_out_of_bounds_naming_the_field(api, url, query, field):
    assert [name for name, _code in field_errors(api.get(url, query))] == [field]


@pytest.mark.parametrize("url", paginated_lists())
def test_every_list_serves_a_page_at_the_bounds(api, url):
    OrganisationFactory()

    response = api.get(url, {"limit": MAX_LIMIT, "offset": MAX_OFFSET})

    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


# NUL in text: a 500 on PostgreSQL, which stores no NUL character.
def test_nul_in_body_text_is_refused_naming_the_field(api):
    response = api.post(
        "/api/organisations", {"name": "Region\x00", "org_number": "2021005521", "kind": "region"}
    )

    assert field_errors(response) == [("name", "unstorable_character")]


def test_nul_in_text_inside_a_list_is_refused_naming_the_entry(api, hub_in_preparation):
    response = api.put(
        f"/api/hubs/{hub_in_preparation.pk}/readiness",
        {"scores": [{"aspect": "people", "score": 1, "note": "\x00"}]},
    )

    assert field_errors(response) == [("scores.0.note", "unstorable_character")]


def test_nul_in_a_query_parameter_is_refused(api):
    assert field_errors(api.get("/api/organisations", {"search": "a\x00b"})) == [
        ("search", "unstorable_character")
    ]


def test_nul_in_a_path_parameter_is_refused(api, hub_in_preparation):
    response = api.patch(f"/api/hubs/{hub_in_preparation.pk}/checklist/a%00b", {"note": "x"})

    assert field_errors(response) == [("key", "unstorable_character")]


def test_nul_in_credentials_is_refused_before_signing_in(api_client):
    response = api_client().post("/api/auth/token", {"username": "a\x00", "password": "x"})

    assert field_errors(response) == [("username", "unstorable_character")]


def test_half_a_surrogate_pair_in_body_text_is_refused(api):
    # json.dumps would escape the lone surrogate the same way; written out to be explicit.
    body = '{"name": "Region \\ud800", "org_number": "2021005521", "kind": "region"}'

    response = api.client.generic(
        "POST", "/api/organisations", body, content_type="application/json", headers=api.headers
    )

    assert [name for name, _code in field_errors(response)] == ["name"]


def test_unstorable_values_are_found_anywhere_in_nested_data():
    data = {"ok": ["Östersund 🏔", 2**63 - 1], "list": [{"\x00key": 1}, "\udc00"], "n": -(2**63) - 1}

    assert [(name, error.code) for name, error in unstorable_values(data)] == [
        ("list.0", "unstorable_character"),
        ("list.1", "unstorable_character"),
        ("n", "out_of_range"),
    ]


# Beyond 64 bits: a 500 on SQLite ("Python int too large to convert to SQLite INTEGER").
def test_an_id_beyond_64_bits_in_the_path_is_refused(api):
    response = api.patch(f"/api/hubs/{HUGE}/checklist/prep-principal-identified", {"note": "x"})

    assert field_errors(response) == [("hub_id", "out_of_range")]


def test_an_id_beyond_64_bits_in_the_body_is_refused(api, hub_in_preparation):
    response = api.post(
        f"/api/hubs/{hub_in_preparation.pk}/people", {"user_id": HUGE, "role": "community_manager"}
    )

    assert field_errors(response) == [("user_id", "out_of_range")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        # PostgreSQL takes UTC offsets up to ±15:59 only: a 500 there.
        ({"since": "2026-05-27T11:07:15+23:41"}, "since"),
        # Before year 1 or after year 9999 in UTC: a 500 on SQLite (OverflowError).
        ({"since": "0001-01-01T00:30:00+01:00"}, "since"),
        ({"until": "9999-12-31T23:59:59-01:00"}, "until"),
    ],
)
def test_a_time_the_database_cannot_store_is_refused(api, query, field):
    assert field_errors(api.get("/api/audit", query)) == [(field, "out_of_range")]


def test_times_with_real_offsets_are_taken(api):
    response = api.get(
        "/api/audit", {"since": "0001-01-01T03:00:00+02:00", "until": "2026-05-27T11:07:15-12:00"}
    )

    assert response.status_code == 200, response.content


# HTML from Django's URL resolver before the fix.
@pytest.mark.parametrize("url", ["/api/no-such-thing", "/api/hubs/-1", "/api/hubs/1/nothing"])
def test_a_path_no_endpoint_takes_answers_404_in_json(api, url):
    response = api.get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_path_answers_404_also_to_a_post_without_csrf_token(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post("/api/no-such-thing", {})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# HTML from ninja ("Method not allowed") before the fix.
@pytest.mark.parametrize("method", ["PUT", "DELETE", "TRACE"])
def test_a_method_the_path_does_not_take_answers_405_in_json(api, method):
    response = api.client.generic(method, "/api/hubs", headers=api.headers)

    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "Metoden stöds inte för denna adress.",
        "allowed": ["GET", "POST"],
    }
    assert response["Allow"] == "GET, POST"


@pytest.mark.parametrize("body", ["[1]", '"x"', "5", "null"])
def test_a_body_that_is_not_an_object_is_refused_in_json(api, body):
    response = api.client.generic(
        "POST", "/api/organisations", body, content_type="application/json", headers=api.headers
    )

    assert field_errors(response) == [("__all__", "not_an_object")]


def test_a_body_that_is_not_json_answers_400_in_json(api):
    response = api.client.generic(
        "POST", "/api/organisations", "name=x", content_type="application/json", headers=api.headers
    )

    assert (response.status_code, response.json()["code"]) == (400, "bad_request")
