"""How long a hub has been in its phase, against the playbook's estimates.

Playbook, "Faser och tidsuppskattningar vid etablering": Fas 1 Förberedelser 3–9 months, Fas 2
Uppstart 6–12 months. These are estimates, not deadlines: within the lower bound a hub is
``on_track`` ("inom den kortaste uppskattningen"), past it ``at_risk`` ("längre än den kortaste
uppskattningen"), past the upper bound ``overdue`` ("längre än uppskattat"). The values are the
API's; the words (choices.TimeStatus) say no more than the estimate does.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from governance.hubs.choices import TimeStatus

PHASE_DURATION_MONTHS: dict[str, tuple[int, int]] = {
    "preparation": (3, 9),
    "startup": (6, 12),
}


def time_status(phase: str, entered_on: date, today: date) -> TimeStatus | None:
    """The hub's time status in ``phase``, or None for phases without an estimate."""
    if phase not in PHASE_DURATION_MONTHS:
        return None
    lower, upper = PHASE_DURATION_MONTHS[phase]
    if today > entered_on + relativedelta(months=upper):
        return TimeStatus.OVERDUE
    if today > entered_on + relativedelta(months=lower):
        return TimeStatus.AT_RISK
    return TimeStatus.ON_TRACK


def time_status_filter(status: str, today: date) -> Q:
    """The hubs whose time status today is ``status``, as a database filter."""
    matches = Q(pk__in=[])
    for phase, (lower, upper) in PHASE_DURATION_MONTHS.items():
        # "entered_on + n months < today" as a column comparison: entered_on is before the
        # earliest entry date that is still within n months today.
        lower_limit = _earliest_entry_within(today, lower)
        upper_limit = _earliest_entry_within(today, upper)
        in_phase = Q(phase=phase)
        if status == TimeStatus.OVERDUE:
            matches |= in_phase & Q(phase_entered_on__lt=upper_limit)
        elif status == TimeStatus.AT_RISK:
            matches |= in_phase & Q(
                phase_entered_on__lt=lower_limit, phase_entered_on__gte=upper_limit
            )
        elif status == TimeStatus.ON_TRACK:
            matches |= in_phase & Q(phase_entered_on__gte=lower_limit)
    return matches


def _earliest_entry_within(today: date, months: int) -> date:
    """The earliest entry date for which ``entered_on + months >= today``."""
    candidate = today - relativedelta(months=months)
    # relativedelta clamps month ends (31 May - 3 months = 28 February, and 28 February +
    # 3 months = 28 May), so the first guess can be a few days early; step up to the boundary.
    while candidate + relativedelta(months=months) < today:
        candidate += relativedelta(days=1)
    return candidate
