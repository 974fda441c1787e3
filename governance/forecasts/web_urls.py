"""The forecasts' pages, mounted under /forecasts/ (ForecastsConfig.web_urls)."""

from django.urls import path

from governance.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("national/", views.national, name="national"),
    path("hubs/<int:hub_id>/", views.hub_forecasts, name="hub"),
    path("hubs/<int:hub_id>/live/", views.live_forecast, name="live"),
    path("hubs/<int:hub_id>/live/run/", views.run_live_forecast, name="live_run"),
    path("scenarios/<int:scenario_id>/run/", views.run_scenario, name="run"),
    path("scenarios/<int:scenario_id>/fee-level/", views.fee_level, name="fee_level"),
    path("compare/", views.compare, name="compare"),
    path("<int:result_id>/", views.forecast_detail, name="detail"),
]
