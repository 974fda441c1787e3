"""Each hub's phases on one time axis, planned against actual, as shapes for an inline SVG."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from governance.hubs.choices import Phase

PHASES = (Phase.PREPARATION, Phase.STARTUP, Phase.OPERATIONS)
WIDTH = 900
LABEL_WIDTH = 160
ROW_HEIGHT = 34
BAR_HEIGHT = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    phase: str
    kind: str  # "planned" or "actual"
    title: str


def _starts(hub: Any, suffix: str) -> list[tuple[str, date]]:
    return [
        (phase.value, getattr(hub, f"{phase.value}_{suffix}"))
        for phase in PHASES
        if getattr(hub, f"{phase.value}_{suffix}")
    ]


def _segments(starts: list[tuple[str, date]], end: date) -> list[tuple[str, date, date]]:
    """Each phase from its start to the next phase's start (the last to ``end``)."""
    starts = sorted(starts, key=lambda pair: pair[1])
    return [
        (phase, start, starts[index + 1][1] if index + 1 < len(starts) else max(start, end))
        for index, (phase, start) in enumerate(starts)
    ]


def timeline(hubs: list[Any], today: date) -> dict[str, Any]:
    """Rows of bars (planned above, actual below) and the axis's years, for the template."""
    planned = {hub.pk: _starts(hub, "planned_on") for hub in hubs}
    actual = {hub.pk: _starts(hub, "started_on") for hub in hubs}
    dates = [day for pairs in (*planned.values(), *actual.values()) for _, day in pairs]
    if not dates:
        return {"rows": [], "years": [], "height": 0, "width": WIDTH}
    first = min(dates)
    last = max([*dates, today])
    span = max((last - first).days, 1)
    scale = (WIDTH - LABEL_WIDTH - 10) / span

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + (day - first).days * scale, 1)

    rows = []
    for index, hub in enumerate(hubs):
        y = index * ROW_HEIGHT + 20
        bars = []
        actual_end = hub.closed_on or today
        for kind, starts, end, offset in (
            ("planned", planned[hub.pk], last, 0),
            ("actual", actual[hub.pk], actual_end, BAR_HEIGHT + 2),
        ):
            for phase, start, stop in _segments(starts, end):
                bars.append(
                    Bar(
                        x=x_of(start),
                        y=y + offset,
                        width=max(round((stop - start).days * scale, 1), 2),
                        phase=phase,
                        kind=kind,
                        title=f"{Phase(phase).label}: {start:%Y-%m-%d} – {stop:%Y-%m-%d}",
                    )
                )
        rows.append({"hub": hub, "y": y, "label_y": y + BAR_HEIGHT + 2, "bars": bars})
    years = [
        {"year": year, "x": x_of(date(year, 1, 1))} for year in range(first.year + 1, last.year + 1)
    ]
    return {
        "rows": rows,
        "years": years,
        "today_x": x_of(today),
        "height": len(hubs) * ROW_HEIGHT + 24,
        "width": WIDTH,
    }
