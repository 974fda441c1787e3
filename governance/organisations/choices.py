"""Fixed sets of values of the organisations app: organisation kinds and the national role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", _("Statlig myndighet")
    MUNICIPALITY = "municipality", _("Kommun")
    REGION = "region", _("Region")
    PUBLIC_COMPANY = "public_company", _("Kommunalt eller regionalt ägt bolag")
    OTHER = "other", _("Övrig")


class NationalRole(models.TextChoices):
    """Roles held for the whole country, never in one hub."""

    NATIONAL_COORDINATOR = "national_coordinator", _("Nationell koordinator")
