"""The admin of organisations, people, roles and API tokens (rules: organisations/rules.py)."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from governance.core.admin import RulesModelAdmin
from governance.organisations.models import ApiToken, Organisation, Person, RoleAssignment
from governance.organisations.services import api_token_revoke


@admin.register(Organisation)
class OrganisationAdmin(RulesModelAdmin):
    list_display = ["name", "org_number_display", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]


@admin.register(Person)
class PersonAdmin(RulesModelAdmin):
    list_display = ["user", "organisation", "title"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["organisation"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RulesModelAdmin):
    list_display = ["user", "role", "assigned_at"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__username"]


@admin.register(ApiToken)
class ApiTokenAdmin(RulesModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        """Whoever may list the tokens may ask; each token's rule decides."""
        return self.has_view_permission(request)

    @admin.action(description=_("Återkalla valda tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        """Revoke the selected tokens the user may revoke, through the service."""
        tokens = list(queryset)
        may_revoke = request.user.has_perm
        allowed = [token for token in tokens if may_revoke("organisations.revoke_apitoken", token)]
        with transaction.atomic():
            for token in allowed:
                api_token_revoke(token_id=token.pk, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token återkallad.", "%(count)d tokens återkallade.", len(allowed))
            % {"count": len(allowed)},
        )
        refused = len(tokens) - len(allowed)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d token återkallades inte: bara dess ägare får göra det.",
                    "%(count)d tokens återkallades inte: bara deras ägare får göra det.",
                    refused,
                )
                % {"count": refused},
                level=messages.WARNING,
            )
