"""The audit trail: one row for every write, made inside the writing service's transaction."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after."""

    occurred_at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept apart from the foreign key so the trail still names a user who was later deleted.
    actor_username = models.CharField(_("användarnamn"), max_length=150, blank=True)
    flow_run = models.ForeignKey(
        "flowruns.FlowRun",
        verbose_name=_("flödeskörning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("händelse"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttyp"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("objekt-id"), max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=300)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningsspår")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username or '–'} {self.verb}"

    @property
    def object_type(self) -> str:
        """The object's model as ``app_label.model``, e.g. ``hubs.hub``."""
        return f"{self.content_type.app_label}.{self.content_type.model}"
