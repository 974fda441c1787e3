"""The conditions of a member's transitions, and the facts they read.

Playbook, "Medlemskap": an employee of a member organisation applies by answering two
questions, and "Något ytterligare krav ställdes inte" — so being employed by an organisation
with an active agreement that covers the hub (the hub's own or a national one) is the only
condition of approval, and its absence the only ground to decline. In the seat model the
agreement must also have a free seat ("Avtal, upphandling och administration": the number of
individual memberships is agreed). The onboarding steps are "Övrig medlemsadministration".

Models are reached through ``apps.get_model``: models.py imports this module.
"""

from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from governance.lifecycle.guards import fact, guard


def covering_agreements_filter(*, organisation: Any, hub: Any) -> Q:
    """Active agreements of ``organisation`` valid in ``hub``: the hub's own or national ones.
    The arguments are ids or ``OuterRef`` expressions."""
    return Q(state="active", member=organisation) & (Q(hub=hub) | Q(hub__isnull=True))


def seats_taken() -> Subquery:
    """Per agreement (``OuterRef("pk")``): its current seat holders."""
    seat_holder = apps.get_model("memberships", "SeatHolder")
    counted = (
        seat_holder.objects.filter(agreement=OuterRef("pk"), until__isnull=True)
        .order_by()
        .values("agreement")
        .annotate(taken=Count("pk"))
        .values("taken")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_room() -> Q:
    """An agreement with room for one more member: the open model, or a free seat (needs the
    ``seats_taken`` annotation)."""
    return Q(model="open") | Q(seats__gt=F("taken"))


def member_facts() -> dict[str, Any]:
    """Annotations the guards read: a covering agreement, one with room, open onboarding."""
    agreement = apps.get_model("memberships", "Agreement")
    onboarding_item = apps.get_model("members", "OnboardingItem")
    covering = agreement.objects.filter(
        covering_agreements_filter(organisation=OuterRef("organisation"), hub=OuterRef("hub"))
    )
    open_items = (
        onboarding_item.objects.filter(member=OuterRef("pk"), done=False)
        .order_by()
        .values("member")
        .annotate(open=Count("pk"))
        .values("open")
    )
    return {
        "has_covering_agreement": Exists(covering),
        "has_agreement_with_room": Exists(
            covering.annotate(taken=seats_taken()).filter(with_room())
        ),
        "onboarding_open_count": Coalesce(
            Subquery(open_items, output_field=IntegerField()), Value(0)
        ),
    }


def _not_eligible_message(member: Any) -> str:
    if not fact(member, "has_covering_agreement"):
        return _("%(organisation)s har inget gällande medlemsavtal som omfattar %(hub)s.") % {
            "organisation": member.organisation.name,
            "hub": member.hub.name,
        }
    return _("Alla platser i %(organisation)s avtal för %(hub)s är tagna.") % {
        "organisation": member.organisation.name,
        "hub": member.hub.name,
    }


def is_eligible(member: Any) -> bool:
    """Employed by an organisation with an active agreement covering the hub, with room."""
    return bool(fact(member, "has_agreement_with_room"))


@guard(lambda member: _("E-postadressen är inte bekräftad."))
def email_confirmed(member: Any) -> bool:
    """The applicant confirmed the address (or the CM registered them)."""
    return member.email_confirmed_at is not None


@guard(_not_eligible_message)
def eligible(member: Any) -> bool:
    """Checked again at approval: the agreement may have ended since the application."""
    return is_eligible(member)


@guard(
    lambda member: _(
        "Den sökande är anställd hos en organisation med gällande avtal för hubben; en ansökan "
        "avslås bara när den sökande inte är behörig."
    )
)
def not_eligible(member: Any) -> bool:
    """Eligibility is the only ground to decline ("Något ytterligare krav ställdes inte")."""
    return not is_eligible(member)


@guard(
    lambda member: (
        _("%(count)d av introduktionens fyra steg är inte gjorda.")
        % {"count": fact(member, "onboarding_open_count")}
    )
)
def onboarding_done(member: Any) -> bool:
    """Every step of the onboarding is done ("Övrig medlemsadministration")."""
    return fact(member, "onboarding_open_count") == 0


APPROVE = [email_confirmed, eligible]
DECLINE = [email_confirmed, not_eligible]
ONBOARD = [onboarding_done]
