"""Run the platform's flows for a Prefect server (FLOW_MODE=deployment)."""

import os
import threading
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from governance.workflows import FlowDispatcher, registered_schedules, serve_flows


class Command(BaseCommand):
    help = (
        "Serve every flow as a Prefect deployment and hand queued runs to the Prefect server; "
        "run one or more of these per machine."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=os.cpu_count() or 1,
            help="At most this many runs at once on this worker (default: the machine's cores), "
            "so that a burst is shared between workers.",
        )
        parser.add_argument(
            "--poll-seconds",
            type=float,
            default=1.0,
            help="How often an idle worker asks the Prefect server for work (default 1 s).",
        )
        parser.add_argument(
            "--schedules-only",
            action="store_true",
            help="Serve only the scheduled flows (the nightly ones) and hand over no queued "
            "runs: what the development server needs when flows run inline.",
        )

    def handle(
        self,
        *args: object,
        limit: int,
        poll_seconds: float,
        schedules_only: bool,
        **options: object,
    ) -> None:
        if schedules_only:
            self.stdout.write("Serving the scheduled flows: " + ", ".join(registered_schedules()))
            serve_flows(limit=limit, poll_seconds=poll_seconds, schedules_only=True)
            return
        stop = threading.Event()
        # The outbox dispatcher runs beside the runner in every worker: any one of them hands
        # queued runs over, so there is no single process to lose.
        dispatcher = threading.Thread(
            target=FlowDispatcher().run_forever, args=(stop,), name="flow-dispatcher", daemon=True
        )
        dispatcher.start()
        self.stdout.write(
            f"Serving flows: at most {limit} runs at once, polling every {poll_seconds:g} s"
        )
        try:
            serve_flows(limit=limit, poll_seconds=poll_seconds)
        finally:
            stop.set()
