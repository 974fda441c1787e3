from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_flows(app_configs: object = None, **kwargs: object) -> list[checks.Error]:
    """``manage.py check`` (and every start) fails when two apps declare the same flow."""
    from governance.workflows import registered_flows

    try:
        registered_flows()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E001")]
    return []


class CoreConfig(AppConfig):
    """Project-wide commands and helpers; each app contributes through its own AppConfig."""

    name = "governance.core"
    label = "core"
    verbose_name = "Project-wide commands"

    def ready(self) -> None:
        checks.register(check_flows)
