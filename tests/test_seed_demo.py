from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django_fsm_log.models import StateLog
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


def test_seed_demo_hubs_are_at_the_stages_the_demo_promises():
    from governance.hubs.models import Hub
    from governance.hubs.phase_time import time_status

    call_command("seed_demo")
    hubs = {hub.name: hub for hub in Hub.objects.all()}
    assert {name: hub.phase for name, hub in hubs.items()} == {
        "Samverket Östersund": "operations",
        "Samverket Stockholm": "operations",
        "Samverket Sundsvall": "preparation",
        "Samverket Luleå": "proposed",
    }
    for name in ("Samverket Östersund", "Samverket Stockholm"):
        history = StateLog.objects.for_(hubs[name]).order_by("timestamp")
        assert [log.state for log in history] == ["preparation", "startup", "operations"]
        assert all(2021 <= log.timestamp.year <= 2023 for log in history)
    sundsvall = hubs["Samverket Sundsvall"]
    items = sundsvall.checklist_items.filter(phase="preparation")
    assert 0 < items.filter(status="done").count() < items.count()
    assert time_status(sundsvall.phase, sundsvall.phase_entered_on, date(2026, 11, 27)) == "at_risk"
