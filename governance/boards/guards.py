"""The conditions of a matter's transitions (models.py declares the machine), one list per
transition.

Deciding (playbook "Organisation och ägarskap": steering "i de fall det behövs"): from
``in_review`` a matter is decided in agreement (beslut i enighet) without a vote; from
``voting`` it is adopted or rejected only once the vote is closed, and only as its result says.
Budget and fee levels — what the owner group "sätter" — are adopted or rejected, never noted.
"""

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.boards.choices import DECIDED_STATES, MatterKind
from governance.boards.results import vote_result
from governance.lifecycle.guards import guard

VOTING, BUDGET, FEE_LEVELS = "voting", "budget", "fee_levels"


@guard(_("Ange sista svarsdag för omröstningen."))
def deadline_set(matter) -> bool:
    return matter.vote_deadline is not None


@guard(_("Organet har inga ledamöter: ingen kan rösta."))
def body_has_representatives(matter) -> bool:
    """Someone can vote: the matter's body has an open seat with a current representative."""
    if matter.board_id is None:
        return False
    SeatHolder = apps.get_model("boards", "SeatHolder")  # noqa: N806 - models.py imports us
    return (
        SeatHolder.objects.current(timezone.localdate())
        .filter(seat__board_id=matter.board_id, kind="representative")
        .exists()
    )


def _vote_carried(matter) -> bool:
    return vote_result(matter).carried


@guard(_("Omröstningen är inte stängd än."))
def vote_closed_if_voting(matter) -> bool:
    return matter.state != VOTING or matter.vote_closed_at is not None


@guard(_("Omröstningens resultat är avslag, inte bifall."))
def vote_carried_if_voting(matter) -> bool:
    if matter.state != VOTING or matter.vote_closed_at is None:
        return True
    return _vote_carried(matter)


@guard(_("Omröstningens resultat är bifall, inte avslag."))
def vote_not_carried_if_voting(matter) -> bool:
    if matter.state != VOTING or matter.vote_closed_at is None:
        return True
    return not _vote_carried(matter)


@guard(_("Budget och avgiftsnivåer bifalls eller avslås; de antecknas inte."))
def not_budget_or_fee_levels(matter) -> bool:
    return matter.kind not in (BUDGET, FEE_LEVELS)


@guard(_("Ärendet behöver en rubrik."))
def has_title(matter) -> bool:
    return bool(matter.title.strip())


@guard(_("Ärendet behöver en beskrivning."))
def has_text(matter) -> bool:
    return bool(matter.text.strip())


@guard(_("Ett budgetärende behöver ett budgetförslag."))
def budget_matter_has_budget(matter) -> bool:
    return matter.kind != MatterKind.BUDGET or matter.budget_id is not None


@guard(_("Ett ärende om avgiftsnivåer behöver ett förslag till avgiftstrappa."))
def fee_matter_has_fee_schedule(matter) -> bool:
    return matter.kind != MatterKind.FEE_LEVELS or matter.fee_schedule_id is not None


@guard(_("Ärendet har inte fördelats till något organ än."))
def has_board(matter) -> bool:
    return matter.board_id is not None


@guard(_("Bara ett bifallet ärende kan markeras som genomfört."))
def was_adopted(matter) -> bool:
    return matter.decided_at is not None


@guard(_("Ett beslutat ärende kan inte återkallas."))
def not_decided(matter) -> bool:
    return matter.state not in DECIDED_STATES and matter.decided_at is None


SUBMIT: list = [has_title, has_text, budget_matter_has_budget, fee_matter_has_fee_schedule]
ROUTE: list = [has_board]
REVIEW: list = [has_board]
OPEN_VOTE: list = [deadline_set, body_has_representatives]
ADOPT: list = [vote_closed_if_voting, vote_carried_if_voting]
REJECT: list = [vote_closed_if_voting, vote_not_carried_if_voting]
NOTE: list = [not_budget_or_fee_levels]
IMPLEMENT: list = [was_adopted]
WITHDRAW: list = [not_decided]
