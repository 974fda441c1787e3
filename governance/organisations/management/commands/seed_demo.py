"""Load the demo data set; running it again changes nothing."""

from django.core.management.base import BaseCommand

from governance.hubs.demo import seed_hubs
from governance.organisations.demo import seed_organisations_and_people

SEEDERS = [seed_organisations_and_people, seed_hubs]


class Command(BaseCommand):
    help = "Create the demo organisations, users (password samverket-demo) and hubs."

    def handle(self, *args: object, **options: object) -> None:
        for seed in SEEDERS:
            seed()
        self.stdout.write(self.style.SUCCESS("Demo data in place."))
