"""The dispatcher of the serve_flows workers, against a stand-in for the Prefect client: it
hands queued runs over, keeps them queued through an outage, and recovers runs whose worker
was lost. (tests/flows/test_deployment_mode.py and test_topology_e2e.py use a real server.)"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone
from prefect.client.schemas.objects import StateType

from governance.flowruns.models import FlowRun
from governance.workflows import (
    FlowDispatcher,
    FlowServerUnavailableError,
    dispatch,
    judge_prefect_run,
    registered_flows,
    serve_flows,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class StandInPrefectClient:
    """Answers like the parts of Prefect's sync client the dispatcher uses."""

    def __init__(self, *, reachable: bool = True) -> None:
        self.reachable = reachable
        self.created: list[dict] = []
        self.runs: dict[uuid.UUID, SimpleNamespace] = {}
        self.forced: list[tuple[uuid.UUID, str]] = []

    def read_deployment_by_name(self, name: str) -> SimpleNamespace:
        self._answer()
        return SimpleNamespace(id=uuid.uuid5(uuid.NAMESPACE_DNS, name))

    def create_flow_run_from_deployment(self, deployment_id, *, parameters, idempotency_key):
        self._answer()
        self.created.append({"parameters": parameters, "idempotency_key": idempotency_key})
        prefect_run = SimpleNamespace(id=uuid.uuid4(), state=_state(StateType.SCHEDULED))
        self.runs[prefect_run.id] = prefect_run
        return prefect_run

    def read_flow_runs(self, *, flow_run_filter, limit):
        self._answer()
        wanted = flow_run_filter.id.any_
        return [self.runs[prefect_id] for prefect_id in wanted if prefect_id in self.runs]

    def set_flow_run_state(self, flow_run_id, state, force=False):
        self._answer()
        self.forced.append((flow_run_id, state.type.value))
        self.runs[flow_run_id].state = _state(state.type)

    def _answer(self) -> None:
        if not self.reachable:
            raise httpx.ConnectError("Connection refused")


def _state(state_type: StateType, *, seconds_ago: float = 0, message: str = ""):
    return SimpleNamespace(
        type=state_type,
        message=message,
        timestamp=timezone.now() - timedelta(seconds=seconds_ago),
    )


@pytest.fixture
def deployment_mode(settings):
    settings.FLOW_MODE = "deployment"


@pytest.mark.usefixtures("deployment_mode")
def test_the_request_only_records_the_run(monkeypatch, coordinator, api_client):
    def no_prefect(*args, **kwargs):
        raise AssertionError("the request called the Prefect server")

    monkeypatch.setattr("prefect.get_client", no_prefect)
    OrganisationFactory()

    accepted = api_client(coordinator).post("/api/organisations/revalidate")

    assert accepted.status_code == 202
    stored = api_client(coordinator).get(f"/api/flow-runs/{accepted.json()['id']}").json()
    assert accepted.json() == stored
    assert (stored["state"], stored["state_display"]) == ("queued", "I kö, väntar på flödesservern")
    assert (stored["attempts"], stored["stuck"]) == (0, False)


@pytest.mark.usefixtures("deployment_mode")
def test_the_dispatcher_hands_queued_runs_over_once_each():
    runs = [dispatch("revalidate_org_numbers") for _ in range(3)]
    client = StandInPrefectClient()

    assert FlowDispatcher().hand_over_queued_runs(client) == 3
    assert FlowDispatcher().hand_over_queued_runs(client) == 0

    assert [call["parameters"] for call in client.created] == [{"run_id": r.pk} for r in runs]
    keys = {call["idempotency_key"] for call in client.created}
    assert len(keys) == 3
    assert all(key.startswith("revalidate-org-numbers/governance-development:") for key in keys)
    assert set(FlowRun.objects.values_list("state", "attempts")) == {("pending", 1)}


@pytest.mark.usefixtures("deployment_mode")
def test_an_unreachable_server_leaves_the_run_queued_with_the_reason():
    run = dispatch("revalidate_org_numbers")

    with pytest.raises(FlowServerUnavailableError):
        FlowDispatcher().hand_over_queued_runs(StandInPrefectClient(reachable=False))

    run.refresh_from_db()
    assert run.state == "queued"
    assert "Connection refused" in run.last_problem
    assert run.handoff_failures == 1
    # Back-off: not tried again at once, but after it has passed.
    assert FlowDispatcher().hand_over_queued_runs(StandInPrefectClient()) == 0
    FlowRun.objects.filter(pk=run.pk).update(next_handoff_at=timezone.now())
    assert FlowDispatcher().hand_over_queued_runs(StandInPrefectClient()) == 1
    run.refresh_from_db()
    assert (run.state, run.handoff_failures, run.next_handoff_at) == ("pending", 0, None)


