"""Organisations, the people who work in them, their roles, and their API tokens."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.organisations.choices import OrganisationKind
from governance.organisations.org_numbers import org_number_display, validate_org_number
from governance.organisations.roles import (
    derived_role_values,
    national_role_values,
    registered_roles,
)


class Organisation(models.Model):
    """A public-sector organisation: member, principal (huvudman) or prospective member."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=10,
        unique=True,
        error_messages={
            "unique": _("Det finns redan en organisation med detta organisationsnummer.")
        },
        validators=[validate_org_number],
        help_text=_("Tio siffror; anges som NNNNNN-NNNN eller NNNNNNNNNN."),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    address = models.CharField(_("adress"), max_length=300, blank=True)
    municipality = models.CharField(_("kommun"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return f"{self.name} ({self.org_number_display})"

    @property
    def org_number_display(self) -> str:
        return org_number_display(self.org_number)


class Person(models.Model):
    """What the platform knows about a user beyond the login: where they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class RoleAssignment(models.Model):
    """One role held by one user: national, or scoped to one hub (roles.py lists the roles)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("roll"), max_length=40, choices=registered_roles)
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text=_("Tom för nationella roller."),
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "hub"], name="unique_role_per_hub"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(hub__isnull=True),
                name="unique_national_role",
            ),
        ]
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")

    def __str__(self) -> str:
        where = f" ({self.hub})" if self.hub_id else ""
        return f"{self.user} – {self.get_role_display()}{where}"

    def clean(self) -> None:
        """A declared role: a national one without a hub, a hub role in one hub."""
        if self.role not in dict(registered_roles()):
            raise ValidationError({"role": _("Okänd roll.")})
        if self.role in derived_role_values():
            raise ValidationError(
                {
                    "role": _(
                        "Rollen härleds ur platserna i ägargrupp och creative board "
                        "(derived from seats); namnge personen på organisationens plats."
                    )
                }
            )
        if self.role in national_role_values():
            if self.hub_id is not None:
                raise ValidationError({"hub": _("En nationell roll hör inte till en hubb.")})
        elif self.hub_id is None:
            raise ValidationError({"hub": _("En hubbroll hör till en hubb; välj vilken.")})


class ApiToken(models.Model):
    """A bearer token for the API, stored only as its SHA-256; expires and can be revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("De första tecknen, för igenkänning."))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
