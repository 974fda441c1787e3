"""Fixed sets of values of the hubs app: phases, statuses, counties and the hub roles.

The phases, their checklists and the readiness aspects come from the playbook, chapter
"Etablering och finansering" (phase 1 Förberedelser, phase 2 Uppstart, phase 3 Drift).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    PROPOSED = "proposed", _("Föreslagen")
    PREPARATION = "preparation", _("Förberedelser")
    STARTUP = "startup", _("Uppstart")
    OPERATIONS = "operations", _("Drift")
    PAUSED = "paused", _("Pausad")
    CLOSED = "closed", _("Avslutad")


CHECKLIST_PHASES = (Phase.PREPARATION, Phase.STARTUP, Phase.OPERATIONS)
ACTIVE_PHASES = [Phase.PREPARATION, Phase.STARTUP, Phase.OPERATIONS]


class PremisesStatus(models.TextChoices):
    NONE = "none", _("Ingen lokal")
    IDENTIFIED = "identified", _("Identifierad")
    CONTRACTED = "contracted", _("Avtalad")
    READY = "ready", _("Klar att användas")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    DONE = "done", _("Klar")
    NOT_APPLICABLE = "not_applicable", _("Ej tillämplig")


class ReadinessAspect(models.TextChoices):
    """The four aspects that make an establishment easy or hard (playbook)."""

    RELATIONSHIPS = "relationships", _("Relationer mellan högsta ledningar")
    PREMISES = "premises", _("Lämplig lokal")
    PEOPLE = "people", _("Personer med tid att driva arbetet")
    PRINCIPAL = "principal", _("Organisation villig att vara huvudman")


# A hub's time in its phase against the playbook's estimate (phase_time.py). No docstring on
# this class or County: it would become their description in the OpenAPI schema.
class TimeStatus(models.TextChoices):
    ON_TRACK = "on_track", _("Enligt plan")
    AT_RISK = "at_risk", _("Risk för försening")
    OVERDUE = "overdue", _("Försenad")


# Sweden's counties (län), for a hub's location.
class County(models.TextChoices):
    BLEKINGE = "blekinge", "Blekinge län"
    DALARNA = "dalarna", "Dalarnas län"
    GOTLAND = "gotland", "Gotlands län"
    GAVLEBORG = "gavleborg", "Gävleborgs län"
    HALLAND = "halland", "Hallands län"
    JAMTLAND = "jamtland", "Jämtlands län"
    JONKOPING = "jonkoping", "Jönköpings län"
    KALMAR = "kalmar", "Kalmar län"
    KRONOBERG = "kronoberg", "Kronobergs län"
    NORRBOTTEN = "norrbotten", "Norrbottens län"
    SKANE = "skane", "Skåne län"
    STOCKHOLM = "stockholm", "Stockholms län"
    SODERMANLAND = "sodermanland", "Södermanlands län"
    UPPSALA = "uppsala", "Uppsala län"
    VARMLAND = "varmland", "Värmlands län"
    VASTERBOTTEN = "vasterbotten", "Västerbottens län"
    VASTERNORRLAND = "vasternorrland", "Västernorrlands län"
    VASTMANLAND = "vastmanland", "Västmanlands län"
    VASTRA_GOTALAND = "vastra_gotaland", "Västra Götalands län"
    OREBRO = "orebro", "Örebro län"
    OSTERGOTLAND = "ostergotland", "Östergötlands län"


class HubRole(models.TextChoices):
    """Roles held in one hub."""

    PRINCIPAL_STAFF = "principal_staff", _("Huvudmannens personal")
    ESTABLISHMENT_TEAM = "establishment_team", _("Etableringsteam")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    OWNER_GROUP_REP = "owner_group_rep", _("Ledamot i ägargruppen")
    CREATIVE_BOARD_REP = "creative_board_rep", _("Ledamot i creative board")
