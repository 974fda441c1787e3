"""Load the demo data set; running it again changes nothing."""

from django.core.management.base import BaseCommand

from governance.core.demo import seed_demo


class Command(BaseCommand):
    help = "Create every app's demo data; the demo users' password is samverket-demo."

    def handle(self, *args: object, **options: object) -> None:
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data in place."))
