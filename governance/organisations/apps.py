from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.signals import connection_created

from governance.organisations.choices import NationalRole


def _unicode_lower_for_sqlite(sender: object, connection: object, **kwargs: object) -> None:
    # SQLite's built-in lower() folds only ASCII; Swedish names need Å, Ä and Ö folded too.
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "lower", 1, lambda text: text.lower() if text is not None else None, deterministic=True
        )


def check_roles(app_configs: object = None, **kwargs: object) -> list[checks.Error]:
    """``manage.py check`` (and every start) fails when two apps declare the same role."""
    from governance.organisations.roles import registered_roles

    try:
        registered_roles()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="organisations.E001")]
    return []


class OrganisationsConfig(AppConfig):
    name = "governance.organisations"
    verbose_name = "Organisations, people and roles"
    national_roles = NationalRole
    flows = {"revalidate_org_numbers": "flows.organisations:revalidate_org_numbers"}
    demo_seed = "governance.organisations.demo.seed_organisations_and_people"
    api_routers = {
        "/auth": "governance.organisations.api:auth_router",
        "/me": "governance.organisations.api:me_router",
        "/organisations": "governance.organisations.api:router",
    }

    def ready(self) -> None:
        connection_created.connect(_unicode_lower_for_sqlite)
        checks.register(check_roles)
