"""Start Prefect flows by name: the one bridge from governance services to the flows.

Services call ``dispatch(name, **ids_and_values)``. It records a ``FlowRun`` row and starts the
flow only after the surrounding transaction commits, so a flow never sees uncommitted data.
``FLOW_MODE=inline`` runs the flow in this process; ``FLOW_MODE=deployment`` asks a Prefect
server to run it on a worker (``manage.py serve_flows`` on any number of machines).
Each app declares its flows on its AppConfig: ``flows = {"name": "module:attribute"}``.
"""

import importlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta
from functools import cache, partial
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_record
from governance.core.registry import declarations, merge_named
from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun
from governance.flowruns.services import (
    flowrun_claim_next_queued,
    flowrun_mark_failed,
    flowrun_mark_handed_over,
    flowrun_postpone_handoff,
    flowrun_recover_lost,
    flowrun_requeue,
    flowrun_waiting_state,
)

logger = logging.getLogger(__name__)

FlowParameter = int | float | str | bool | None | list[int] | list[str]

# Two workers: flows are short and the machines have two cores; more threads only add
# SQLite lock waits and database connections.
_background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="flow")
_background_runs: set[Future] = set()


class UnknownFlowError(ValueError):
    """No flow is registered under this name."""


@cache
def registered_flows() -> dict[str, str]:
    """Every installed app's flows (``AppConfig.flows``): name → ``"module:attribute"``."""
    return merge_named("flow", ((label, flows.items()) for label, flows in declarations("flows")))


@cache
def registered_schedules() -> dict[str, str]:
    """Every installed app's scheduled flows (``AppConfig.schedules``): flow name → cron
    expression in TIME_ZONE. Each names a registered flow that takes ``run_id=None``."""
    schedules = merge_named(
        "schedule", ((label, schedules.items()) for label, schedules in declarations("schedules"))
    )
    from prefect.client.schemas.schedules import CronSchedule

    for name, cron in schedules.items():
        if name not in registered_flows():
            raise ImproperlyConfigured(f"The schedule {name!r} names no registered flow.")
        try:
            CronSchedule(cron=cron, timezone=settings.TIME_ZONE)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"The schedule of {name!r} is no cron expression: {cron!r}"
            ) from error
    return schedules


def load_flow(flow_name: str) -> Any:
    """The Prefect flow object registered under ``flow_name``."""
    try:
        module_name, attribute = registered_flows()[flow_name].split(":")
    except KeyError as error:
        raise UnknownFlowError(flow_name) from error
    return getattr(importlib.import_module(module_name), attribute)


def warm_up_in_background() -> None:
    """Inline mode: import Prefect and the flows in a background thread now (about 4 s here), so
    that the first flow a user starts after the server comes up does not wait for the imports."""
    # Read here, not in the thread, so that a bad declaration stops the start loudly.
    names = list(registered_flows())
    if settings.FLOW_MODE == "deployment":
        return  # the web process only records runs; the workers import the flows
    threading.Thread(
        target=lambda: [load_flow(name) for name in names], name="flow-warm-up", daemon=True
    ).start()


def _check_parameters(parameters: dict[str, Any]) -> None:
    for name, value in parameters.items():
        values = value if isinstance(value, list) else [value]
        if not all(item is None or isinstance(item, int | float | str | bool) for item in values):
            raise TypeError(f"Flow parameter {name!r} must be an id or a plain value.")


def dispatch(
    flow_name: str, *, requested_by: User | None = None, **parameters: FlowParameter
) -> FlowRun:
    """Record a run of ``flow_name``. In deployment mode it is ``queued``, the outbox: the
    dispatcher of the ``serve_flows`` workers hands it to the flow server, so no request waits
    for Prefect. Inline it is ``pending`` and starts here once the transaction commits.
    Answers the stored record."""
    if flow_name not in registered_flows():
        raise UnknownFlowError(flow_name)
    _check_parameters(parameters)
    with transaction.atomic():
        run = FlowRun.objects.create(
            flow_name=flow_name,
            parameters=parameters,
            requested_by=requested_by,
            state=flowrun_waiting_state(),
        )
        audit_record(
            actor=requested_by,
            verb="flow_requested",
            target=run,
            after={"flow_name": flow_name, "parameters": parameters},
        )
        start_after_commit(run.pk)
    # Read back: an inline run may have finished already, and the caller answers what is stored.
    return FlowRun.objects.get(pk=run.pk)


def start_after_commit(run_id: int) -> None:
    """Start a queued run once the current transaction commits (inline mode); in deployment
    mode the dispatcher finds it in the outbox."""
    if settings.FLOW_MODE == "inline":
        transaction.on_commit(partial(_start_inline, run_id))