@pytest.mark.usefixtures("deployment_mode")
def test_a_run_taken_but_never_started_is_crashed_on_the_server_and_queued_again(settings):
    settings.FLOW_PICKUP_TIMEOUT_SECONDS = 60
    run = dispatch("revalidate_org_numbers")
    client = StandInPrefectClient()
    FlowDispatcher().hand_over_queued_runs(client)
    run.refresh_from_db()
    lost = run.prefect_flow_run_id
    client.runs[lost].state = _state(StateType.PENDING, seconds_ago=59)
    FlowDispatcher().reconcile(client)
    assert FlowRun.objects.get(pk=run.pk).state == "pending"  # still within the bound

    client.runs[lost].state = _state(StateType.PENDING, seconds_ago=61)
    FlowDispatcher().reconcile(client)

    run.refresh_from_db()
    assert client.forced == [(lost, "CRASHED")]  # the lost attempt cannot start late
    assert (run.state, run.prefect_flow_run_id) == ("queued", None)
    assert "inom 60 sekunder" in run.last_problem
    FlowDispatcher().hand_over_queued_runs(client)
    run.refresh_from_db()
    assert (run.state, run.attempts) == ("pending", 2)
    assert run.prefect_flow_run_id != lost


@pytest.mark.usefixtures("deployment_mode")
def test_a_crashed_run_is_retried_up_to_the_maximum_then_failed_with_the_reason(settings):
    settings.FLOW_MAX_ATTEMPTS = 2
    run = dispatch("revalidate_org_numbers")
    client = StandInPrefectClient()
    for _ in range(2):
        FlowDispatcher().hand_over_queued_runs(client)
        run.refresh_from_db()
        client.runs[run.prefect_flow_run_id].state = _state(
            StateType.CRASHED, message="heartbeats stopped"
        )
        FlowDispatcher().reconcile(client)

    run.refresh_from_db()
    assert run.state == "failed"
    assert run.error.startswith("Gav upp efter 2 försök. Arbetaren som körde flödet förlorades")
    assert "heartbeats stopped" in run.error


@pytest.mark.usefixtures("deployment_mode")
def test_a_run_the_server_no_longer_knows_is_queued_again():
    run = dispatch("revalidate_org_numbers")
    client = StandInPrefectClient()
    FlowDispatcher().hand_over_queued_runs(client)
    client.runs.clear()

    FlowDispatcher().reconcile(client)

    run.refresh_from_db()
    assert run.state == "queued"
    assert run.last_problem == "Flödesservern känner inte längre till körningen."


@pytest.mark.parametrize(
    ("state_type", "seconds", "expected"),
    [
        ("SCHEDULED", 3600, None),  # waiting for a worker: flagged stuck, not lost
        ("RUNNING", 3600, None),  # heartbeats decide (the zombie automation)
        ("COMPLETED", 0, None),
        ("PENDING", 10, None),
        ("PENDING", 61, True),
        ("CRASHED", 0, True),
        ("FAILED", 5, None),  # the flow's own hook records its error first
        ("FAILED", 31, False),
        ("CANCELLED", 31, False),
    ],
)
def test_reconciliation_rules(settings, state_type, seconds, expected):
    settings.FLOW_PICKUP_TIMEOUT_SECONDS = 60
    verdict = judge_prefect_run(
        state_type=state_type, state_message="", seconds_in_state=seconds, exists=True
    )
    assert (verdict.lost if verdict else None) == expected


def test_serve_flows_takes_a_limit_per_worker_and_polls_every_second(monkeypatch):
    served = {}
    monkeypatch.setattr(
        "governance.core.management.commands.serve_flows.serve_flows",
        lambda **options: served.update(options),
    )
    monkeypatch.setattr("governance.workflows.FlowDispatcher.run_forever", lambda self, stop: None)
    monkeypatch.setattr("os.cpu_count", lambda: 6)

    call_command("serve_flows")
    assert served == {"limit": 6, "poll_seconds": 1.0}
    call_command("serve_flows", "--limit", "2", "--poll-seconds", "0.5")
    assert served == {"limit": 2, "poll_seconds": 0.5}


def test_a_worker_serves_only_its_environments_deployments(settings, monkeypatch):
    settings.FLOW_DEPLOYMENT_NAME = "governance-staging"
    served = []
    monkeypatch.setattr("governance.workflows.ensure_zombie_automation", lambda: None)
    monkeypatch.setattr(
        "prefect.serve", lambda *deployments, **options: served.append((deployments, options))
    )

    serve_flows(limit=3, poll_seconds=1.0)

    [(deployments, options)] = served
    # One deployment per registered flow, every one named for this environment only.
    assert len(deployments) == len(registered_flows())
    assert {deployment.name for deployment in deployments} == {"governance-staging"}
    assert (options["limit"], options["query_seconds"]) == (3, 1.0)
    assert options["heartbeat_seconds"] == 30  # heartbeats on: lost workers are detected


def test_an_inline_run_is_never_handed_to_a_dispatcher_sharing_the_database(monkeypatch):
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    run = dispatch("revalidate_org_numbers")  # inline, as configured for the tests

    assert run.state == "pending"  # this process runs it
    assert FlowDispatcher().hand_over_queued_runs(StandInPrefectClient()) == 0
