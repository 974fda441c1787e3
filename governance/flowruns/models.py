"""The record of every Prefect flow the platform started, for clients to poll."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.flowruns.choices import FlowRunState


class FlowRun(models.Model):
    """One dispatched flow: what was asked, by whom, and how it ended."""

    flow_name = models.CharField(max_length=100)
    # A flow may take no parameters at all; dispatch then records {}.
    parameters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=FlowRunState.choices, default="pending")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    prefect_flow_run_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("flödeskörning")
        verbose_name_plural = _("flödeskörningar")

    def __str__(self) -> str:
        return f"{self.flow_name} #{self.pk} ({self.state})"
