"""The admin of flow runs: read-only but for queueing a failed or stuck run again (rules:
flowruns/rules.py)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from governance.core.admin import RulesModelAdmin
from governance.flowruns.models import FlowRun
from governance.flowruns.services import FlowRunNotRequeueableError
from governance.workflows import requeue


class StuckFilter(admin.SimpleListFilter):
    """Runs waiting to start for longer than FLOW_STUCK_AFTER_SECONDS."""

    title = _("fastnat")
    parameter_name = "stuck"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Väntar för länge")), ("no", _("Nej"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.stuck()
        if self.value() == "no":
            return queryset.not_stuck()
        return queryset


@admin.register(FlowRun)
class FlowRunAdmin(RulesModelAdmin):
    list_display = [
        "id",
        "flow_name",
        "state",
        "stuck",
        "attempts",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = [StuckFilter, "flow_name", "state"]
    list_select_related = ["requested_by"]
    readonly_fields = [field.name for field in FlowRun._meta.fields]
    actions = ["requeue"]

    @admin.display(boolean=True, description=_("väntar för länge"))
    def stuck(self, run: FlowRun) -> bool:
        return run.is_stuck

    @admin.action(permissions=["requeue"], description=_("Köa om valda körningar"))
    def requeue(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Queue each failed or stuck run again (audited); others are left as they are."""
        requeued = 0
        for run_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                requeue(run_id=run_id, actor=request.user)
            except FlowRunNotRequeueableError:
                continue
            requeued += 1
        skipped = queryset.count() - requeued
        self.message_user(
            request,
            ngettext("%(count)d körning köades om.", "%(count)d körningar köades om.", requeued)
            % {"count": requeued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d körning varken misslyckades eller hade fastnat och lämnades.",
                    "%(count)d körningar varken misslyckades eller hade fastnat och lämnades.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def has_requeue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("flowruns.requeue_flowrun")
