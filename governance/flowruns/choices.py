"""Fixed sets of values of the flow-run records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowRunState(models.TextChoices):
    # Recorded, not yet handed to the flow server (FLOW_MODE=deployment) or to this process's
    # flow threads (inline): the outbox.
    QUEUED = "queued", _("I kö, väntar på flödesservern")
    # Handed to the flow server; a worker has not started it yet.
    PENDING = "pending", _("Väntar")
    RUNNING = "running", _("Pågår")
    COMPLETED = "completed", _("Slutförd")
    FAILED = "failed", _("Misslyckades")


# States in which a run still waits to start; a run in one of them for longer than
# FLOW_STUCK_AFTER_SECONDS is flagged as stuck.
WAITING_STATES = (FlowRunState.QUEUED, FlowRunState.PENDING)
