"""Fixed sets of values of the memberships app: models, states, languages, signing authority.

From the playbook, "Medlemskap" and "Avtal, upphandling och administration": two membership
models were tried, individual memberships bought per seat and the open model where the
organisation pays by its size and every employee may apply.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipModel(models.TextChoices):
    OPEN = "open", _("Öppen modell (organisationsmedlemskap efter storlek)")
    SEATS = "seats", _("Platsmodell (individuella medlemskap)")


class FeeScheduleState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställd")
    SUPERSEDED = "superseded", _("Ersatt")


# A superseded version is still the one in force for dates before its successor's.
IN_FORCE_STATES = (FeeScheduleState.ADOPTED, FeeScheduleState.SUPERSEDED)


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    GENERATED = "generated", _("Dokument skapat")
    SENT = "sent", _("Skickat för underskrift")
    SIGNED = "signed", _("Undertecknat")
    ACTIVE = "active", _("Gällande")
    EXPIRED = "expired", _("Utgånget")
    TERMINATED = "terminated", _("Uppsagt")


class AgreementLanguage(models.TextChoices):
    SWEDISH = "sv", _("Svenska")
    ENGLISH = "en", _("Engelska")


class SigningAuthority(models.TextChoices):
    """On what ground the member's avtalsombud signs for the organisation."""

    AUTHORISED_SIGNATORY = "authorised_signatory", _("Firmatecknare")
    DELEGATION = "delegation", _("Delegation")


class FeeLineKind(models.TextChoices):
    FEE = "fee", _("Avgift")
    DISCOUNT = "discount", _("Rabatt")
