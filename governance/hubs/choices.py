"""Fixed sets of values of the hubs app: phases, statuses, counties and the hub roles.

The phases, their checklists and the readiness aspects come from the playbook, section
"Etablering och finansering" (phase 1 Förberedelser, phase 2 Uppstart, phase 3 Drift); the
phases' estimated durations from "Faser och tidsuppskattningar vid etablering".
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
    """The playbook's four aspects ("Etablering och finansering") that affect whether a new hub's
    establishment is easy or hard, expensive or cheap, fast or slow. relationships: whether there
    are established relationships and networks between the organisations at top management level
    locally/regionally; premises: whether suitable premises are available (and can be prepared for
    Samverket's purpose); people: whether one or more people can spend the time needed to get the
    work started; principal: whether some organisation wants to step into an owner role."""

    RELATIONSHIPS = "relationships", _("Relationer och nätverk på högsta ledningsnivå")
    PREMISES = "premises", _("Lämplig lokal att tillgå")
    PEOPLE = "people", _("Personer som kan lägga tiden för att starta igång arbetet")
    PRINCIPAL = "principal", _("Organisation som vill kliva in i en ägarroll")


# Each aspect as the playbook words it ("Etablering och finansering"), for help texts.
READINESS_ASPECT_HELP = {
    ReadinessAspect.RELATIONSHIPS: _(
        "Om det finns upparbetade relationer och nätverk mellan organisationerna på högsta "
        "ledningsnivå lokalt/regionalt."
    ),
    ReadinessAspect.PREMISES: _(
        "Om det finns en lämplig lokal att tillgå (och möjligheten finns att iordningställa den "
        "för Samverkets syfte)."
    ),
    ReadinessAspect.PEOPLE: _(
        "Om det finns en eller flera personer som kan lägga den tid som krävs för att starta "
        "igång arbetet."
    ),
    ReadinessAspect.PRINCIPAL: _(
        "Om det finns någon organisation som vill kliva in i en ägarroll."
    ),
}


# A hub's time in its phase against the playbook's estimates ("Faser och tidsuppskattningar vid
# etablering", phase_time.py): estimates, not deadlines, so no word says late. No docstring on
# this class or County: it would become their description in the OpenAPI schema.
class TimeStatus(models.TextChoices):
    ON_TRACK = "on_track", _("Inom den kortaste uppskattningen")
    AT_RISK = "at_risk", _("Längre än den kortaste uppskattningen")
    OVERDUE = "overdue", _("Längre än uppskattat")


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
