from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastsConfig(AppConfig):
    name = "governance.forecasts"
    verbose_name = "Budgets and break-even forecasts"
    # Leaving preparation needs an adopted budget whose financing covers the current forecast's
    # liquidity need (governance/hubs/guards.py).
    hub_guards = {"start_up": "governance.forecasts.guards.LEAVE_HUB_PREPARATION"}
    hub_facts = "governance.forecasts.guards.hub_facts"
    # The hubs' demo walks hubs out of preparation: their budgets and forecasts first.
    demo_hub_prerequisites = "governance.forecasts.demo.before_hub_transition"
    flows = {"run_break_even_forecast": "flows.forecasts:run_break_even_forecast"}
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
