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
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import close_old_connections, transaction

from governance.audit.services import audit_record
from governance.core.registry import declarations, merge_named
from governance.flowruns.choices import FlowRunState
from governance.flowruns.models import FlowRun
from governance.flowruns.services import flowrun_mark_failed

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


def load_flow(flow_name: str) -> Any:
    """The Prefect flow object registered under ``flow_name``."""
    try:
        module_name, attribute = registered_flows()[flow_name].split(":")
    except KeyError as error:
        raise UnknownFlowError(flow_name) from error
    return getattr(importlib.import_module(module_name), attribute)


def warm_up_in_background() -> None:
    """Import Prefect and the flows in a background thread now (about 4 s here), so that the
    first flow a user starts after the server comes up does not wait for the imports."""
    # Read here, not in the thread, so that a bad declaration stops the start loudly.
    names = list(registered_flows())
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
    """Record a run of ``flow_name`` and start it once the current transaction commits."""
    if flow_name not in registered_flows():
        raise UnknownFlowError(flow_name)
    _check_parameters(parameters)
    with transaction.atomic():
        run = FlowRun.objects.create(
            flow_name=flow_name, parameters=parameters, requested_by=requested_by
        )
        audit_record(
            actor=requested_by,
            verb="flow_requested",
            target=run,
            after={"flow_name": flow_name, "parameters": parameters},
        )
        transaction.on_commit(partial(_start, run.pk))
    return run


def _start(run_id: int) -> None:
    if settings.FLOW_MODE == "deployment":
        _start_on_server(run_id)
    elif settings.FLOW_INLINE_IN_BACKGROUND:
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


def _start_on_server(run_id: int) -> None:
    from prefect.deployments import run_deployment

    run = FlowRun.objects.get(pk=run_id)
    deployment = f"{load_flow(run.flow_name).name}/{settings.FLOW_DEPLOYMENT_SUFFIX}"
    try:
        prefect_run = run_deployment(
            name=deployment, parameters={"run_id": run_id, **run.parameters}, timeout=0
        )
    except Exception as error:
        logger.exception("Could not hand flow %s (run %s) to Prefect", run.flow_name, run_id)
        flowrun_mark_failed(
            run_id=run_id,
            error=f"Deployment {deployment!r} could not be started: "
            f"{type(error).__name__}: {error}",
        )
        return
    FlowRun.objects.filter(pk=run_id).update(prefect_flow_run_id=prefect_run.id)


def serve_flows() -> None:
    """Serve every registered flow as a deployment of the Prefect server (blocks)."""
    from prefect import serve

    serve(
        *(
            load_flow(name).to_deployment(name=settings.FLOW_DEPLOYMENT_SUFFIX)
            for name in registered_flows()
        )
    )
