"""Fixed sets of values of the flow-run records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowRunState(models.TextChoices):
    PENDING = "pending", _("Väntar")
    RUNNING = "running", _("Pågår")
    COMPLETED = "completed", _("Slutförd")
    FAILED = "failed", _("Misslyckades")
