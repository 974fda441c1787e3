"""The agreements' calendar, walked each night by a scheduled flow ("Avtal, upphandling och
administration"): a signed agreement becomes active on its start date, an active one expires
after its end date, and those ending soon are listed for renewal."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from governance.errors import ConflictError
from governance.lifecycle.services import transition_run
from governance.memberships.choices import AgreementState
from governance.memberships.models import Agreement
from governance.memberships.selectors import agreements_due_for_renewal
from governance.memberships.services import agreements_with_facts


def _moved(due: QuerySet[Agreement], transition: str, comment: str) -> list[dict[str, Any]]:
    """Run ``transition`` on each due agreement in its own transaction; one that its guards
    refuse (the clock of this process disagrees with the given day) is reported, not fatal."""
    outcomes = []
    for agreement_id, number in due.order_by("number").values_list("pk", "number"):
        entry: dict[str, Any] = {"id": agreement_id, "number": number}
        try:
            transition_run(
                agreements_with_facts(),
                pk=agreement_id,
                name=transition,
                actor=None,
                comment=comment,
            )
        except ConflictError as refusal:
            entry["refused"] = " ".join(refusal.details.get("unmet") or [refusal.message])
        outcomes.append(entry)
    return outcomes


def agreements_calendar_advance(*, today: date) -> dict[str, Any]:
    """Move the agreements whose dates have come on ``today`` and list those to renew; the
    summary is the flow run's result."""
    activated = _moved(
        Agreement.objects.filter(state=AgreementState.SIGNED, start_on__lte=today),
        "activate",
        _("Startdatumet har nåtts."),
    )
    expired = _moved(
        Agreement.objects.filter(state=AgreementState.ACTIVE, end_on__lt=today),
        "expire",
        _("Avtalsperioden har löpt ut."),
    )
    to_renew = [
        {"id": pk, "number": number, "member": member, "end_on": end_on.isoformat()}
        for pk, number, member, end_on in agreements_due_for_renewal(on=today).values_list(
            "pk", "number", "member__name", "end_on"
        )
    ]
    return {
        "day": today.isoformat(),
        "activated": activated,
        "expired": expired,
        "to_renew": to_renew,
    }