def requeue(*, run_id: int, actor: User) -> FlowRun:
    """Queue a failed or stuck run again for an operator (audited) and start it like a new one."""
    with transaction.atomic():
        run = flowrun_requeue(run_id=run_id, actor=actor)
        start_after_commit(run.pk)
    return run


def _start_inline(run_id: int) -> None:
    if settings.FLOW_INLINE_IN_BACKGROUND:
        future = _background.submit(_run_in_background, run_id)
        _background_runs.add(future)
        future.add_done_callback(_background_runs.discard)
    else:
        _run_inline(run_id)


def _run_inline(run_id: int) -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    run = FlowRun.objects.get(pk=run_id)
    try:
        flow = load_flow(run.flow_name)
        # Heartbeats detect crashed workers; in-process there is no worker to lose, and joining
        # the heartbeat thread costs about a second per run (bench/flow_overhead.py).
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            flow(run_id=run_id, **run.parameters)
    except Exception as error:
        logger.exception("Flow %s (run %s) failed", run.flow_name, run_id)
        if not FlowRun.objects.filter(pk=run_id, state=FlowRunState.FAILED).exists():
            flowrun_mark_failed(run_id=run_id, error=f"{type(error).__name__}: {error}")


def wait_for_background_runs(timeout: float | None = None) -> None:
    """Block until the flows running in this process's background threads have finished."""
    wait(list(_background_runs), timeout=timeout)


def _run_in_background(run_id: int) -> None:
    close_old_connections()
    try:
        _run_inline(run_id)
    finally:
        close_old_connections()


class FlowServerUnavailableError(Exception):
    """The Prefect server did not answer (stopped, frozen or unreachable)."""


