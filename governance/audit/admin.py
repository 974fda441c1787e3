"""The admin of the audit trail: the coordinator reads it (rules: audit/rules.py)."""

from django.contrib import admin
from django.http import HttpRequest

from governance.audit.models import AuditEntry
from governance.core.admin import RulesModelAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(RulesModelAdmin):
    """The trail as it was written: readable, never changed or removed here."""

    list_display = ["occurred_at", "actor_username", "verb", "content_type", "object_repr"]
    list_filter = ["verb", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["actor_username", "object_repr", "object_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    # Refused even to a superuser: a trail that can be edited proves nothing.
    def has_add_permission(self, request: HttpRequest) -> bool:
        """Nobody."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        """Nobody."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        """Nobody."""
        return False
