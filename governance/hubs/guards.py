"""Conditions a hub must meet to leave a phase, each with words a coordinator understands.

From the playbook, "Etablering och finansering": phase 1 (Förberedelser) is to "identifiera
ägarorganisationen, komma överens om budget/kostnadsnivåer samt iordningställa lokalen", so
leaving it needs the principal identified and the premises at least contracted; in phase 2
(Uppstart) "Konceptutvecklare och Community Manager har de centrala rollerna", and a community
manager, the facilitating "motor" that "krävs för att få igång en nystartad community"
("Community manager"), must be appointed before it starts. Each phase's required checklist
items must be resolved to leave it, and leaving startup for operations needs at least one
signed membership agreement (the memberships app's, read by name as "memberships.Agreement").

A guard is one small function decorated with ``@guard(message)`` (the lifecycle toolkit's); add
it to the list of the transition it gates. ``hub_facts`` holds the facts guards read, as
annotations, so that a list of hubs loads them in one query (selectors.hubs_with_facts); a guard
reads them with ``fact()``, which fails loudly when a hub was loaded without them.

Apps that depend on hubs add guards of their own to a hub's transition, since this module may
not import them: their AppConfig declares ``hub_guards`` (transition name → dotted path of a
list of guards) and ``hub_facts`` (dotted path of a function giving the annotations those
guards read). ``HubsConfig.ready`` adds the guards after the hubs' own once the apps are
loaded, in INSTALLED_APPS order, and ``hub_facts()`` includes the facts. Leaving
preparation so also needs an adopted fee schedule in force (memberships) and an adopted budget
in force whose financing covers the current forecast's liquidity need (forecasts).
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, IntegerField, Model, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.module_loading import import_string
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from governance.core.registry import declarations
from governance.hubs.choices import HubRole, ItemStatus, PremisesStatus
from governance.lifecycle.guards import fact, guard

# Guards receive a Hub, typed as Model: models.py imports this module, not the other way.
Guard = Callable[[Model], bool]
_SHOWN_OPEN_ITEMS = 5


def items_in_phase(*conditions: Q) -> Coalesce:
    """How many of the hub's checklist items in its current phase meet ``conditions``, as an
    annotation.

    A subquery per count rather than one join with GROUP BY: grouping would evaluate the other
    facts' subqueries once per joined item instead of once per hub (ten times slower at 1,000
    hubs, bench/overview.py).
    """
    counted = (
        apps.get_model("hubs", "HubChecklistItem")
        .objects.filter(*conditions, hub=OuterRef("pk"), phase=OuterRef("phase"))
        .order_by()
        .values("hub")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def hub_facts() -> dict[str, Any]:
    """Annotations with every fact a guard reads, so a list of hubs needs no query per hub: the
    hubs' own and those of the guards other apps contribute (``contributed_facts``)."""
    role_assignments = apps.get_model("organisations", "RoleAssignment").objects
    own = {
        "open_required_count": items_in_phase(Q(required=True), Q(status=ItemStatus.OPEN)),
        "has_community_manager": Exists(
            role_assignments.filter(hub=OuterRef("pk"), role=HubRole.COMMUNITY_MANAGER)
        ),
        "has_signed_agreement": Exists(
            apps.get_model("memberships", "Agreement").objects.filter(
                hub=OuterRef("pk"), state__in=SIGNED_AGREEMENT_STATES
            )
        ),
    }
    return {**own, **contributed_facts(set(own))}


def contributed_facts(taken: set[str]) -> dict[str, Any]:
    """The facts other apps' hub guards read (AppConfig ``hub_facts``); a fact name declared
    twice, or one the hubs' own facts use, is an error rather than a silent override."""
    facts: dict[str, Any] = {}
    owners = dict.fromkeys(taken, "hubs")
    for app_label, path in declarations("hub_facts"):
        for name, annotation in import_string(path)().items():
            if name in owners:
                raise ImproperlyConfigured(
                    f"The hub fact {name!r} is declared by both the {owners[name]!r} and the "
                    f"{app_label!r} app."
                )
            facts[name], owners[name] = annotation, app_label
    return facts


def contributed_guards() -> dict[str, list[Guard]]:
    """Transition name → the guards other apps add to it (AppConfig ``hub_guards``), in
    INSTALLED_APPS order."""
    guards: dict[str, list[Guard]] = {}
    for _app_label, declared in declarations("hub_guards"):
        for transition, path in declared.items():
            guards.setdefault(transition, []).extend(import_string(path))
    return guards


def _open_required_items(hub: Model) -> list[str]:
    title = "title_en" if (get_language() or "sv").startswith("en") else "title_sv"
    return list(
        hub.checklist_items.filter(phase=hub.phase, required=True, status=ItemStatus.OPEN)
        .order_by("position")
        .values_list(title, flat=True)
    )


def _open_required_message(hub: Model) -> str:
    titles = _open_required_items(hub)
    shown = "; ".join(titles[:_SHOWN_OPEN_ITEMS])
    if len(titles) > _SHOWN_OPEN_ITEMS:
        shown += " …"
    return ngettext(
        "%(count)d obligatorisk punkt i fasens checklista är inte klar: %(items)s",
        "%(count)d obligatoriska punkter i fasens checklista är inte klara: %(items)s",
        len(titles),
    ) % {"count": len(titles), "items": shown}


@guard(_open_required_message)
def required_items_done(hub: Model) -> bool:
    """Every required checklist item of the current phase is done or not applicable."""
    return fact(hub, "open_required_count") == 0


@guard(lambda hub: _("Ingen huvudman (principal organisation) är utsedd för hubben."))
def principal_identified(hub: Model) -> bool:
    """The organisation that will be the hub's principal (huvudman) is set."""
    return hub.principal_id is not None


PREMISES_SECURED = (PremisesStatus.CONTRACTED, PremisesStatus.READY)


@guard(
    lambda hub: (
        _("Lokalen är inte avtalad (lokalens status är ”%(status)s”).")
        % {"status": PremisesStatus(hub.premises_status).label}
    )
)
def premises_contracted(hub: Model) -> bool:
    """The premises are at least contracted (contracted or ready to use)."""
    return hub.premises_status in PREMISES_SECURED


@guard(lambda hub: _("Ingen community manager är utsedd för hubben."))
def community_manager_appointed(hub: Model) -> bool:
    """Someone holds the community manager role in the hub."""
    return bool(fact(hub, "has_community_manager"))


# An agreement in one of these states has been signed by both parties (the memberships app's
# AgreementState values; terminated only ever follows signed or active).
SIGNED_AGREEMENT_STATES = ("signed", "active", "expired", "terminated")


@guard(lambda hub: _("Hubben har inget undertecknat medlemsavtal."))
def signed_agreement(hub: Model) -> bool:
    """At least one membership agreement of the hub has been signed: a hub goes into
    operations with members ("Medlemskap"; "Avtal, upphandling och administration")."""
    return bool(fact(hub, "has_signed_agreement"))


LEAVE_PREPARATION: list[Guard] = [
    required_items_done,
    principal_identified,
    premises_contracted,
    community_manager_appointed,
]
LEAVE_STARTUP: list[Guard] = [required_items_done, signed_agreement]
