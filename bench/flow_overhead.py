"""Prefect's cost per flow run, as a ratio to calling the same function directly.

Prints, from one run in a fresh process on a throw-away SQLite database:
- the first flow run's start-up (Prefect's temporary server starting), in seconds;
- the median time of a flow run with heartbeats off (as FLOW_MODE=inline runs them) and on,
  each divided by the median time of calling the flow's service function directly;
- what a request pays: ``dispatch()`` handing the run to the background thread (the default
  for FLOW_MODE=inline), divided by the same direct call.

Usage: .venv/bin/python bench/flow_overhead.py [--runs 15] [--organisations 200]
"""

import argparse
import statistics
import time

from throwaway import org_number, start_throwaway_django

start_throwaway_django("bench-flow-")

from governance.flowruns.models import FlowRun  # noqa: E402
from governance.organisations.models import Organisation  # noqa: E402
from governance.organisations.selectors import organisation_invalid_org_numbers  # noqa: E402
from governance.workflows import dispatch, wait_for_background_runs  # noqa: E402


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _flow_run(flow, *, heartbeats: bool) -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    run = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    overrides = {} if heartbeats else {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    with temporary_settings(overrides):
        flow(run_id=run.pk)
    assert FlowRun.objects.get(pk=run.pk).state == "completed"


def _wait_for_all_runs() -> None:
    wait_for_background_runs()
    assert not FlowRun.objects.exclude(state="completed").exists()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--organisations", type=int, default=200)
    args = parser.parse_args()

    Organisation.objects.bulk_create(
        Organisation(
            name=f"Org {n}",
            org_number=org_number(n),
            kind="other",
        )
        for n in range(args.organisations)
    )

    from flows.organisations import revalidate_org_numbers

    first = _timed(lambda: _flow_run(revalidate_org_numbers, heartbeats=False))
    direct = [_timed(organisation_invalid_org_numbers) for _ in range(args.runs)]
    quiet = [
        _timed(lambda: _flow_run(revalidate_org_numbers, heartbeats=False))
        for _ in range(args.runs)
    ]
    beating = [
        _timed(lambda: _flow_run(revalidate_org_numbers, heartbeats=True))
        for _ in range(max(3, args.runs // 3))
    ]

    handed_over = []
    for _ in range(args.runs):
        handed_over.append(_timed(lambda: dispatch("revalidate_org_numbers")))
        _wait_for_all_runs()

    direct_median = statistics.median(direct)
    print(f"organisations checked per run: {args.organisations}")
    print(f"first flow run (temporary Prefect server start-up included): {first:.2f} s")
    print(f"direct call, median:               {direct_median * 1000:8.1f} ms   ratio 1.0")
    for label, times in (("flow run, heartbeats off", quiet), ("flow run, heartbeats on", beating)):
        median = statistics.median(times)
        print(
            f"{label + ', median:':35s}{median * 1000:8.1f} ms   ratio {median / direct_median:.1f}"
        )
    median = statistics.median(handed_over)
    print(
        f"{'request pays (dispatch, background):':35s}{median * 1000:8.1f} ms   ratio "
        f"{median / direct_median:.2f}"
    )
    print(f"first run / warm flow run: {first / statistics.median(quiet):.0f}")


if __name__ == "__main__":
    main()
