"""The record of every Prefect flow the platform started, for clients to poll.

The table is also the outbox: a request only commits a ``queued`` record, and the dispatcher of
the ``serve_flows`` workers hands it to the Prefect server (governance/workflows.py).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.flowruns.choices import WAITING_STATES, FlowRunState


class FlowRunQuerySet(models.QuerySet):
    """Flow-run records, with the ones waiting too long to start picked out."""

    def stuck(self) -> "FlowRunQuerySet":
        """Runs waiting to start for longer than FLOW_STUCK_AFTER_SECONDS."""
        return self.filter(state__in=WAITING_STATES, queued_at__lt=_stuck_before())

    def not_stuck(self) -> "FlowRunQuerySet":
        return self.exclude(pk__in=self.stuck().values("pk"))


def _stuck_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.FLOW_STUCK_AFTER_SECONDS)


class FlowRun(models.Model):
    """One dispatched flow: what was asked, by whom, and how it ended."""

    flow_name = models.CharField(max_length=100)
    # A flow may take no parameters at all; dispatch then records {}.
    parameters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=FlowRunState.choices, default="queued")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    prefect_flow_run_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Since when the run waits to start: its creation, or the last time it was queued again.
    queued_at = models.DateTimeField(default=timezone.now)
    # How often it was handed to the flow server (each time a worker may have been lost).
    attempts = models.PositiveSmallIntegerField(default=0)
    # Failed hand-offs in a row (flow server unreachable): the back-off grows with them.
    handoff_failures = models.PositiveIntegerField(default=0)
    next_handoff_at = models.DateTimeField(null=True, blank=True)
    # Why the last hand-off failed or why the run was queued again; `error` is the final one.
    last_problem = models.TextField(blank=True)

    objects = FlowRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_handoff_at"], name="flowrun_outbox")]
        verbose_name = _("flödeskörning")
        verbose_name_plural = _("flödeskörningar")

    def __str__(self) -> str:
        return f"{self.flow_name} #{self.pk} ({self.state})"

    @property
    def is_stuck(self) -> bool:
        """Waiting to start for longer than FLOW_STUCK_AFTER_SECONDS."""
        return self.state in WAITING_STATES and self.queued_at < _stuck_before()
