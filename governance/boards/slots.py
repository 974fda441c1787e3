"""The boards' start-page box (``web_start_slots`` in apps.py): the votes waiting for me."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.boards.selectors import current_holdings
from governance.boards.voting import votes_waiting_for
from governance.web.registry import StartSlot


def votes_waiting(request: HttpRequest) -> StartSlot | None:
    """For seat holders: open votes their seat has not cast."""
    today = timezone.localdate()
    if not request.user.is_authenticated or not current_holdings(request.user, today).exists():
        return None
    return StartSlot(
        title=_("Omröstningar som väntar på dig"),
        template="boards/slots/votes.html",
        context={"rows": list(votes_waiting_for(request.user, today).select_related("board__hub"))},
        empty_text=_("Inga omröstningar väntar på din röst."),
    )
