"""The admin's flow runs: stuck runs filtered and flagged, failed or stuck runs queued again by
the coordinator (audited), by no one else."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:flowruns_flowrun_changelist"


@pytest.fixture
def runs(settings):
    settings.FLOW_MODE = "deployment"  # queued again, a run waits for the dispatcher
    settings.FLOW_STUCK_AFTER_SECONDS = 60
    stuck = FlowRun.objects.create(flow_name="revalidate_org_numbers", state="pending")
    FlowRun.objects.filter(pk=stuck.pk).update(queued_at=timezone.now() - timedelta(hours=1))
    return {
        "stuck": stuck,
        "failed": FlowRun.objects.create(
            flow_name="revalidate_org_numbers", state="failed", error="Gav upp efter 3 försök."
        ),
        "completed": FlowRun.objects.create(flow_name="revalidate_org_numbers", state="completed"),
        "fresh": FlowRun.objects.create(flow_name="revalidate_org_numbers"),
    }


def test_the_stuck_filter_lists_only_runs_waiting_too_long(client, runs):
    client.force_login(UserFactory(roles=["national_coordinator"], is_staff=True))
    page = client.get(reverse(CHANGELIST), {"stuck": "yes"})
    assert page.status_code == 200
    assert [run.pk for run in page.context["cl"].result_list] == [runs["stuck"].pk]
    assert len(client.get(reverse(CHANGELIST), {"stuck": "no"}).context["cl"].result_list) == 3


def test_the_coordinator_queues_failed_and_stuck_runs_again(client, runs):
    coordinator = UserFactory(roles=["national_coordinator"], is_staff=True)
    client.force_login(coordinator)

    answer = client.post(
        reverse(CHANGELIST),
        {"action": "requeue", "_selected_action": [run.pk for run in runs.values()]},
        follow=True,
    )

    assert answer.status_code == 200
    states = {name: FlowRun.objects.get(pk=run.pk).state for name, run in runs.items()}
    assert states == {
        "stuck": "queued",
        "failed": "queued",
        "completed": "completed",
        "fresh": "queued",  # it was queued already and not stuck: left as it was
    }
    entries = AuditEntry.objects.filter(verb="flow_requeued")
    assert {(entry.actor, entry.object_id) for entry in entries} == {
        (coordinator, str(runs["stuck"].pk)),
        (coordinator, str(runs["failed"].pk)),
    }
    messages = [str(message) for message in answer.context["messages"]]
    assert "2 körningar köades om." in messages


def test_others_cannot_queue_runs_again(client, runs):
    client.force_login(UserFactory(is_staff=True))
    answer = client.post(
        reverse(CHANGELIST), {"action": "requeue", "_selected_action": [runs["failed"].pk]}
    )
    assert answer.status_code == 403
    assert FlowRun.objects.get(pk=runs["failed"].pk).state == "failed"


def test_an_environment_name_that_cannot_name_a_deployment_stops_the_start():
    started = subprocess.run(
        [sys.executable, "-c", "import governance.settings"],
        env={"FLOW_ENVIRONMENT": "Production 2", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "FLOW_ENVIRONMENT must be lower-case letters, digits and hyphens" in started.stderr
