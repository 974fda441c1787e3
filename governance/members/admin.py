"""The admin of individual members (rules: members/rules.py): the coordinator reads them
there; writes go through the services, which keep the seats, the onboarding and the audit
trail in step."""

from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from governance.core.admin import RulesInlineMixin, RulesModelAdmin
from governance.members.models import Member, OnboardingItem


class OnboardingInline(RulesInlineMixin, admin.TabularInline):
    model = OnboardingItem
    extra = 0
    view_rule = "members.view_member"


class MemberHistoryInline(RulesInlineMixin, StateLogInline):
    view_rule = "members.view_member"


@admin.register(Member)
class MemberAdmin(RulesModelAdmin):
    list_display = ["name", "hub", "organisation", "state", "created_at"]
    list_filter = ["state", "hub"]
    list_select_related = ["hub", "organisation"]
    inlines = [OnboardingInline, MemberHistoryInline]


@admin.register(OnboardingItem)
class OnboardingItemAdmin(RulesModelAdmin):
    list_display = ["member", "step", "done", "changed_at"]
    list_select_related = ["member__hub"]
