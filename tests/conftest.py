"""Shared fixtures: flows run before the request returns; one Prefect test server per session."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
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


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["national_coordinator"])
