from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from governance.hubs.models import ChecklistVersion, Hub, HubChecklistItem, ReadinessScore


class ReadinessInline(admin.TabularInline):
    model = ReadinessScore
    extra = 0


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "county", "phase", "phase_entered_on", "principal"]
    list_filter = ["phase", "county", "premises_status"]
    list_select_related = ["principal"]
    search_fields = ["name", "municipality"]
    readonly_fields = ["phase", "phase_entered_on", "paused_from", "paused_on"]
    autocomplete_fields = ["principal"]
    inlines = [ReadinessInline, StateLogInline]


@admin.register(HubChecklistItem)
class HubChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["hub", "phase", "position", "key", "required", "status", "changed_at"]
    list_filter = ["phase", "status", "required"]
    list_select_related = ["hub"]
    search_fields = ["hub__name", "key", "title_sv"]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(admin.ModelAdmin):
    list_display = ["phase", "sha256", "source_file", "loaded_at"]
    readonly_fields = ["phase", "sha256", "source_file", "items", "loaded_at"]


@admin.register(ReadinessScore)
class ReadinessScoreAdmin(admin.ModelAdmin):
    list_display = ["hub", "aspect", "score", "updated_at"]
    list_select_related = ["hub"]
