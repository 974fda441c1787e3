"""The boards' vocabularies (playbook "Organisation och ägarskap" and "Förvaltningsorganisation
för de enskilda hubbarna")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The two bodies every hub has: the members' council that sets budget and fee levels, and
    the creative board free to create new ways of collaborating."""

    OWNER_GROUP = "owner_group", _("Ägargrupp")
    CREATIVE_BOARD = "creative_board", _("Creative board")


class HolderKind(models.TextChoices):
    REPRESENTATIVE = "representative", _("Ledamot")
    SUBSTITUTE = "substitute", _("Ersättare")


class MatterOrigin(models.TextChoices):
    OWNER_GROUP = "owner_group", _("Ägargruppens inspel till creative board")
    CREATIVE_BOARD = "creative_board", _("Creative boardens eget utvecklingsområde")
    COMMUNITY = "community", _("Inspel från communityn via CM")
    PRINCIPAL = "principal", _("Huvudmannen (budget och avgiftsnivåer)")
    NATIONAL = "national", _("Nationella noden")


class MatterKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    FEE_LEVELS = "fee_levels", _("Avgiftsnivåer")
    STRATEGIC = "strategic", _("Strategiskt utvecklingsområde")
    COLLABORATION = "collaboration", _("Samverkansinitiativ")
    OTHER = "other", _("Övrigt")


class MatterState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnat")
    ROUTED = "routed", _("Fördelat")
    IN_REVIEW = "in_review", _("Under beredning")
    VOTING = "voting", _("Omröstning pågår")
    ADOPTED = "adopted", _("Bifallet")
    REJECTED = "rejected", _("Avslaget")
    NOTED = "noted", _("Antecknat")
    IMPLEMENTED = "implemented", _("Genomfört")
    WITHDRAWN = "withdrawn", _("Återkallat")


# "decided (adopted | rejected | noted)": the states a decision leaves a matter in.
DECIDED_STATES = (MatterState.ADOPTED, MatterState.REJECTED, MatterState.NOTED)
# Before a decision its author may still withdraw it.
UNDECIDED_STATES = (
    MatterState.DRAFT,
    MatterState.SUBMITTED,
    MatterState.ROUTED,
    MatterState.IN_REVIEW,
    MatterState.VOTING,
)


class Venue(models.TextChoices):
    """Where a matter is decided: at a meeting, or by correspondence (per capsulam) online with
    a deadline, when the principal opens it so."""

    MEETING = "meeting", _("Vid sammanträde")
    CORRESPONDENCE = "correspondence", _("Per capsulam")


class DecisionMethod(models.TextChoices):
    AGREEMENT = "agreement", _("I enighet")
    VOTE = "vote", _("Efter omröstning")


class VoteChoice(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    ABSTAIN = "abstain", _("Avstår")


class Majority(models.TextChoices):
    """A board setting, not a playbook rule; the default is more yes than no."""

    SIMPLE = "simple", _("Fler ja än nej")
    ABSOLUTE = "absolute", _("Fler ja än hälften av rösterna (nedlagda räknas)")
    TWO_THIRDS = "two_thirds", _("Minst två tredjedelar ja av rösterna")


class Capacity(models.TextChoices):
    """In what capacity someone attended a meeting."""

    REPRESENTATIVE = "representative", _("Ledamot")
    SUBSTITUTE = "substitute", _("Tjänstgörande ersättare")
    ADJUNCT = "adjunct", _("Adjungerad utan rösträtt")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Ojusterat")
    APPROVED = "approved", _("Justerat")