class FlowDispatcher:
    """Hands queued runs to the Prefect server and recovers runs whose worker was lost.

    Every ``serve_flows`` worker runs one in a thread (``run_forever``); any number may run at
    once: each claims a record with ``SELECT … FOR UPDATE SKIP LOCKED`` and Prefect's
    idempotency key makes a repeated hand-off of the same attempt the same Prefect run.
    """

    # Reconciling reads every run in flight from both sides: every few cycles is enough.
    RECONCILE_EVERY_CYCLES = 3

    def __init__(self, *, interval_seconds: float = 1.0, request_timeout_seconds: float = 10.0):
        self.interval_seconds = interval_seconds
        self.request_timeout_seconds = request_timeout_seconds
        self._deployment_ids: dict[str, Any] = {}
        self._cycles = 0

    def run_forever(self, stop: threading.Event) -> None:
        """Cycle until ``stop`` is set; while the server is unreachable, wait 1, 2, 4 … 30 s."""
        failures = 0
        while not stop.is_set():
            try:
                self.run_cycle()
                failures = 0
            except FlowServerUnavailableError as error:
                failures += 1
                logger.warning("Flow server unavailable, runs stay queued: %s", error)
            except Exception:
                failures += 1
                logger.exception("Flow dispatcher cycle failed")
            finally:
                close_old_connections()
            stop.wait(
                min(self.interval_seconds * 2**failures, 30) if failures else self.interval_seconds
            )

    def run_cycle(self) -> None:
        """Hand over what is queued; every few cycles, reconcile what is in flight."""
        from prefect import get_client

        reconcile = self._cycles % self.RECONCILE_EVERY_CYCLES == 0
        self._cycles += 1
        if not reconcile and not _has_due_queued_runs():
            return
        with get_client(
            sync_client=True, httpx_settings={"timeout": self.request_timeout_seconds}
        ) as client:
            self.hand_over_queued_runs(client)
            if reconcile:
                self.reconcile(client)

    def hand_over_queued_runs(self, client: Any, *, at_most: int = 100) -> int:
        """Create a Prefect run for each due queued record; answers how many were handed over.
        A run the server cannot take stays queued with the reason and a growing back-off."""
        handed_over = 0
        unavailable: FlowServerUnavailableError | None = None
        while handed_over < at_most and unavailable is None:
            with transaction.atomic():
                run = flowrun_claim_next_queued()
                if run is None:
                    break
                try:
                    prefect_run = self._create_prefect_run(client, run)
                except _DeploymentMissingError as missing:
                    flowrun_postpone_handoff(run=run, problem=str(missing))
                    continue
                except Exception as error:
                    flowrun_postpone_handoff(
                        run=run,
                        problem=_("Flödesservern tog inte emot körningen: %(error)s")
                        % {"error": f"{type(error).__name__}: {error}"},
                    )
                    unavailable = FlowServerUnavailableError(f"{type(error).__name__}: {error}")
                    continue
                flowrun_mark_handed_over(run=run, prefect_flow_run_id=prefect_run.id)
            handed_over += 1
            logger.info(
                "Run %s (%s) handed to the flow server as %s, attempt %s",
                run.pk,
                run.flow_name,
                run.prefect_flow_run_id,
                run.attempts,
            )
        if unavailable is not None:
            raise unavailable
        return handed_over

    def _create_prefect_run(self, client: Any, run: FlowRun) -> Any:
        from prefect.exceptions import ObjectNotFound

        deployment = f"{load_flow(run.flow_name).name}/{settings.FLOW_DEPLOYMENT_NAME}"
        try:
            if deployment not in self._deployment_ids:
                self._deployment_ids[deployment] = client.read_deployment_by_name(deployment).id
            return client.create_flow_run_from_deployment(
                self._deployment_ids[deployment],
                parameters={"run_id": run.pk, **run.parameters},
                # The same attempt of the same record is the same Prefect run, even if a
                # timed-out hand-off reached the server; queued_at tells apart databases
                # (tests, environments) that reuse record ids on one server.
                idempotency_key=f"{deployment}:{run.pk}:{run.queued_at.isoformat()}:"
                f"{run.attempts + 1}",
            )
        except ObjectNotFound as error:
            self._deployment_ids.pop(deployment, None)
            raise _DeploymentMissingError(
                _(
                    "Ingen arbetare har registrerat flödet %(deployment)s hos flödesservern; "
                    "körningen väntar på en (manage.py serve_flows)."
                )
                % {"deployment": deployment}
            ) from error

    def reconcile(self, client: Any) -> None:
        """Compare the runs in flight with Prefect's states: a run whose worker was lost
        (Crashed, e.g. by the missing-heartbeat automation; taken but not started within
        FLOW_PICKUP_TIMEOUT_SECONDS; unknown to the server) is queued again or, after
        FLOW_MAX_ATTEMPTS, failed; one Prefect failed or cancelled is failed."""
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
        from prefect.client.schemas.objects import StateType
        from prefect.states import Crashed

        in_flight = dict(
            FlowRun.objects.filter(
                state__in=[FlowRunState.PENDING, FlowRunState.RUNNING],
                prefect_flow_run_id__isnull=False,
            ).values_list("prefect_flow_run_id", "pk")
        )
        if not in_flight:
            return
        prefect_runs = {
            prefect_run.id: prefect_run
            for prefect_run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(in_flight))),
                limit=len(in_flight),
            )
        }
        now = timezone.now()
        for prefect_id, run_id in in_flight.items():
            prefect_run = prefect_runs.get(prefect_id)
            verdict = judge_prefect_run(
                state_type=prefect_run.state.type.value
                if prefect_run and prefect_run.state
                else None,
                state_message=(prefect_run.state.message or "")
                if prefect_run and prefect_run.state
                else "",
                seconds_in_state=(now - prefect_run.state.timestamp).total_seconds()
                if prefect_run and prefect_run.state
                else 0.0,
                exists=prefect_run is not None,
            )
            if verdict is None:
                continue
            if prefect_run is not None and prefect_run.state.type == StateType.PENDING:
                # The worker that took it is gone; end that Prefect run so that it cannot
                # start late next to the new attempt.
                client.set_flow_run_state(prefect_id, Crashed(message=verdict.reason), force=True)
            if verdict.lost:
                run = flowrun_recover_lost(
                    run_id=run_id, prefect_flow_run_id=prefect_id, reason=verdict.reason
                )
                logger.warning("Run %s: %s Now %s.", run_id, verdict.reason, run.state)
            else:
                flowrun_mark_failed(
                    run_id=run_id, error=verdict.reason, prefect_flow_run_id=prefect_id
                )
                logger.warning("Run %s failed on the flow server: %s", run_id, verdict.reason)


class _DeploymentMissingError(Exception):
    """No worker has registered the flow's deployment with the server (yet)."""


class Verdict(NamedTuple):
    """What reconciliation concludes about a run in flight: lost with its worker (queue it
    again) or failed on the flow server, with the reason in words."""

    lost: bool
    reason: str


