from django.contrib import admin

from governance.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail as it was written: readable, never changed or removed here."""

    list_display = ["occurred_at", "actor_username", "verb", "content_type", "object_repr"]
    list_filter = ["verb", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["actor_username", "object_repr", "object_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
