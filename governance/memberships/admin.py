"""The admin of fee schedules and agreements (rules: memberships/rules.py): the coordinator
reads them there; writes go through the API's services, which check the ladders, the intake
and the overlap rule, and run the transitions."""

from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from governance.core.admin import RulesInlineMixin, RulesModelAdmin
from governance.memberships.models import (
    Agreement,
    AgreementDiscount,
    AgreementDocument,
    AgreementLocality,
    AgreementTemplate,
    FeeSchedule,
    FeeTier,
    InvoiceMark,
    SeatHolder,
    SignedCopy,
)


class FeeTierInline(RulesInlineMixin, admin.TabularInline):
    model = FeeTier
    extra = 0
    view_rule = "memberships.view_feeschedule"


class TransitionHistoryInline(RulesInlineMixin, StateLogInline):
    view_rule = "memberships.view_feeschedule"


class AgreementHistoryInline(RulesInlineMixin, StateLogInline):
    view_rule = "memberships.view_agreement"


@admin.register(FeeSchedule)
class FeeScheduleAdmin(RulesModelAdmin):
    list_display = ["__str__", "hub", "version", "effective_from", "state"]
    list_filter = ["state"]
    list_select_related = ["hub"]
    inlines = [FeeTierInline, TransitionHistoryInline]


@admin.register(FeeTier)
class FeeTierAdmin(RulesModelAdmin):
    list_display = ["schedule", "organisation_kind", "employees_from", "employees_to"]
    list_select_related = ["schedule__hub"]


class DiscountInline(RulesInlineMixin, admin.TabularInline):
    model = AgreementDiscount
    extra = 0
    view_rule = "memberships.view_agreement"


class LocalityInline(RulesInlineMixin, admin.TabularInline):
    model = AgreementLocality
    extra = 0
    view_rule = "memberships.view_agreement"


@admin.register(Agreement)
class AgreementAdmin(RulesModelAdmin):
    list_display = ["number", "member", "hub", "model", "start_on", "end_on", "state"]
    list_filter = ["state", "model", "hub"]
    list_select_related = ["member", "hub"]
    search_fields = ["number", "member__name"]
    inlines = [DiscountInline, LocalityInline, AgreementHistoryInline]


@admin.register(AgreementDiscount)
class AgreementDiscountAdmin(RulesModelAdmin):
    list_display = ["agreement", "percent", "year", "reason"]
    list_select_related = ["agreement"]


@admin.register(AgreementLocality)
class AgreementLocalityAdmin(RulesModelAdmin):
    list_display = ["agreement", "hub", "employees"]
    list_select_related = ["agreement", "hub"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(RulesModelAdmin):
    list_display = ["__str__", "language", "version", "source", "created_at"]
    list_filter = ["language"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(RulesModelAdmin):
    list_display = ["__str__", "agreement", "version", "sha256", "created_at"]
    list_select_related = ["agreement"]


@admin.register(InvoiceMark)
class InvoiceMarkAdmin(RulesModelAdmin):
    list_display = ["agreement", "year", "invoiced_at", "paid_at"]
    list_select_related = ["agreement"]


@admin.register(SeatHolder)
class SeatHolderAdmin(RulesModelAdmin):
    list_display = ["agreement", "name", "since", "until"]
    list_select_related = ["agreement"]


@admin.register(SignedCopy)
class SignedCopyAdmin(RulesModelAdmin):
    list_display = ["agreement", "version", "signatory", "signed_on", "sha256", "uploaded_at"]
    list_select_related = ["agreement"]