def judge_prefect_run(
    *, state_type: str | None, state_message: str, seconds_in_state: float, exists: bool
) -> Verdict | None:
    """Reconciliation's rules, on Prefect's view of one run the platform has in flight;
    None while the run is waiting for a worker, running, or just finished."""
    if not exists:
        return Verdict(True, _("Flödesservern känner inte längre till körningen."))
    if state_type == "CRASHED":
        return Verdict(
            True,
            _("Arbetaren som körde flödet förlorades (flödesservern: %(message)s).")
            % {"message": state_message or "Crashed"},
        )
    if state_type == "PENDING" and seconds_in_state > settings.FLOW_PICKUP_TIMEOUT_SECONDS:
        return Verdict(
            True,
            _("En arbetare tog körningen men startade den inte inom %(seconds)d sekunder.")
            % {"seconds": settings.FLOW_PICKUP_TIMEOUT_SECONDS},
        )
    if state_type in {"FAILED", "CANCELLED"} and seconds_in_state > _HOOK_GRACE_SECONDS:
        return Verdict(
            False,
            _("Flödet avslutades som %(state)s på flödesservern: %(message)s")
            % {"state": state_type.lower(), "message": state_message},
        )
    return None


# A failed flow records its own error (its on_failure hook) right after Prefect's state
# changes; reconciliation gives it this long before writing Prefect's message instead.
_HOOK_GRACE_SECONDS = 30


def _has_due_queued_runs() -> bool:
    return (
        FlowRun.objects.filter(state=FlowRunState.QUEUED)
        .exclude(next_handoff_at__gt=timezone.now())
        .exists()
    )


ZOMBIE_AUTOMATION_NAME = "Samverket: crash flow runs that stopped sending heartbeats"
# Prefect's minimum; a deployed run that misses this many heartbeats in a row is Crashed.
FLOW_HEARTBEAT_SECONDS = 30
MISSED_HEARTBEATS_BEFORE_CRASH = 3


def ensure_zombie_automation() -> None:
    """Prefect's documented detection of flow runs whose worker died while running
    (docs: "detect zombie flows"): an automation that marks a run Crashed when its heartbeats
    stop; reconciliation then queues it again. Created once per Prefect server."""
    from prefect import get_client
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    with get_client(sync_client=True) as client:
        if client.read_automations_by_name(ZOMBIE_AUTOMATION_NAME):
            return
    created = Automation(
        name=ZOMBIE_AUTOMATION_NAME,
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={
                "prefect.flow-run.heartbeat",
                "prefect.flow-run.Completed",
                "prefect.flow-run.Failed",
                "prefect.flow-run.Cancelled",
                "prefect.flow-run.Crashed",
            },
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=FLOW_HEARTBEAT_SECONDS * MISSED_HEARTBEATS_BEFORE_CRASH),
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message="Flow run marked as crashed: its heartbeats stopped.",
            )
        ],
    ).create()
    # Workers starting together may each have created one: each deletes its own unless it is
    # the first by id, so that exactly one remains.
    with get_client(sync_client=True) as client:
        twins = sorted(client.read_automations_by_name(ZOMBIE_AUTOMATION_NAME), key=_by_id)
        for twin in twins[1:]:
            if twin.id == created.id:
                client.delete_automation(twin.id)


def _by_id(automation: Any) -> str:
    return str(automation.id)


def flow_deployments(*, schedules_only: bool = False) -> list[Any]:
    """A deployment named after FLOW_ENVIRONMENT for every registered flow (or only the
    scheduled ones), those with a schedule carrying its cron in TIME_ZONE."""
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments.runner import EntrypointType

    schedules = registered_schedules()
    return [
        load_flow(name).to_deployment(
            name=settings.FLOW_DEPLOYMENT_NAME,
            # Imported as a module, not run as a script: the package `flows` sets Django up
            # before any flow module imports a model.
            entrypoint_type=EntrypointType.MODULE_PATH,
            schedule=(
                CronSchedule(cron=schedules[name], timezone=settings.TIME_ZONE)
                if name in schedules
                else None
            ),
        )
        for name in registered_flows()
        if name in schedules or not schedules_only
    ]


def serve_flows(*, limit: int, poll_seconds: float, schedules_only: bool = False) -> None:
    """Serve the registered flows as deployments (blocks), at most ``limit`` runs at once,
    asking the server for work every ``poll_seconds``; start the runner again if an outage of
    the server stops it. Prefect's scheduler creates each scheduled run once, however many
    workers serve its deployment."""
    import time

    from prefect import serve

    while True:
        try:
            ensure_zombie_automation()
            serve(
                *flow_deployments(schedules_only=schedules_only),
                limit=limit,
                query_seconds=poll_seconds,
                heartbeat_seconds=FLOW_HEARTBEAT_SECONDS,
                print_starting_message=False,
            )
            return
        except Exception:
            logger.exception("The flow runner stopped; starting it again in 5 s")
            time.sleep(5)
