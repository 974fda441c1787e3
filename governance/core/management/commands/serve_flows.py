"""Run the platform's flows for a Prefect server (FLOW_MODE=deployment)."""

from django.core.management.base import BaseCommand

from governance.workflows import serve_flows


class Command(BaseCommand):
    help = "Serve every flow as a Prefect deployment; run one or more of these per machine."

    def handle(self, *args: object, **options: object) -> None:
        serve_flows()
