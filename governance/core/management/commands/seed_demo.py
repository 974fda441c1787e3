"""Load the demo data set; running it again changes nothing."""

from django.core.management.base import BaseCommand

from governance.core.demo import seed_demo
from governance.workflows import wait_for_background_runs


class Command(BaseCommand):
    help = "Create every app's demo data; the demo users' password is samverket-demo."

    def handle(self, *args: object, **options: object) -> None:
        seed_demo()
        # Changes the seed makes start flows (live forecasts); they finish before the command
        # does, so that none is cut off when the process exits.
        wait_for_background_runs()
        self.stdout.write(self.style.SUCCESS("Demo data in place."))
