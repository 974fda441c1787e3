"""Shared fixtures: flows run before the request returns; one Prefect test server per session;
test clients of the API signed in as a given user."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from tests.factories import ApiTokenFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Generated documents and uploaded files go to a folder of the test's own, not var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FLOW_MODE = "inline"
    settings.FLOW_INLINE_IN_BACKGROUND = False
    # PBKDF2 is slow on purpose; the permission matrices create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect server for tests that run real flows (about 9 s, once)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def client_for():
    """A test client signed in (session) as the given user, or anonymous for None."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


class ApiClient:
    """Calls the API as one user (or anonymously) with JSON bodies; returns the responses."""

    _NO_BODY: Any = object()

    def __init__(self, user: User | None = None, *, token: bool = False) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None and token:
            self.headers["Authorization"] = f"Bearer {ApiTokenFactory(user=user).raw_token}"
        elif user is not None:
            self.client.force_login(user)

    def get(self, url: str, query: dict[str, Any] | None = None) -> HttpResponse:
        return self.client.get(url, query, headers=self.headers)

    def post(self, url: str, body: Any = _NO_BODY) -> HttpResponse:
        return self._send("POST", url, body)

    def patch(self, url: str, body: Any) -> HttpResponse:
        return self._send("PATCH", url, body)

    def put(self, url: str, body: Any) -> HttpResponse:
        return self._send("PUT", url, body)

    def delete(self, url: str) -> HttpResponse:
        return self._send("DELETE", url)

    def _send(self, method: str, url: str, body: Any = _NO_BODY) -> HttpResponse:
        if body is self._NO_BODY:
            return self.client.generic(method, url, headers=self.headers)
        data = json.dumps(body)
        return self.client.generic(
            method, url, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_client():
    """``api_client(user)``: a client of the API signed in as ``user`` with the session, or
    with a bearer token of theirs if ``token=True``; anonymous for None."""
    return ApiClient


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["national_coordinator"])
