"""The admin of flow runs: read-only (rules: flowruns/rules.py)."""

from django.contrib import admin

from governance.core.admin import RulesModelAdmin
from governance.flowruns.models import FlowRun


@admin.register(FlowRun)
class FlowRunAdmin(RulesModelAdmin):
    list_display = ["id", "flow_name", "state", "requested_by", "created_at", "finished_at"]
    list_filter = ["flow_name", "state"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in FlowRun._meta.fields]
