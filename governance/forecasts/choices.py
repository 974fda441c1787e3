"""The forecasts app's enums: budget states and the kinds of budget lines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställd")
    SUPERSEDED = "superseded", _("Ersatt")


class BudgetLineCategory(models.TextChoices):
    """Cost lines and financing lines of a yearly budget (playbook "Etablering och
    finansiering": phases 1–2 are financed "via investeringskapital" or start-up support)."""

    STAFF = "staff", _("Personal")
    PREMISES = "premises", _("Lokal")
    OPERATIONS = "operations", _("Drift")
    ACTIVITIES = "activities", _("Aktiviteter")
    INVESTMENT = "investment", _("Investering")
    MEMBERSHIP_FEES = "membership_fees", _("Medlemsavgifter")
    SEATS = "seats", _("Platser")
    INVESTMENT_CAPITAL = "investment_capital", _("Investeringskapital")
    STARTUP_SUPPORT = "startup_support", _("Projekt- eller uppstartsstöd")
    OTHER_FINANCING = "other_financing", _("Övrig finansiering")


COST_CATEGORIES = frozenset(
    {
        BudgetLineCategory.STAFF,
        BudgetLineCategory.PREMISES,
        BudgetLineCategory.OPERATIONS,
        BudgetLineCategory.ACTIVITIES,
        BudgetLineCategory.INVESTMENT,
    }
)
# What finances phases 1–2: the peak liquidity need must be covered by these.
LIQUIDITY_CATEGORIES = frozenset(
    {BudgetLineCategory.INVESTMENT_CAPITAL, BudgetLineCategory.STARTUP_SUPPORT}
)
