"""The agreements' start-page boxes (``web_start_slots`` in apps.py): for those who manage
agreements, what waits to be sent and what to renew."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.memberships import selectors
from governance.web.registry import StartSlot


def _manages_agreements(request: HttpRequest) -> bool:
    return request.user.has_perm("memberships.manage_some_agreements")


def agreements_to_send(request: HttpRequest) -> StartSlot | None:
    """Generated documents not yet sent to the member's avtalsombud."""
    if not _manages_agreements(request):
        return None
    rows = selectors.agreements_to_send(request.user)
    return StartSlot(
        title=_("Avtal att skicka"),
        template="memberships/slots/agreements.html",
        context={"rows": rows, "show": "start_on"},
        empty_text=_("Inga skapade avtal väntar på att skickas."),
    )


def agreements_to_renew(request: HttpRequest) -> StartSlot | None:
    """Active agreements ending within 60 days, not yet renewed."""
    if not _manages_agreements(request):
        return None
    rows = selectors.agreements_to_renew(request.user, today=timezone.localdate())
    return StartSlot(
        title=_("Avtal att förnya"),
        template="memberships/slots/agreements.html",
        context={"rows": rows, "show": "end_on"},
        empty_text=_("Inga gällande avtal slutar inom 60 dagar."),
    )
