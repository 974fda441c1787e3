"""The conditions of a matter's transitions (models.py declares the machine), one list per
transition."""

from django.utils.translation import gettext_lazy as _

from governance.boards.choices import DECIDED_STATES, MatterKind
from governance.lifecycle.guards import guard


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
OPEN_VOTE: list = []
ADOPT: list = []
REJECT: list = []
NOTE: list = []
IMPLEMENT: list = [was_adopted]
WITHDRAW: list = [not_decided]
