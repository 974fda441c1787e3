"""Fixed sets of the members app: a member's states and the onboarding checklist.

From the playbook, "Medlemskap" (an employee of a member organisation applies by answering two
questions; "Något ytterligare krav ställdes inte") and "Övrig medlemsadministration" (the
onboarding: the onboarding e-mail with the invitation to the digital platform, a personal
onboarding with the CM, the manifesto signed, the name written on a clothes-peg).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberState(models.TextChoices):
    APPLIED = "applied", _("Ansökt")
    APPROVED = "approved", _("Godkänd")
    DECLINED = "declined", _("Avslagen")
    ONBOARDED = "onboarded", _("Introducerad")
    LEFT = "left", _("Avslutad")


# States in which the person is a member: an approved or onboarded member in a seat-model
# agreement holds one of its seats.
MEMBER_STATES = (MemberState.APPROVED, MemberState.ONBOARDED)


class OnboardingStep(models.TextChoices):
    """The playbook's onboarding, in its order ("Övrig medlemsadministration")."""

    INVITATION_SENT = (
        "invitation_sent",
        _("Onboardingmejl med inbjudan till den digitala plattformen skickat"),
    )
    PERSONAL_ONBOARDING = "personal_onboarding", _("Personlig onboarding på plats genomförd")
    MANIFESTO_SIGNED = "manifesto_signed", _("Manifestet underskrivet")
    NAME_TAG = "name_tag", _("Namnskylt (klädnypa) gjord")
