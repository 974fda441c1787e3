from django.apps import AppConfig
from django.core import checks

from governance.hubs.choices import CHECKLIST_PHASES, HubRole


def check_playbook_checklists(app_configs: object = None, **kwargs: object) -> list[checks.Error]:
    """``manage.py check`` (and every start) fails on a malformed checklist file."""
    from governance.hubs.checklists import ChecklistFileError, load_checklist

    errors = []
    for phase in CHECKLIST_PHASES:
        try:
            load_checklist(phase)
        except ChecklistFileError as error:
            errors.append(checks.Error(str(error), id="hubs.E001"))
    return errors


class HubsConfig(AppConfig):
    name = "governance.hubs"
    verbose_name = "Hubs and their establishment"
    hub_roles = HubRole
    demo_seed = "governance.hubs.demo.seed_hubs"
    api_routers = {
        "/hubs": "governance.hubs.api:router",
        "/overview": "governance.hubs.api:overview_router",
    }

    def ready(self) -> None:
        checks.register(check_playbook_checklists)
        # Other apps' guards join the hub's transitions here: models.py cannot import them.
        from governance.hubs.guards import contributed_guards
        from governance.hubs.models import Hub
        from governance.lifecycle.machine import add_conditions

        for transition, guards in contributed_guards().items():
            add_conditions(Hub, transition, guards)
