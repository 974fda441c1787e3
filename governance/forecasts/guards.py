"""Conditions of the budgets' transitions, in words a principal reads.

Playbook "Etablering och finansering": in preparation the engaged organisations agree on the
budget ("komma överens om budget/kostnadsnivåer"), so adopting a hub's budget records which
organisations agreed, when, and a reference; once the hub has an owner group, which "sätter
budget och kostnadsnivåer", only its decision adopts (the boards' issue), so this path closes.
The national node's budget is adopted by the coordinator. A version is superseded only by a
later adopted version of the same budget year.

``budget_facts`` holds the facts the guards read, as annotations. The agreed-version guards
(agreement recorded, no owner group yet, successor adopted) are the shared ones of
``governance/lifecycle/versions.py``, with the budgets' words.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Exists, Model, OuterRef
from django.utils.translation import gettext as _

from governance.lifecycle import versions
from governance.lifecycle.guards import fact, guard

Guard = Callable[[Model], bool]


def budget_facts() -> dict[str, Any]:
    """Annotations with every fact a budget's guard reads."""
    return {
        **versions.version_facts("forecasts.Budget", scope=["year"], latest="version"),
        "has_lines": Exists(
            apps.get_model("forecasts", "BudgetLine").objects.filter(budget=OuterRef("pk"))
        ),
    }


@guard(lambda budget: _("Budgeten har inga rader."))
def has_lines(budget: Model) -> bool:
    """A budget without cost or financing lines says nothing."""
    return bool(fact(budget, "has_lines"))


agreement_recorded = versions.agreement_recorded_guard(
    lambda budget: _(
        "Ange vilka organisationer som kommit överens om budgeten, när och en referens."
    )
)
no_owner_group_yet = versions.no_owner_group_yet_guard(
    lambda budget: _("Hubben har en ägargrupp: budgeten fastställs genom ägargruppens beslut.")
)
# Superseded only by a later adopted version of the same budget year.
successor_adopted = versions.successor_adopted_guard(
    lambda budget: _("Ingen senare version av budgeten är fastställd."), latest="version"
)

ADOPT: list[Guard] = [has_lines, agreement_recorded, no_owner_group_yet]
SUPERSEDE: list[Guard] = [successor_adopted]
