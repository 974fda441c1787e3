"""Requests the API refuses before any endpoint runs: too big, too long, not an object, and
unsafe requests without credentials — each answered in JSON, never a 500 or an HTML page."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from governance.hubs.models import Hub
from governance.hubs.services import hub_transition
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from tests.factories import ApiTokenFactory, HubFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def hub(coordinator):
    hub = HubFactory(notes="kept")
    hub_transition(actor=coordinator, hub_id=hub.pk, name="start_preparation")
    return hub


@pytest.fixture
def bearer(coordinator):
    return {"Authorization": f"Bearer {ApiTokenFactory(user=coordinator).raw_token}"}


def anonymous() -> Client:
    """A client that, like a browser, checks CSRF: the case the API must answer with 401."""
    return Client(enforce_csrf_checks=True)


def sent(client: Client, method: str, url: str, body, headers=None):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.generic(method, url, data, content_type=JSON, headers=headers or {})


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    return response.json()


class TestBodyOverTheLimit:
    def test_a_huge_password_without_signing_in_is_413(self, settings):
        response = sent(
            anonymous(), "POST", "/api/auth/token", {"username": "x", "password": "a" * 2_700_000}
        )
        body = assert_error(response, 413, "request_too_large")
        assert body["limit_bytes"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def test_huge_notes_are_413_and_nothing_changes(self, hub, bearer):
        response = sent(Client(), "PATCH", f"/api/hubs/{hub.pk}", {"notes": "a" * 10**7}, bearer)
        assert_error(response, 413, "request_too_large")
        assert Hub.objects.get(pk=hub.pk).notes == "kept"

    def test_a_huge_transition_comment_is_413_and_the_hub_stays(self, hub, bearer):
        url = f"/api/hubs/{hub.pk}/transitions/pause"
        response = sent(Client(), "POST", url, {"comment": "a" * 3_000_000}, bearer)
        assert_error(response, 413, "request_too_large")
        assert Hub.objects.get(pk=hub.pk).phase == "preparation"

    def test_the_limit_is_a_setting(self, settings, hub, bearer):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
        response = sent(Client(), "PATCH", f"/api/hubs/{hub.pk}", {"notes": "a" * 200}, bearer)
        assert_error(response, 413, "request_too_large")


def test_an_address_over_the_limit_is_414(settings, bearer):
    response = Client().get("/api/hubs", {"q": "a" * settings.API_MAX_URI_LENGTH}, headers=bearer)
    assert_error(response, 414, "uri_too_long")


def test_an_unknown_long_address_is_414_too(settings):
    assert_error(Client().get("/api/" + "x" * settings.API_MAX_URI_LENGTH), 414, "uri_too_long")


@pytest.mark.parametrize("body", [[1], "text", 3, True, None, [{"comment": "x"}]])
def test_a_json_body_that_is_not_an_object_is_422(hub, bearer, body):
    for method, url in [
        ("PATCH", f"/api/hubs/{hub.pk}"),
        ("POST", f"/api/hubs/{hub.pk}/transitions/pause"),
        ("POST", "/api/auth/token"),
    ]:
        response = sent(Client(), method, url, json.dumps(body), bearer)
        errors = assert_error(response, 422, "invalid_input")["errors"]
        assert [(error["field"], error["code"]) for error in errors] == [
            ("__all__", "not_an_object")
        ]
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"


class TestUnsafeRequestsWithoutCredentials:
    """Not the CSRF 403 that a session-less request used to get."""

    @pytest.mark.parametrize(
        ("method", "url"),
        [
            ("POST", "/api/hubs"),
            ("PATCH", "/api/hubs/1"),
            ("POST", "/api/organisations/revalidate"),
            ("DELETE", "/api/auth/tokens/1"),
            ("POST", "/api/hubs/1/transitions/pause"),
        ],
    )
    def test_no_credentials_is_401(self, method, url):
        response = sent(anonymous(), method, url, {})
        assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Bearer"

    @pytest.mark.parametrize("state", ["revoked", "expired"])
    def test_a_dead_token_is_401(self, coordinator, state):
        token = ApiTokenFactory(user=coordinator)
        if state == "revoked":
            token.revoked_at = timezone.now()
        else:
            token.expires_at = timezone.now()
        token.save()
        headers = {"Authorization": f"Bearer {token.raw_token}"}
        response = sent(anonymous(), "POST", "/api/organisations/revalidate", {}, headers)
        assert_error(response, 401, "not_authenticated")

    def test_a_session_still_needs_its_csrf_token(self, coordinator, hub):
        client = Client(enforce_csrf_checks=True)
        client.force_login(coordinator)
        response = sent(client, "PATCH", f"/api/hubs/{hub.pk}", {"notes": "changed"})
        assert_error(response, 403, "csrf_failed")
        assert Hub.objects.get(pk=hub.pk).notes == "kept"

    def test_a_session_with_its_csrf_token_may_write(self, coordinator, hub):
        client = Client(enforce_csrf_checks=True)
        client.force_login(coordinator)
        client.get("/admin/login/")  # any page with a form sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = sent(
            client, "PATCH", f"/api/hubs/{hub.pk}", {"notes": "changed"}, {"X-CSRFToken": token}
        )
        assert response.status_code == 200, response.content
        assert Hub.objects.get(pk=hub.pk).notes == "changed"


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain", ""],
)
def test_a_body_that_is_not_sent_as_json_is_415(content_type):
    # A form without framing reached the sign-in throttle's form parser: a 500, and a sign-in
    # that was not counted.
    user_body = json.dumps({"username": "someone", "password": "wrong"})
    response = anonymous().generic("POST", "/api/auth/token", user_body, content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


class TestFreeTextLimits:
    """Each free-text field has a documented limit (governance/text_limits.py, README)."""

    def field_errors(self, response) -> list[tuple[str, str]]:
        errors = assert_error(response, 422, "invalid_input")["errors"]
        return [(error["field"], error["code"]) for error in errors]

    def test_hub_notes(self, hub, bearer):
        url = f"/api/hubs/{hub.pk}"
        too_long = {"notes": "a" * (NOTE_MAX_LENGTH + 1), "municipality": "Ny"}
        response = sent(Client(), "PATCH", url, too_long, bearer)
        assert self.field_errors(response) == [("notes", "string_too_long")]
        assert Hub.objects.filter(pk=hub.pk, notes="kept").exclude(municipality="Ny").exists()
        at_limit = {"notes": "a" * NOTE_MAX_LENGTH}
        assert sent(Client(), "PATCH", url, at_limit, bearer).status_code == 200

    @pytest.mark.parametrize(
        ("field", "limit", "extra"),
        [
            ("note", NOTE_MAX_LENGTH, {}),
            ("not_applicable_reason", REASON_MAX_LENGTH, {"status": "not_applicable"}),
        ],
    )
    def test_checklist_item_texts(self, hub, bearer, field, limit, extra):
        item = hub.checklist_items.filter(required=False).first()
        url = f"/api/hubs/{hub.pk}/checklist/{item.key}"
        response = sent(Client(), "PATCH", url, {field: "a" * (limit + 1), **extra}, bearer)
        assert self.field_errors(response) == [(field, "string_too_long")]
        item.refresh_from_db()
        assert (item.status, getattr(item, field)) == ("open", "")

    def test_readiness_note(self, hub, bearer):
        body = {"scores": [{"aspect": "premises", "score": 2, "note": "a" * (NOTE_MAX_LENGTH + 1)}]}
        response = sent(Client(), "PUT", f"/api/hubs/{hub.pk}/readiness", body, bearer)
        assert self.field_errors(response) == [("scores.0.note", "string_too_long")]
        assert not hub.readiness_scores.exists()

    def test_transition_comment(self, hub, bearer):
        url = f"/api/hubs/{hub.pk}/transitions/pause"
        response = sent(Client(), "POST", url, {"comment": "a" * (REASON_MAX_LENGTH + 1)}, bearer)
        assert self.field_errors(response) == [("comment", "string_too_long")]
        assert Hub.objects.get(pk=hub.pk).phase == "preparation"

    def test_the_model_refuses_longer_text_too(self, hub):
        item = hub.checklist_items.first()
        item.note = "a" * (NOTE_MAX_LENGTH + 1)
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert set(refused.value.message_dict) == {"note"}


def test_a_field_the_endpoint_does_not_take_is_422_naming_it(hub, bearer, coordinator):
    other = HubFactory()
    for method, url, body, field in [
        (
            "PATCH",
            f"/api/hubs/{hub.pk}",
            {"principal": other.principal_id, "notes": "x"},
            "principal",
        ),
        ("POST", f"/api/hubs/{hub.pk}/transitions/pause", {"comment": "", "by": "x"}, "by"),
        ("POST", "/api/auth/token", {"username": "a", "password": "b", "otp": "1"}, "otp"),
    ]:
        errors = assert_error(sent(Client(), method, url, body, bearer), 422, "invalid_input")
        assert [(error["field"], error["code"]) for error in errors["errors"]] == [
            (field, "extra_forbidden")
        ]
    assert Hub.objects.get(pk=hub.pk).notes == "kept"


def test_null_for_a_text_field_is_422_naming_that_field(hub, bearer):
    item = hub.checklist_items.first()
    organisation = OrganisationFactory()
    for url, field in [
        (f"/api/hubs/{hub.pk}", "notes"),
        (f"/api/hubs/{hub.pk}", "premises_address"),
        (f"/api/hubs/{hub.pk}/checklist/{item.key}", "note"),
        (f"/api/hubs/{hub.pk}/checklist/{item.key}", "evidence_url"),
        (f"/api/organisations/{organisation.pk}", "contact_name"),
    ]:
        errors = assert_error(
            sent(Client(), "PATCH", url, {field: None}, bearer), 422, "invalid_input"
        )
        assert [(error["field"], error["code"]) for error in errors["errors"]] == [(field, "null")]
    assert Hub.objects.get(pk=hub.pk).notes == "kept"


def test_only_an_endpoint_marked_for_uploads_takes_multipart_beyond_the_json_limit(
    settings, hub, coordinator
):
    """``accepts_upload`` (the signed copy) lifts the body limit for its own path and method."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import AgreementFactory

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client()
    client.force_login(coordinator)
    big = {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096)}
    assert client.post(f"/api/hubs/{hub.pk}/checklist/pull", big).status_code == 413
    draft = AgreementFactory(hub=HubFactory(principal=OrganisationFactory()))
    upload = client.post(f"/api/agreements/{draft.pk}/signed-copy", big)
    # Past the kernel's limits: the endpoint itself answers (the form lacks its date).
    assert upload.status_code == 422, upload.content
