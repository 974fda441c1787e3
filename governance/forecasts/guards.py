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

The hub's own transition: a hub leaves preparation only with an adopted budget in force for
it (phase 1: "komma överens om budget/kostnadsnivåer") whose financing of phases 1–2 covers
the liquidity they need ("Fas 1 och 2 kräver likviditet alternativt projekt-/uppstartsstöd"):
the budget's investment capital and project or start-up support lines together must be at
least the peak liquidity need of the hub's current forecast. The budget in force is the newest
adopted version for the current year (as ``selectors.budget_in_force``); the current forecast
is the newest result (computed last) of the hub's current scenario, the one saved last (as
``selectors.current_scenario_ids`` and ``latest_results_by_hub``). The guards are declared on
``ForecastsConfig.hub_guards`` and their facts, from ``hub_facts``, on
``ForecastsConfig.hub_facts`` (governance/hubs/guards.py adds both to the hub's).
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import (
    BigIntegerField,
    Exists,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.forecasts.choices import LIQUIDITY_CATEGORIES
from governance.lifecycle import versions
from governance.lifecycle.guards import fact, guard
from governance.memberships.fees import ORE_PER_KRONA, format_kronor

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


# --- The hub's guards ---------------------------------------------------------------------


def _budgets_in_force(hub: OuterRef) -> QuerySet:
    """The hub's adopted budgets for this year, the one in force first."""
    return (
        apps.get_model("forecasts", "Budget").objects.filter(hub=hub).in_force(timezone.localdate())
    )


def hub_facts() -> dict[str, Any]:
    """The hub facts the guards below read: whether an adopted budget is in force this year,
    its liquidity financing (SEK; 0 without a budget) and the current forecast's peak
    liquidity need (SEK; null without a forecast)."""
    financing = (
        apps.get_model("forecasts", "BudgetLine")
        .objects.filter(
            budget=Subquery(_budgets_in_force(OuterRef(OuterRef("pk"))).values("pk")[:1]),
            category__in=LIQUIDITY_CATEGORIES,
        )
        .order_by()
        .values("budget")
        .annotate(total=Sum("amount_sek"))
        .values("total")
    )
    current_scenario = (
        apps.get_model("forecasts", "ForecastScenario")
        .objects.filter(hub=OuterRef(OuterRef("pk")))
        .order_by("-updated_at", "-pk")
        .values("pk")[:1]
    )
    newest_result = (
        apps.get_model("forecasts", "ForecastResult")
        # The planned forecast, as latest_results_by_hub reads it: a live one has its own table.
        .objects.filter(scenario=Subquery(current_scenario), is_live=False)
        .order_by("-computed_at", "-pk")
        .values("peak_liquidity_need_sek")[:1]
    )
    return {
        "has_budget_in_force": Exists(_budgets_in_force(OuterRef("pk"))),
        "liquidity_financing_sek": Coalesce(
            Subquery(financing, output_field=BigIntegerField()), Value(0)
        ),
        "peak_liquidity_need_sek": Subquery(newest_result, output_field=BigIntegerField()),
    }


@guard(
    lambda hub: (
        _("Hubben har ingen fastställd budget för %(year)d.") % {"year": timezone.localdate().year}
    )
)
def budget_adopted(hub: Model) -> bool:
    """The hub's organisations have agreed its budget for this year, and it is adopted."""
    return bool(fact(hub, "has_budget_in_force"))


def _sek(amount: int) -> str:
    return format_kronor(amount * ORE_PER_KRONA)


def _financing_message(hub: Model) -> str:
    need = fact(hub, "peak_liquidity_need_sek")
    if need is None:
        return _(
            "Hubben har ingen beräknad prognos än: beräkna prognosen för hubbens aktuella "
            "scenario, så att finansieringen kan jämföras med likviditetsbehovet."
        )
    return _(
        "Finansieringen %(financing)s täcker inte likviditetsbehovet %(need)s i hubbens "
        "aktuella prognos (investeringskapital och projekt- eller uppstartsstöd i budgeten)."
    ) % {"financing": _sek(fact(hub, "liquidity_financing_sek")), "need": _sek(need)}


@guard(_financing_message)
def financing_covers_liquidity_need(hub: Model) -> bool:
    """Investment capital and project or start-up support in the budget in force are at least
    the current forecast's peak liquidity need; without a forecast there is nothing to cover
    it against, so the hub waits for one."""
    need = fact(hub, "peak_liquidity_need_sek")
    return need is not None and fact(hub, "liquidity_financing_sek") >= need


# Added to the hub's ``start_up`` (ForecastsConfig.hub_guards).
LEAVE_HUB_PREPARATION: list[Guard] = [budget_adopted, financing_covers_liquidity_need]
