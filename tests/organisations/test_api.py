import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from governance.organisations.models import ApiToken, Organisation
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict, **headers) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _token_for(user) -> str:
    response = _post(Client(), "/api/auth/token", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_issue_token_returns_a_bearer_token_stored_only_hashed():
    user = UserFactory()
    token = _token_for(user)
    stored = ApiToken.objects.get(user=user)
    assert token not in stored.key_hash
    assert stored.prefix == token[:8]
    assert Client().get("/api/me", **_bearer(token)).json()["username"] == user.username


def test_issue_token_with_a_wrong_password_is_401():
    user = UserFactory()
    response = _post(Client(), "/api/auth/token", {"username": user.username, "password": "x"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused():
    user = UserFactory()
    token = _token_for(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/me", **_bearer(token)).status_code == 401


def test_revoked_token_is_refused_at_once():
    user = UserFactory()
    token = _token_for(user)
    token_id = ApiToken.objects.get(user=user).pk
    client = Client()
    assert client.delete(f"/api/auth/tokens/{token_id}", **_bearer(token)).status_code == 204
    assert client.get("/api/me", **_bearer(token)).status_code == 401
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


def test_a_user_cannot_revoke_someone_elses_token():
    owner, other = UserFactory(), UserFactory()
    owner_token = _token_for(owner)
    token_id = ApiToken.objects.get(user=owner).pk
    response = Client().delete(f"/api/auth/tokens/{token_id}", **_bearer(_token_for(other)))
    assert response.status_code == 404
    assert Client().get("/api/me", **_bearer(owner_token)).status_code == 200


def test_token_list_never_shows_the_secret():
    user = UserFactory()
    token = _token_for(user)
    listed = Client().get("/api/auth/tokens", **_bearer(token)).json()
    assert (listed["count"], len(listed["items"])) == (1, 1)
    assert token not in json.dumps(listed)


def test_unknown_bearer_token_and_no_credentials_are_401():
    assert Client().get("/api/me", **_bearer("nonsense")).status_code == 401
    response = Client().get("/api/organisations")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_session_auth_works_for_the_web(client_for):
    user = UserFactory()
    assert client_for(user).get("/api/me").json()["id"] == user.pk


def test_me_lists_organisation_and_roles(client_for):
    organisation = OrganisationFactory(name="Vinnova")
    user = UserFactory(roles=["national_coordinator"])
    user.person.organisation = organisation
    user.person.save()
    body = client_for(user).get("/api/me").json()
    assert body["organisation"]["name"] == "Vinnova"
    assert body["is_national_coordinator"] is True
    assert body["roles"] == [
        {"role": "national_coordinator", "role_display": "Nationell koordinator", "hub_id": None}
    ]


def test_create_organisation_normalises_the_number(client_for, coordinator):
    response = _post(
        client_for(coordinator),
        "/api/organisations",
        {"name": "Försäkringskassan", "org_number": "202100-5521", "kind": "state_agency"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["org_number"] == "2021005521"
    assert response.json()["org_number_display"] == "202100-5521"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            {"name": "X", "org_number": "202100-5522", "kind": "region"},
            "org_number",
            "invalid_checksum",
        ),
        ({"name": "X", "org_number": "20210055", "kind": "region"}, "org_number", "invalid_length"),
        (
            {"name": "X", "org_number": "2021OO5521", "kind": "region"},
            "org_number",
            "invalid_format",
        ),
        ({"name": "", "org_number": "202100-5521", "kind": "region"}, "name", "blank"),
        ({"name": "X", "org_number": "202100-5521", "kind": "county"}, "kind", "enum"),
        ({"org_number": "202100-5521", "kind": "region"}, "name", "missing"),
        (
            {"name": "X", "org_number": "202100-5521", "kind": "region", "contact_email": "no"},
            "contact_email",
            "invalid",
        ),
    ],
)
def test_create_organisation_invalid_input_is_422_naming_the_field(
    client_for, coordinator, body, field, code
):
    response = _post(client_for(coordinator), "/api/organisations", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": field, "code": code} in [
        {"field": error["field"], "code": error["code"]} for error in errors
    ]
    assert all(error["message"] for error in errors)
    assert not Organisation.objects.exists()


def test_create_organisation_duplicate_number_is_422(client_for, coordinator):
    OrganisationFactory(org_number="2021005521")
    response = _post(
        client_for(coordinator),
        "/api/organisations",
        {"name": "Again", "org_number": "202100-5521", "kind": "state_agency"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "org_number"


def test_malformed_json_is_400_not_500(client_for, coordinator):
    response = client_for(coordinator).post(
        "/api/organisations", '{"name":', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_patch_changes_only_the_given_fields(client_for, coordinator):
    organisation = OrganisationFactory(name="Old", contact_name="Anna")
    response = client_for(coordinator).patch(
        f"/api/organisations/{organisation.pk}",
        json.dumps({"name": "New"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert (organisation.name, organisation.contact_name) == ("New", "Anna")


def test_patch_with_one_bad_field_changes_nothing(client_for, coordinator):
    organisation = OrganisationFactory(name="Old")
    number = organisation.org_number
    response = client_for(coordinator).patch(
        f"/api/organisations/{organisation.pk}",
        json.dumps({"name": "New", "org_number": "202100-5522"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "org_number"
    organisation.refresh_from_db()
    assert (organisation.name, organisation.org_number) == ("Old", number)


def test_patch_null_for_a_required_field_is_422(client_for, coordinator):
    organisation = OrganisationFactory()
    response = client_for(coordinator).patch(
        f"/api/organisations/{organisation.pk}",
        json.dumps({"name": None}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_unknown_organisation_is_404(client_for, coordinator):
    response = client_for(coordinator).get("/api/organisations/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_filters_by_search_and_kind(client_for, coordinator):
    OrganisationFactory(name="Östersunds kommun", kind="municipality", org_number="2120002411")
    OrganisationFactory(name="Region Jämtland Härjedalen", kind="region")
    client = client_for(coordinator)
    assert client.get("/api/organisations?search=östersund").json()["count"] == 1
    assert client.get("/api/organisations?search=212000-24").json()["count"] == 1
    assert client.get("/api/organisations?kind=region").json()["count"] == 1
    assert client.get("/api/organisations?kind=planet").status_code == 422


def test_list_runs_a_fixed_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(30)
    client = client_for(coordinator)
    with django_assert_max_num_queries(8):
        assert client.get("/api/organisations?limit=50").json()["count"] == 30


def test_openapi_schema_builds_and_docs_are_served(client_for):
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/auth/token", "/api/me", "/api/organisations"} <= set(paths)
    assert Client().get("/api/docs").status_code == 200


def test_errors_follow_the_language_asked_for(client_for, coordinator):
    body = {"name": "X", "org_number": "202100-5522", "kind": "region"}
    swedish = _post(client_for(coordinator), "/api/organisations", body)
    english = _post(client_for(coordinator), "/api/organisations", body, HTTP_ACCEPT_LANGUAGE="en")
    assert "kontrollsiffra" in swedish.json()["errors"][0]["message"]
    assert "check digit" in english.json()["errors"][0]["message"]


def test_an_unexpected_error_is_a_json_500_without_internals(client_for, coordinator, monkeypatch):
    def broken(**filters):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("governance.organisations.selectors.organisation_list", broken)
    response = client_for(coordinator).get("/api/organisations")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "secret" not in response.content.decode()
