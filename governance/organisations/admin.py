from django.contrib import admin
from django.utils import timezone

from governance.organisations.models import ApiToken, Organisation, Person, RoleAssignment


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number_display", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "title"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["organisation"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "assigned_at"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__username"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description="Återkalla valda tokens")
    def revoke(self, request, queryset) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
