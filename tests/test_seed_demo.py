from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django_fsm_log.models import StateLog
from stdnum.se import orgnr

from governance.organisations.models import Organisation, RoleAssignment
from tests.factories import sign_in_request

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "coordinator",
    "principal",
    "team",
    "cm",
    "cm_stockholm",
    "cm_linkoping",
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


def _hubs() -> dict:
    from governance.hubs.models import Hub

    return {hub.name: hub for hub in Hub.objects.select_related("principal")}


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_users_sign_in_and_organisations_are_valid():
    call_command("seed_demo")
    for username in DEMO_USERS:
        user = authenticate(sign_in_request(), username=username, password="samverket-demo")
        assert user is not None, username
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert len(numbers) >= 12
    assert all(orgnr.is_valid(number) for number in numbers)


def test_seed_demo_coordinator_is_staff_and_opens_the_admin(client):
    call_command("seed_demo")
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.is_staff
    assert not User.objects.filter(is_staff=True).exclude(username="coordinator").exists()
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/hubs/hub/").status_code == 200


def test_seed_demo_makes_a_staff_coordinator_of_an_earlier_seeding():
    call_command("seed_demo")
    User.objects.filter(username="coordinator").update(is_staff=False)
    call_command("seed_demo")
    assert User.objects.get(username="coordinator").is_staff


def test_seed_demo_hubs_are_at_the_stages_the_demo_promises():
    from governance.hubs.phase_time import time_status

    call_command("seed_demo")
    hubs = _hubs()
    assert {name: hub.phase for name, hub in hubs.items()} == {
        "Samverket Östersund": "operations",
        "Samverket Stockholm": "closed",
        "Samverket Sundsvall": "preparation",
        "Samverket Luleå": "proposed",
        "Samverket Linköping": "startup",
    }
    sundsvall = hubs["Samverket Sundsvall"]
    items = sundsvall.checklist_items.filter(phase="preparation")
    assert 0 < items.filter(status="done").count() < items.count()
    assert time_status(sundsvall.phase, sundsvall.phase_entered_on, date(2026, 11, 27)) == "at_risk"
    linkoping = hubs["Samverket Linköping"]
    items = linkoping.checklist_items.filter(phase="startup")
    assert 0 < items.filter(status="done").count() < items.count()
    assert not linkoping.checklist_items.filter(phase="preparation", status="open", required=True)


def test_seed_demo_pilot_hubs_have_the_pilots_history():
    call_command("seed_demo")
    hubs = _hubs()
    ostersund, stockholm = hubs["Samverket Östersund"], hubs["Samverket Stockholm"]
    history = {
        name: [
            (log.state, log.timestamp.date()) for log in StateLog.objects.for_(hub).order_by("pk")
        ]
        for name, hub in (("Östersund", ostersund), ("Stockholm", stockholm))
    }
    # Project start 1 June 2021, opened late autumn 2021, the pilot ended 31 May 2023.
    assert history == {
        "Östersund": [
            ("preparation", date(2021, 6, 1)),
            ("startup", date(2021, 11, 15)),
            ("operations", date(2023, 6, 1)),
        ],
        "Stockholm": [
            ("preparation", date(2021, 6, 1)),
            ("startup", date(2021, 11, 15)),
            ("closed", date(2023, 6, 1)),
        ],
    }
    assert stockholm.closed_on == date(2023, 6, 1)
    assert stockholm.startup_started_on == date(2021, 11, 15)
    assert stockholm.checklist_items.filter(phase="startup", status="done").exists()


def test_seed_demo_principals_and_their_community_managers():
    call_command("seed_demo")
    hubs = _hubs()
    principals = {name: hub.principal.name if hub.principal else None for name, hub in hubs.items()}
    assert principals == {
        "Samverket Östersund": "Länsstyrelsen i Jämtlands län",
        "Samverket Stockholm": "Vasakronan AB",
        "Samverket Sundsvall": None,
        "Samverket Luleå": None,
        "Samverket Linköping": "Linköpings kommun",
    }
    managers = {
        assignment.hub.name: (assignment.user.username, assignment.user.person.organisation_id)
        for assignment in RoleAssignment.objects.filter(role="community_manager").select_related(
            "hub", "user__person"
        )
    }
    # Each hub has its own community manager, employed by its principal (as in the pilot).
    assert managers == {
        name: (username, hubs[name].principal_id)
        for name, username in [
            ("Samverket Östersund", "cm"),
            ("Samverket Stockholm", "cm_stockholm"),
            ("Samverket Linköping", "cm_linkoping"),
        ]
    }


def test_seed_demo_readiness_follows_the_playbook():
    call_command("seed_demo")
    hubs = _hubs()
    scores = {
        name: {row.aspect: row.score for row in hub.readiness_scores.all()}
        for name, hub in hubs.items()
    }
    # Stockholm had no history of relationships between top managements: "betydligt mycket
    # svårare att förankra" (playbook, "Affärsmodell"); in Östersund the agencies' network did.
    assert scores["Samverket Stockholm"]["relationships"] == 0
    assert scores["Samverket Östersund"]["relationships"] == 3
    assert scores["Samverket Luleå"] == {}
    assert all(len(aspects) == 4 for name, aspects in scores.items() if name != "Samverket Luleå")
