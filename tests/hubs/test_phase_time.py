from calendar import monthrange
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.hubs.choices import Phase, TimeStatus
from governance.hubs.models import Hub
from governance.hubs.phase_time import time_status, time_status_filter
from tests.factories import HubFactory

ONE_DAY = timedelta(days=1)

# (phase, entered on, last day on track, last day at risk): the day after each flips the status.
BOUNDS = [
    ("preparation", date(2026, 3, 15), date(2026, 6, 15), date(2026, 12, 15)),
    ("preparation", date(2026, 1, 31), date(2026, 4, 30), date(2026, 10, 31)),
    ("preparation", date(2025, 8, 31), date(2025, 11, 30), date(2026, 5, 31)),
    ("preparation", date(2024, 2, 29), date(2024, 5, 29), date(2024, 11, 29)),
    ("startup", date(2026, 3, 15), date(2026, 9, 15), date(2027, 3, 15)),
    ("startup", date(2026, 1, 31), date(2026, 7, 31), date(2027, 1, 31)),
    ("startup", date(2025, 8, 31), date(2026, 2, 28), date(2026, 8, 31)),
    ("startup", date(2024, 2, 29), date(2024, 8, 29), date(2025, 2, 28)),
]


@pytest.mark.parametrize(("phase", "entered_on", "last_on_track", "last_at_risk"), BOUNDS)
def test_time_status_flips_the_day_after_each_bound(phase, entered_on, last_on_track, last_at_risk):
    assert time_status(phase, entered_on, entered_on) == TimeStatus.ON_TRACK
    assert time_status(phase, entered_on, last_on_track) == TimeStatus.ON_TRACK
    assert time_status(phase, entered_on, last_on_track + ONE_DAY) == TimeStatus.AT_RISK
    assert time_status(phase, entered_on, last_at_risk) == TimeStatus.AT_RISK
    assert time_status(phase, entered_on, last_at_risk + ONE_DAY) == TimeStatus.OVERDUE
    assert time_status(phase, entered_on, date(2030, 1, 1)) == TimeStatus.OVERDUE


@pytest.mark.parametrize("phase", ["preparation", "startup"])
def test_time_status_entered_in_the_future_is_on_track(phase):
    assert time_status(phase, date(2026, 6, 1), date(2026, 5, 1)) == TimeStatus.ON_TRACK


@pytest.mark.parametrize("phase", ["proposed", "operations", "paused", "closed"])
def test_time_status_is_none_for_phases_without_an_estimate(phase):
    assert time_status(phase, date(2020, 1, 31), date(2026, 3, 1)) is None


def _hub_in(phase: str, entered_on: date) -> Hub:
    hub = HubFactory()
    # The phase field is protected; tests place hubs directly instead of walking transitions.
    Hub.objects.filter(pk=hub.pk).update(phase=phase, phase_entered_on=entered_on)
    return hub


def _filtered(status: str, today: date) -> set[int]:
    return set(Hub.objects.filter(time_status_filter(status, today)).values_list("pk", flat=True))


ON_TRACK, AT_RISK, OVERDUE = TimeStatus.ON_TRACK, TimeStatus.AT_RISK, TimeStatus.OVERDUE

# (today, [(phase, entered on, expected status)]): entries on and just past each bound.
FILTER_CASES = [
    (
        date(2026, 3, 1),
        [
            ("preparation", date(2025, 12, 1), ON_TRACK),
            ("preparation", date(2025, 11, 30), AT_RISK),
            ("preparation", date(2025, 11, 29), AT_RISK),
            ("preparation", date(2025, 6, 1), AT_RISK),
            ("preparation", date(2025, 5, 31), OVERDUE),
            ("startup", date(2025, 9, 1), ON_TRACK),
            ("startup", date(2025, 8, 31), AT_RISK),
            ("startup", date(2025, 3, 1), AT_RISK),
            ("startup", date(2025, 2, 28), OVERDUE),
            ("operations", date(2020, 1, 1), None),
            ("paused", date(2020, 1, 1), None),
            ("closed", date(2020, 1, 1), None),
            ("proposed", date(2020, 1, 1), None),
        ],
    ),
    # Today minus the months lands on a shorter month's end, a few days before the bound.
    (
        date(2026, 5, 31),
        [
            ("preparation", date(2026, 3, 1), ON_TRACK),
            ("preparation", date(2026, 2, 28), AT_RISK),
            ("preparation", date(2025, 8, 31), AT_RISK),
            ("preparation", date(2025, 8, 30), OVERDUE),
            ("startup", date(2025, 12, 1), ON_TRACK),
            ("startup", date(2025, 11, 30), AT_RISK),
            ("startup", date(2025, 5, 31), AT_RISK),
            ("startup", date(2025, 5, 30), OVERDUE),
        ],
    ),
    (
        date(2026, 11, 30),
        [
            ("preparation", date(2026, 8, 30), ON_TRACK),
            ("preparation", date(2026, 3, 1), AT_RISK),
            ("preparation", date(2026, 2, 28), OVERDUE),
            ("startup", date(2025, 11, 30), AT_RISK),
            ("startup", date(2025, 11, 29), OVERDUE),
        ],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "entries"), FILTER_CASES)
