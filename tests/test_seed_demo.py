import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from stdnum.se import orgnr

from governance.organisations.models import Organisation

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "coordinator",
    "principal",
    "team",
    "cm",
    "owner1",
    "owner2",
    "owner3",
    "board1",
    "board2",
]


def _snapshot() -> dict[str, list]:
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes"}
    }


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_users_sign_in_and_organisations_are_valid():
    call_command("seed_demo")
    for username in DEMO_USERS:
        assert authenticate(username=username, password="samverket-demo") is not None
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert len(numbers) >= 12
    assert all(orgnr.is_valid(number) for number in numbers)
