"""Conditions of the budgets' transitions, in words a principal reads.

Playbook "Etablering och finansering": in preparation the engaged organisations agree on the
budget ("komma överens om budget/kostnadsnivåer"), so adopting a hub's budget records which
organisations agreed, when, and a reference; once the hub has an owner group, which "sätter
budget och kostnadsnivåer", only its decision adopts (the boards' issue), so this path closes.
The national node's budget is adopted by the coordinator. A version is superseded only by a
later adopted version of the same budget year.

``budget_facts`` holds the facts the guards read, as annotations.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Exists, Max, Model, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from governance.lifecycle.guards import fact, guard

Guard = Callable[[Model], bool]
OWNER_GROUP_ROLE = "owner_group_rep"  # the hubs app's HubRole, named by value
ADOPTED = "adopted"


def budget_facts() -> dict[str, Any]:
    """Annotations with every fact a budget's guard reads."""
    role_assignments = apps.get_model("organisations", "RoleAssignment").objects
    return {
        "hub_has_owner_group": Exists(
            role_assignments.filter(hub=OuterRef("hub"), role=OWNER_GROUP_ROLE)
        ),
        "latest_adopted_in_hub": _latest_adopted(Q(hub=OuterRef("hub"))),
        "latest_adopted_national": _latest_adopted(Q(hub__isnull=True)),
        "has_lines": Exists(
            apps.get_model("forecasts", "BudgetLine").objects.filter(budget=OuterRef("pk"))
        ),
    }


def _latest_adopted(scope: Q) -> Subquery:
    budgets = apps.get_model("forecasts", "Budget").objects
    return Subquery(
        budgets.filter(scope, year=OuterRef("year"), state=ADOPTED)
        .order_by()
        .values("year")
        .annotate(latest=Max("version"))
        .values("latest")
    )


@guard(lambda budget: _("Budgeten har inga rader."))
def has_lines(budget: Model) -> bool:
    """A budget without cost or financing lines says nothing."""
    return bool(fact(budget, "has_lines"))


@guard(
    lambda budget: _(
        "Ange vilka organisationer som kommit överens om budgeten, när och en referens."
    )
)
def agreement_recorded(budget: Model) -> bool:
    """A hub's budget is agreed among its organisations: who, when and a reference recorded."""
    if budget.hub_id is None:
        return True
    return bool(budget.agreed_on and budget.decision_reference and budget.agreed_by.exists())


@guard(lambda budget: _("Hubben har en ägargrupp: budgeten fastställs genom ägargruppens beslut."))
def no_owner_group_yet(budget: Model) -> bool:
    """Before a hub has an owner group its principal staff record the agreed budget."""
    return budget.hub_id is None or not fact(budget, "hub_has_owner_group")


@guard(lambda budget: _("Ingen senare version av budgeten är fastställd."))
def successor_adopted(budget: Model) -> bool:
    """Superseded only by a later adopted version of the same budget year."""
    name = "latest_adopted_national" if budget.hub_id is None else "latest_adopted_in_hub"
    latest = fact(budget, name)
    return latest is not None and latest > budget.version


ADOPT: list[Guard] = [has_lines, agreement_recorded, no_owner_group_yet]
SUPERSEDE: list[Guard] = [successor_adopted]
