"""Organisations, the people who work in them, their roles, and their API tokens."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.organisations.org_numbers import org_number_display, validate_org_number


class OrganisationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", _("Statlig myndighet")
    MUNICIPALITY = "municipality", _("Kommun")
    REGION = "region", _("Region")
    PUBLIC_COMPANY = "public_company", _("Kommunalt eller regionalt ägt bolag")
    OTHER = "other", _("Övrig")


class Organisation(models.Model):
    """A public-sector organisation: member, principal (huvudman) or prospective member."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=10,
        unique=True,
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


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "national_coordinator", _("Nationell koordinator")
    PRINCIPAL_STAFF = "principal_staff", _("Huvudmannens personal")
    ESTABLISHMENT_TEAM = "establishment_team", _("Etableringsteam")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    OWNER_GROUP_REP = "owner_group_rep", _("Ledamot i ägargruppen")
    CREATIVE_BOARD_REP = "creative_board_rep", _("Ledamot i creative board")


GLOBAL_ROLES = [Role.NATIONAL_COORDINATOR]


class RoleAssignment(models.Model):
    """One role held by one user: national, or scoped to one hub."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("roll"), max_length=40, choices=Role.choices)
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
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=GLOBAL_ROLES, hub__isnull=True)
                    | (~models.Q(role__in=GLOBAL_ROLES) & models.Q(hub__isnull=False))
                ),
                name="national_roles_without_hub_others_with_hub",
            ),
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
