"""The start-page boxes of the hubs' pages (declared as ``web_start_slots`` in apps.py)."""

from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.hubs import selectors
from governance.hubs.choices import ItemStatus, TimeStatus
from governance.hubs.models import HubChecklistItem
from governance.hubs.phase_time import PHASE_DURATION_MONTHS, time_status
from governance.hubs.schemas import ChecklistItemOut
from governance.lifecycle.selectors import transition_options
from governance.organisations.roles import national_role_values, user_roles
from governance.web.registry import StartSlot

NEEDS_ATTENTION = {TimeStatus.AT_RISK, TimeStatus.OVERDUE}


def hubs_needing_attention(request: HttpRequest) -> StartSlot | None:
    """For those who move hubs: hubs past an estimate or with a next phase they cannot enter."""
    user = request.user
    if not user.has_perm("hubs.move_hub"):
        return None
    today = timezone.localdate()
    rows = []
    # Only the phases with an estimate have a way forward that guards can block.
    for hub in selectors.hubs_with_facts().filter(phase__in=PHASE_DURATION_MONTHS):
        status = time_status(hub.phase, hub.phase_entered_on, today)
        available, blocked = transition_options(hub, user)
        # Pausing and closing are always open; "blocked" means the way forward is.
        forward_blocked = [entry for entry in blocked if entry["target"]]
        forward_open = [entry for entry in available if entry["target"]]
        if status in NEEDS_ATTENTION or (forward_blocked and not forward_open):
            rows.append(
                {
                    "hub": hub,
                    "time_status": status,
                    "days_in_phase": (today - hub.phase_entered_on).days,
                    "blocked": forward_blocked,
                }
            )
    return StartSlot(
        title=_("Hubbar som behöver uppmärksamhet"),
        template="web/slots/hubs_needing_attention.html",
        context={"rows": rows},
        empty_text=_("Ingen hubb har tagit längre tid än uppskattat eller står still."),
    )


def my_checklist_items(request: HttpRequest) -> StartSlot | None:
    """For people in a hub: open items of their role in their hubs' current phase."""
    hub_roles = [
        (role, hub_id)
        for role, hub_id in user_roles(request.user)
        if hub_id is not None and role not in national_role_values()
    ]
    if not hub_roles:
        return None
    mine = Q(pk__in=[])
    for role, hub_id in hub_roles:
        mine |= Q(hub_id=hub_id, responsible_role=role)
    items = list(
        HubChecklistItem.objects.filter(mine, status=ItemStatus.OPEN, phase=F("hub__phase"))
        .select_related("hub")
        .order_by("hub__name", "position")
    )
    today = timezone.localdate()
    rows = []
    for item in items:
        target = ChecklistItemOut.resolve_target_date(item)
        rows.append({"item": item, "target_date": target, "late": bool(target and target < today)})
    rows.sort(key=lambda row: (not row["late"], row["item"].hub.name, row["item"].position))
    return StartSlot(
        title=_("Dina öppna punkter i checklistan"),
        template="web/slots/my_checklist_items.html",
        context={"rows": rows, "late_count": sum(1 for row in rows if row["late"])},
        empty_text=_("Inga öppna punkter för dina roller just nu."),
    )


def coordinator_tools(request: HttpRequest) -> StartSlot | None:
    """The coordinator's tools: propose a hub, re-check the organisation numbers."""
    may_propose = request.user.has_perm("hubs.add_hub")
    may_revalidate = request.user.has_perm("organisations.revalidate_org_numbers")
    if not (may_propose or may_revalidate):
        return None
    return StartSlot(
        title=_("Verktyg"),
        template="web/slots/tools.html",
        context={"may_propose": may_propose, "may_revalidate": may_revalidate},
    )
