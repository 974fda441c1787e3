"""The admin of hubs, their checklists and readiness (rules: hubs/rules.py).

A person sets in the admin what the API lets him set; the phase and its dates belong to the
transitions, a checklist item's content to the playbook.
"""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django_fsm_log.admin import StateLogInline

from governance.core.admin import RulesInlineMixin, RulesModelAdmin
from governance.hubs.models import ChecklistVersion, Hub, HubChecklistItem, ReadinessScore
from governance.hubs.services import (
    CHECKLIST_ITEM_EDITABLE_FIELDS,
    HUB_EDITABLE_FIELDS,
    READINESS_EDITABLE_FIELDS,
)


def _all_but(model: type[Model], editable: list[str]) -> list[str]:
    """Every field of ``model`` a form would show, except ``editable``: read-only in the admin."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in editable
    ]


class ReadinessInline(RulesInlineMixin, admin.TabularInline):
    model = ReadinessScore
    extra = 0
    fields = ["aspect", *READINESS_EDITABLE_FIELDS, "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    view_rule = "hubs.view_hub"
    add_rule = "hubs.change_readiness"
    change_rule = "hubs.change_readiness"


class TransitionHistoryInline(RulesInlineMixin, StateLogInline):
    """The hub's phase transitions, read-only."""

    view_rule = "hubs.view_hub"


@admin.register(Hub)
class HubAdmin(RulesModelAdmin):
    list_display = ["name", "municipality", "county", "phase", "phase_entered_on", "principal"]
    list_filter = ["phase", "county", "premises_status"]
    list_select_related = ["principal"]
    search_fields = ["name", "municipality"]
    readonly_fields = _all_but(Hub, HUB_EDITABLE_FIELDS)
    autocomplete_fields = ["principal"]
    inlines = [ReadinessInline, TransitionHistoryInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Hub | None = None) -> list[str]:
        if request.user.has_perm("hubs.choose_principal", obj):
            return self.readonly_fields
        return [*self.readonly_fields, "principal"]


@admin.register(HubChecklistItem)
class HubChecklistItemAdmin(RulesModelAdmin):
    list_display = ["hub", "phase", "position", "key", "required", "status", "changed_at"]
    list_filter = ["phase", "status", "required"]
    list_select_related = ["hub"]
    search_fields = ["hub__name", "key", "title_sv"]
    readonly_fields = _all_but(HubChecklistItem, CHECKLIST_ITEM_EDITABLE_FIELDS)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(RulesModelAdmin):
    """The playbook's checklists as each hub received them: history, never changed here."""

    list_display = ["phase", "sha256", "source_file", "loaded_at"]
    readonly_fields = ["phase", "sha256", "source_file", "items", "loaded_at"]

    # Refused even to a superuser, like the audit trail: a hub's checklist cites its version.
    def has_add_permission(self, request: HttpRequest) -> bool:
        """Nobody."""
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ChecklistVersion | None = None
    ) -> bool:
        """Nobody."""
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ChecklistVersion | None = None
    ) -> bool:
        """Nobody."""
        return False


@admin.register(ReadinessScore)
class ReadinessScoreAdmin(RulesModelAdmin):
    list_display = ["hub", "aspect", "score", "updated_at"]
    list_select_related = ["hub"]
    readonly_fields = ["updated_by", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ReadinessScore | None = None) -> list:
        """A score stays with its hub and aspect once given."""
        if obj is None:
            return self.readonly_fields
        return ["hub", "aspect", *self.readonly_fields]
