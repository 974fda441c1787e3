from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def check_web_declarations(app_configs: object = None, **kwargs: object) -> list[checks.Error]:
    """``manage.py check`` fails when two apps declare the same nav entry or start-page slot."""
    from governance.web.registry import (
        declared_nav,
        declared_overview_columns,
        declared_page_urls,
        declared_start_slots,
    )

    try:
        declared_page_urls()
        declared_nav()
        declared_start_slots()
        declared_overview_columns()
    except (ImproperlyConfigured, ImportError) as error:
        return [checks.Error(str(error), id="web.E001")]
    return []


class WebConfig(AppConfig):
    """The web pages: the shell, sign-in, start page, national overview and hub pages.

    Every app adds its pages to the shell the same way, on its own AppConfig (this one
    included): ``web_urls`` (its pages' URL module under a prefix), ``web_nav`` entries in the
    top navigation, ``web_start_slots`` on each person's start page and
    ``web_overview_columns`` in the national overview's table (governance/web/registry.py
    collects them).
    """

    name = "governance.web"
    label = "web"
    verbose_name = "Web pages"
    # name: (URL name, label, order); shown to everyone signed in unless ``permission`` is set.
    web_nav = {
        "start": {"url": "web:start", "label": _("Start"), "order": 10},
        "overview": {"url": "web:overview", "label": _("Nationell översikt"), "order": 20},
        "propose_hub": {
            "url": "web:hub_create",
            "label": _("Föreslå hubb"),
            "order": 30,
            "permission": "hubs.add_hub",
        },
    }
    # name: dotted path of a function (request) -> StartSlot | None, in this order.
    web_start_slots = {
        "hubs_needing_attention": "governance.web.slots:hubs_needing_attention",
        "my_checklist_items": "governance.web.slots:my_checklist_items",
        "coordinator_tools": "governance.web.slots:coordinator_tools",
    }

    def ready(self) -> None:
        checks.register(check_web_declarations)
