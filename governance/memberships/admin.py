"""The admin of fee schedules and agreements (rules: memberships/rules.py): the coordinator
reads them there; writes go through the API's services, which check the ladders, the intake
and the overlap rule, and run the transitions."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_fsm_log.admin import StateLogInline

from governance.core.admin import RulesInlineMixin, RulesModelAdmin
from governance.memberships.document_services import template_check, template_upload
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


class TemplateUploadForm(forms.ModelForm):
    """A new template version: the language and the .docx, checked as the API checks it."""

    upload = forms.FileField(
        label=_("Mall (.docx)"),
        help_text=_("Variabler som plattformen inte har avvisas, med namnen uppräknade."),
    )

    class Meta:
        model = AgreementTemplate
        fields = ["language"]

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None and "language" in cleaned:
            cleaned["data"] = upload.read()
            try:
                template_check(cleaned["language"], cleaned["data"])
            except ValidationError as refused:
                # The service names the API's field (`file`); here it is the upload field.
                for field, messages in refused.message_dict.items():
                    self.add_error("upload" if field == "file" else field, messages)
        return cleaned


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(RulesModelAdmin):
    """Templates are listed; the coordinator uploads a new version (one wording for every
    hub), which the upload service checks, stores and audits. Versions never change."""

    list_display = ["__str__", "language", "version", "source", "uploaded_by", "created_at"]
    list_filter = ["language"]
    readonly_fields = ["language", "version", "source", "sha256", "file", "uploaded_by"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            return TemplateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["language", "upload"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        return template_upload(
            actor=request.user,
            language=form.cleaned_data["language"],
            name=form.cleaned_data["upload"].name,
            data=form.cleaned_data["data"],
        )

    # An upload was stored and audited by template_upload (save_form); nothing is left to save.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)


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