def test_time_status_filter_selects_hubs_either_side_of_the_bounds(today, entries):
    for phase, entered_on, expected in entries:
        assert time_status(phase, entered_on, today) == expected, (phase, entered_on)
    hubs = [(_hub_in(phase, entered_on).pk, expected) for phase, entered_on, expected in entries]
    for status in TimeStatus:
        assert _filtered(status, today) == {pk for pk, expected in hubs if expected == status}


@pytest.mark.django_db
def test_time_status_filter_with_an_unknown_status_matches_nothing():
    _hub_in("preparation", date(2020, 1, 1))
    assert _filtered("late", date(2026, 3, 1)) == set()


def _near_month_end(year: int, month: int, days_before: int) -> date:
    return date(year, month, monthrange(year, month)[1]) - timedelta(days=days_before)


MONTH_ENDS = st.builds(
    _near_month_end, st.integers(2023, 2028), st.integers(1, 12), st.integers(0, 1)
)
DAYS = st.one_of(MONTH_ENDS, st.dates(date(2023, 1, 1), date(2028, 12, 31)))
PHASE_BOUNDS = [("preparation", 3), ("preparation", 9), ("startup", 6), ("startup", 12)]


@st.composite
def _hubs_and_today(draw: st.DrawFn) -> tuple[date, list[tuple[str, date]]]:
    """A day, mostly a month end, and a handful of hubs, most entered a few days from a bound."""
    today = draw(st.one_of(MONTH_ENDS, DAYS))
    entries = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 2)):
            phase, months = draw(st.sampled_from(PHASE_BOUNDS))
            shift = timedelta(days=draw(st.integers(-2, 2)))
            entries.append((phase, today - relativedelta(months=months) + shift))
        else:
            entries.append((draw(st.sampled_from(Phase.values)), draw(DAYS)))
    return today, entries


@pytest.mark.django_db
def test_time_status_filter_agrees_with_time_status_for_generated_hubs():
    runs: list[date] = []
    statuses_seen: set[str] = set()

    # Hypothesis runs inside the test's one transaction, so each example removes its rows.
    @settings(max_examples=60, deadline=None)
    @given(_hubs_and_today())
    def check(scenario: tuple[date, list[tuple[str, date]]]) -> None:
        today, entries = scenario
        runs.append(today)
        ids = [_hub_in(phase, entered_on).pk for phase, entered_on in entries]
        try:
            rows = Hub.objects.values_list("pk", "phase", "phase_entered_on")
            for status in TimeStatus:
                expected = {pk for pk, phase, on in rows if time_status(phase, on, today) == status}
                statuses_seen.update([status] if expected else [])
                assert _filtered(status, today) == expected, (status, today, entries)
        finally:
            Hub.objects.filter(pk__in=ids).delete()

    check()

    assert len(runs) >= 60
    assert statuses_seen == set(TimeStatus)
    assert not Hub.objects.exists()


# The playbook ("Faser och tidsuppskattningar vid etablering") gives estimates, not deadlines.
WORDS = {
    "sv": {
        TimeStatus.ON_TRACK: "Inom den kortaste uppskattningen",
        TimeStatus.AT_RISK: "Längre än den kortaste uppskattningen",
        TimeStatus.OVERDUE: "Längre än uppskattat",
    },
    "en": {
        TimeStatus.ON_TRACK: "Within the shortest estimate",
        TimeStatus.AT_RISK: "Longer than the shortest estimate",
        TimeStatus.OVERDUE: "Longer than estimated",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_time_status_words_speak_of_estimates_not_delays(language):
    entered_on = date(2026, 3, 15)
    statuses = {
        day: time_status("preparation", entered_on, day)
        for day in (date(2026, 6, 15), date(2026, 6, 16), date(2026, 12, 16))
    }
    with translation.override(language):
        words = {status: str(status.label) for status in statuses.values()}
    assert words == WORDS[language]
    for word in words.values():
        assert not any(late in word.lower() for late in ("försen", "late", "overdue", "risk"))
