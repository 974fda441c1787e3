from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _unicode_lower_for_sqlite(sender: object, connection: object, **kwargs: object) -> None:
    # SQLite's built-in lower() folds only ASCII; Swedish names need Å, Ä and Ö folded too.
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lower", 1, lambda text: text.lower() if text is not None else None, deterministic=True
        )


class OrganisationsConfig(AppConfig):
    name = "governance.organisations"
    verbose_name = "Organisations, people and roles"

    def ready(self) -> None:
        connection_created.connect(_unicode_lower_for_sqlite)
