"""The forecasts' pages, mounted under /forecasts/ (ForecastsConfig.web_urls)."""

from django.urls import path

from governance.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("national/", views.national, name="national"),
    path("national/run/", views.run_national, name="run_national"),
    path("hubs/<int:hub_id>/", views.hub_forecasts, name="hub"),
    path("hubs/<int:hub_id>/live/", views.live_forecast, name="live"),
    path("hubs/<int:hub_id>/live/run/", views.run_live_forecast, name="live_run"),
    path("hubs/<int:hub_id>/scenarios/new/", views.scenario_create, name="scenario_create"),
    path("scenarios/<int:scenario_id>/", views.scenario_edit, name="scenario"),
    path("scenarios/<int:scenario_id>/copy/", views.scenario_copy, name="scenario_copy"),
    path("scenarios/<int:scenario_id>/run/", views.run_scenario, name="run"),
    path("runs/<int:run_id>/", views.run_progress, name="run_progress"),
    path("fee-solver/", views.fee_solver, name="fee_solver"),
    path("scenarios/<int:scenario_id>/fee-level/", views.fee_level, name="fee_level"),
    path("compare/", views.compare, name="compare"),
    path("<int:result_id>/", views.forecast_detail, name="detail"),
]
