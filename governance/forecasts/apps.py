from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _agreement_moved(sender: Any, instance: Any, name: str, **kwargs: Any) -> None:
    """An agreement changed state (django-fsm's post_transition, any path: the API, a service,
    the nightly calendar): its hubs' live forecasts are out of date. Memberships knows nothing
    of forecasts; forecasts listens."""
    from governance.forecasts.services import live_forecast_request_for_agreement

    if "exception" in kwargs:
        return  # the transition failed: nothing changed
    actor = (kwargs.get("method_kwargs") or {}).get("by")
    live_forecast_request_for_agreement(agreement=instance, actor=actor, transition=name)


class ForecastsConfig(AppConfig):
    name = "governance.forecasts"
    verbose_name = "Budgets and break-even forecasts"
    # Leaving preparation needs an adopted budget whose financing covers the current forecast's
    # liquidity need (governance/hubs/guards.py).
    hub_guards = {"start_up": "governance.forecasts.guards.LEAVE_HUB_PREPARATION"}
    hub_facts = "governance.forecasts.guards.hub_facts"
    # The hubs' demo walks hubs out of preparation: their budgets and forecasts first.
    demo_hub_prerequisites = "governance.forecasts.demo.before_hub_transition"
    flows = {
        "run_break_even_forecast": "flows.forecasts:run_break_even_forecast",
        "run_live_forecast": "flows.forecasts:run_live_forecast",
        "nightly_live_forecasts": "flows.forecasts:nightly_live_forecasts",
    }
    # Cron in TIME_ZONE: after the agreement calendar (01:15) has activated and expired.
    schedules = {"nightly_live_forecasts": "45 1 * * *"}
    demo_seed = "governance.forecasts.demo.seed_forecasts"
    api_routers = {
        "/hubs/{int:hub_id}": "governance.forecasts.api:hub_router",
        "/budgets": "governance.forecasts.api:budget_router",
        "/forecast-scenarios": "governance.forecasts.api:scenario_router",
        "/forecasts": "governance.forecasts.api:forecast_router",
    }
    web_urls = {"forecasts/": "governance.forecasts.web_urls"}
    web_overview_columns = {"break_even": "governance.forecasts.views:overview_break_even_column"}
    web_nav = {
        "national_forecast": {
            "url": "web:forecasts:national",
            "label": _("Nationell prognos"),
            "order": 25,
            "permission": "forecasts.view_national",
        }
    }

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from governance.memberships.models import Agreement

        post_transition.connect(
            _agreement_moved, sender=Agreement, dispatch_uid="forecasts_live_on_agreement"
        )
