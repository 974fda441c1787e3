"""Guessing passwords: failed sign-ins are counted per username and per address, on the token
endpoint and the sign-in page alike; past the limit both answer 429 with Retry-After."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from governance.audit.models import AuditEntry
from governance.organisations.models import ApiToken
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def token_request(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/api/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def page_sign_in(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/", {"username": username, "password": password}
    )


def wait_out_the_lockout(settings) -> None:
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )


def test_the_sixth_wrong_password_is_429_and_the_right_one_works_after_the_window(settings):
    assert settings.SIGN_IN_FAILURES_ALLOWED == 5
    user = UserFactory()
    for _ in range(5):
        assert token_request(user.username, "wrong").status_code == 401

    locked = token_request(user.username, "wrong")
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_attempts"
    retry_after = int(locked["Retry-After"])
    assert retry_after == settings.AXES_COOLOFF_TIME.total_seconds()
    assert locked.json()["retry_after_seconds"] == retry_after
    # Locked out, even the right password is refused: guessing cannot continue.
    assert token_request(user.username, PASSWORD).status_code == 429
    assert not ApiToken.objects.exists()

    wait_out_the_lockout(settings)
    assert token_request(user.username, PASSWORD).status_code == 200


def test_a_username_is_locked_from_every_address():
    user = UserFactory()
    for attempt in range(6):
        token_request(user.username, "wrong", address=f"10.0.1.{attempt}")
    assert token_request(user.username, PASSWORD, address="10.0.2.1").status_code == 429


def test_an_address_is_locked_for_every_username():
    users = UserFactory.create_batch(7)
    for user in users[:5]:
        assert token_request(user.username, "wrong", address="10.0.3.1").status_code == 401
    assert token_request(users[5].username, "wrong", address="10.0.3.1").status_code == 429
    assert token_request(users[6].username, PASSWORD, address="10.0.3.1").status_code == 429
    assert token_request(users[6].username, PASSWORD, address="10.0.3.2").status_code == 200


def test_the_sign_in_page_and_the_token_endpoint_share_the_count(settings):
    user = UserFactory(is_staff=True)
    for _ in range(3):
        token_request(user.username, "wrong")
    for _ in range(2):
        assert page_sign_in(user.username, "wrong").status_code == 200  # the form again

    locked = page_sign_in(user.username, "wrong")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("text/html")
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert page_sign_in(user.username, PASSWORD).status_code == 429


def test_a_success_clears_the_usernames_count():
    user = UserFactory()
    for _ in range(5):
        token_request(user.username, "wrong", address="10.0.4.1")
    assert token_request(user.username, PASSWORD, address="10.0.4.2").status_code == 200
    for _ in range(5):
        assert token_request(user.username, "wrong", address="10.0.4.3").status_code == 401


def test_the_limits_are_settings(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    assert token_request(user.username, "wrong").status_code == 401
    assert token_request(user.username, "wrong").status_code == 401
    assert token_request(user.username, "wrong").status_code == 429


class TestTokens:
    def test_a_token_answer_is_never_cached(self):
        response = token_request(UserFactory().username, PASSWORD)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"

    def test_beyond_the_limit_the_oldest_live_tokens_are_revoked(self, settings):
        settings.API_MAX_LIVE_TOKENS = 3
        user = UserFactory()
        issued = [token_request(user.username, PASSWORD).json() for _ in range(5)]

        live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        assert sorted(live.values_list("pk", flat=True)) == [token["id"] for token in issued[2:]]
        for old in issued[:2]:
            headers = {"Authorization": f"Bearer {old['token']}"}
            assert Client().get("/api/me", headers=headers).status_code == 401
        newest = {"Authorization": f"Bearer {issued[-1]['token']}"}
        assert Client().get("/api/me", headers=newest).status_code == 200
        revoked = AuditEntry.objects.filter(verb="token_revoked").order_by("pk")
        assert [entry.details["reason"] for entry in revoked] == ["live_token_limit"] * 2

    def test_expired_and_revoked_tokens_do_not_count(self, settings):
        settings.API_MAX_LIVE_TOKENS = 2
        user = UserFactory()
        first = token_request(user.username, PASSWORD).json()
        ApiToken.objects.filter(pk=first["id"]).update(expires_at=timezone.now())
        second = token_request(user.username, PASSWORD).json()
        third = token_request(user.username, PASSWORD).json()
        live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        assert set(live.values_list("pk", flat=True)) == {first["id"], second["id"], third["id"]}
