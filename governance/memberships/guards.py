"""Conditions of the fee schedules' and agreements' transitions, in words a principal reads.

Fee schedules (playbook "Etablering och finansering" and "Förvaltningsorganisation för de
enskilda hubbarna"): in preparation the engaged organisations agree on the levels ("komma
överens om budget/kostnadsnivåer"), so adopting records who agreed, when and a reference; once
the hub has an owner group, which "sätter budget och kostnadsnivåer", only its decision adopts
(the boards' issue wires that), so this path is closed. A new version takes over from its
effective date, which must be later than that of the version in force.

Agreements ("Avtal, upphandling och administration"): signed needs both signatures; an
agreement becomes active on its start date and expires after its end date; a termination has
a date and a reason.

``fee_schedule_facts`` holds the facts the schedule guards read, as annotations. The
agreed-version guards (agreement recorded, no owner group yet, successor adopted) are the shared
ones of ``governance/lifecycle/versions.py``, with the fee schedules' words.

The hub's own transition: a hub leaves preparation only with an adopted fee schedule in force
for it ("Etablering och finansering", phase 1: "komma överens om budget/kostnadsnivåer"). The
guard is declared on ``MembershipsConfig.hub_guards`` and its fact, from ``hub_facts``, on
``MembershipsConfig.hub_facts`` (governance/hubs/guards.py adds both to the hub's).
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Exists, Model, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.lifecycle import versions
from governance.lifecycle.guards import fact, guard
from governance.memberships.fees import ladder_errors

Guard = Callable[[Model], bool]


def fee_schedule_facts() -> dict[str, Any]:
    """Annotations with every fact a fee schedule's guard reads (the latest adopted version is
    the one with the latest effective date)."""
    return versions.version_facts("memberships.FeeSchedule", latest="effective_from")


def _ladder_message(schedule: Model) -> str:
    problems = [
        message
        for messages in ladder_errors(schedule.tier_values()).values()
        for message in messages
    ]
    return _("Avgiftstrappan är inte giltig: %(problems)s") % {"problems": "; ".join(problems)}


@guard(_ladder_message)
def ladder_valid(schedule: Model) -> bool:
    """The ladders start at 1 employee, have no gaps or overlaps and end open-ended."""
    return not ladder_errors(schedule.tier_values())


agreement_recorded = versions.agreement_recorded_guard(
    lambda schedule: _(
        "Ange vilka organisationer som kommit överens om avgifterna, när och en referens."
    )
)
no_owner_group_yet = versions.no_owner_group_yet_guard(
    lambda schedule: _("Hubben har en ägargrupp: avgifterna fastställs genom ägargruppens beslut.")
)


@guard(
    lambda schedule: (
        _("Gäller från måste vara senare än för versionen som gäller nu (%(date)s).")
        % {"date": versions.latest_adopted(schedule)}
    )
)
def later_than_adopted(schedule: Model) -> bool:
    """A new version replaces the one in force from a later date, never backwards."""
    latest = versions.latest_adopted(schedule)
    return latest is None or schedule.effective_from > latest


# Superseded only by a later adopted version of the same hub (or national).
successor_adopted = versions.successor_adopted_guard(
    lambda schedule: _("Ingen senare version är fastställd."), latest="effective_from"
)


@guard(lambda agreement: _("Båda parternas underskrifter är inte registrerade."))
def both_signatures_recorded(agreement: Model) -> bool:
    """The member's avtalsombud and the principal's avtalstecknare have both signed."""
    return bool(agreement.member_signed_on and agreement.principal_signed_on)


@guard(lambda agreement: _("Avtalet börjar gälla först %(date)s.") % {"date": agreement.start_on})
def period_started(agreement: Model) -> bool:
    return agreement.start_on <= timezone.localdate()


@guard(lambda agreement: _("Avtalet gäller till och med %(date)s.") % {"date": agreement.end_on})
def period_ended(agreement: Model) -> bool:
    return agreement.end_on < timezone.localdate()


@guard(lambda agreement: _("Ange uppsägningsdatum och skäl."))
def termination_recorded(agreement: Model) -> bool:
    return bool(agreement.terminated_on and agreement.termination_reason.strip())


def hub_facts() -> dict[str, Any]:
    """The hub fact the guard below reads: whether the hub has its own fee schedule in force
    today (what ``selectors.fee_schedule_in_force`` finds; a national one does not count)."""
    return {
        "has_fee_schedule_in_force": Exists(
            apps.get_model("memberships", "FeeSchedule")
            .objects.filter(hub=OuterRef("pk"))
            .in_force(timezone.localdate())
        )
    }


@guard(lambda hub: _("Hubben har ingen fastställd avgiftstrappa som gäller nu."))
def fee_schedule_adopted(hub: Model) -> bool:
    """The hub's organisations have agreed its fee levels, and they are in force."""
    return bool(fact(hub, "has_fee_schedule_in_force"))


ADOPT: list[Guard] = [ladder_valid, agreement_recorded, no_owner_group_yet, later_than_adopted]
SUPERSEDE: list[Guard] = [successor_adopted]
SIGN: list[Guard] = [both_signatures_recorded]
ACTIVATE: list[Guard] = [period_started]
EXPIRE: list[Guard] = [period_ended]
TERMINATE: list[Guard] = [termination_recorded]
# Added to the hub's ``start_up`` (MembershipsConfig.hub_guards).
LEAVE_HUB_PREPARATION: list[Guard] = [fee_schedule_adopted]
