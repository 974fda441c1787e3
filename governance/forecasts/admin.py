"""The admin of budgets and forecasts (rules: forecasts/rules.py): the coordinator reads them
there; writes go through the services, which keep adopted budgets unchanged."""

from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from governance.core.admin import RulesInlineMixin, RulesModelAdmin
from governance.forecasts.models import (
    Budget,
    BudgetLine,
    ForecastResult,
    ForecastScenario,
    LiveForecastDemand,
)


class BudgetLineInline(RulesInlineMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    view_rule = "forecasts.view_budget"


class BudgetHistoryInline(RulesInlineMixin, StateLogInline):
    view_rule = "forecasts.view_budget"


@admin.register(Budget)
class BudgetAdmin(RulesModelAdmin):
    list_display = ["__str__", "hub", "year", "version", "state"]
    list_filter = ["state", "year"]
    list_select_related = ["hub"]
    inlines = [BudgetLineInline, BudgetHistoryInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(RulesModelAdmin):
    list_display = ["budget", "category", "amount_sek"]
    list_select_related = ["budget__hub"]


@admin.register(ForecastScenario)
class ForecastScenarioAdmin(RulesModelAdmin):
    list_display = ["name", "hub", "updated_at"]
    list_select_related = ["hub"]


@admin.register(ForecastResult)
class ForecastResultAdmin(RulesModelAdmin):
    list_display = [
        "scenario_name",
        "hub",
        "computed_at",
        "break_even_month",
        "payback_month",
        "peak_liquidity_need_sek",
        "engine_version",
        "is_live",
    ]
    list_filter = ["is_live"]
    list_select_related = ["hub"]
    exclude = ["months", "sensitivity", "live_inputs"]


@admin.register(LiveForecastDemand)
class LiveForecastDemandAdmin(RulesModelAdmin):
    list_display = ["hub", "changed_since", "last_change"]
    list_select_related = ["hub"]
