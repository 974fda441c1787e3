from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastsConfig(AppConfig):
    name = "governance.forecasts"
    verbose_name = "Budgets and break-even forecasts"
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
