"""Reading a hub's pipeline for its live forecast, and the live results (README "Live forecast").

The rules, each tested by hand in tests/forecasts/test_live.py:
- The pipeline is the hub's agreements, and the national agreements with a locality at the hub,
  that are active, expired or terminated (probability 1: they were agreed) or signed, sent or
  generated (``LIVE_FORECAST_PROBABILITIES``); drafts are left out, and so is an agreement whose
  period ends before the forecast's first month or begins after its last.
- An agreement's fees are those agreed (memberships' ``agreed_amounts_by_hub``: frozen in its
  newest document, else computed; a national one's allocation to this hub). Each calendar year's
  amount is spread evenly over the days of that year its period covers; a month gets the days it
  covers up to the end date or, for a terminated agreement, up to ``terminated_on`` (both days
  included) — after that its revenue stops. The month's expected revenue is that × the
  probability.
- Members taken from the ramp: from the month an agreement starts, it counts its probability as
  a member, for good — a member that leaves (expiry, termination) is churn the ramp does not
  refill. A renewal of an agreement in the pipeline counts no new member.
- From the month of the run on, the scenario's ramp adds the members it expects beyond those
  (engine.Pipeline; before that month only agreements bring fees: the past is what was agreed).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from governance.forecasts import engine
from governance.forecasts.engine import add_months
from governance.forecasts.models import ForecastResult, LiveForecastDemand
from governance.memberships.choices import AgreementState
from governance.memberships.fees import format_kronor
from governance.memberships.models import Agreement
from governance.memberships.selectors import NoFeeScheduleError, agreed_amounts_by_hub

ORE_PER_KRONA = 100
AGREED_STATES = (AgreementState.ACTIVE, AgreementState.EXPIRED, AgreementState.TERMINATED)
WEIGHTED_STATES = (AgreementState.SIGNED, AgreementState.SENT, AgreementState.GENERATED)
# The pipeline table's order: the surest first.
STATE_ORDER = [*AGREED_STATES[:1], *WEIGHTED_STATES, *AGREED_STATES[1:]]


def state_probabilities() -> dict[str, float]:
    """The probability of each pipeline state: 1 for agreed ones, the setting for the others."""
    configured = settings.LIVE_FORECAST_PROBABILITIES
    return {
        **dict.fromkeys(AGREED_STATES, 1.0),
        **{state: float(configured.get(state, 0.0)) for state in WEIGHTED_STATES},
    }


@dataclass(frozen=True)
class HubPipeline:
    """A hub's pipeline as the engine reads it, and as stored beside the result."""

    engine_input: engine.Pipeline
    agreements: list[dict[str, Any]]


def _month_end(month_start: date) -> date:
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def _overlap_days(first: date, last: date, start: date, end: date) -> int:
    return max(0, (min(last, end) - max(first, start)).days + 1)


def _monthly_fees_sek(
    agreement: Agreement, yearly_ore: dict[int, int], months: list[date]
) -> list[float]:
    """The agreement's fees (this hub's part) in each month, unweighted, in SEK."""
    stops_on = min(agreement.end_on, agreement.terminated_on or agreement.end_on)
    fees = []
    for month_start in months:
        year = month_start.year
        amount = yearly_ore.get(year, 0)
        period_start = max(agreement.start_on, date(year, 1, 1))
        period_end = min(agreement.end_on, date(year, 12, 31))
        days_in_period = (period_end - period_start).days + 1
        covered = _overlap_days(month_start, _month_end(month_start), period_start, stops_on)
        fees.append(
            amount * covered / days_in_period / ORE_PER_KRONA if days_in_period > 0 else 0.0
        )
    return fees


def _agreements_of(hub_ids: Iterable[int]) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(
            Q(hub__in=hub_ids) | Q(hub__isnull=True, localities__hub__in=hub_ids),
            state__in=[*AGREED_STATES, *WEIGHTED_STATES],
        )
        .distinct()
        .select_related("member", "hub")
        .prefetch_related("documents", "discounts", "localities__hub")
        .order_by("number")
    )


def hub_pipelines(scenarios: dict[int, engine.Scenario], *, today: date) -> dict[int, HubPipeline]:
    """Hub id → its pipeline over its scenario's months, read on ``today`` (one query for the
    agreements of every hub, plus the fee schedules of agreements without a document)."""
    probabilities = state_probabilities()
    agreements = list(_agreements_of(scenarios))
    amounts: dict[int, dict[int, dict[int, int]] | str] = {}
    for agreement in agreements:
        try:
            amounts[agreement.pk] = agreed_amounts_by_hub(agreement)
        except NoFeeScheduleError as problem:
            amounts[agreement.pk] = str(problem)
    pipelines = {}
    for hub_id, scenario in scenarios.items():
        months = [add_months(scenario.start_month, i) for i in range(scenario.horizon_months)]
        first, last = months[0], _month_end(months[-1])
        fees = [0.0] * len(months)
        members = [0.0] * len(months)
        rows = []
        in_pipeline = {
            a.pk
            for a in agreements
            if _serves(a, hub_id) and a.start_on <= last and (a.terminated_on or a.end_on) >= first
        }
        for agreement in agreements:
            if agreement.pk not in in_pipeline:
                continue
            found = amounts[agreement.pk]
            yearly = found.get(hub_id, {}) if isinstance(found, dict) else {}
            probability = probabilities[agreement.state]
            monthly = _monthly_fees_sek(agreement, yearly, months)
            counts_as_member = agreement.renewed_from_id not in in_pipeline
            for index, month_start in enumerate(months):
                fees[index] += probability * monthly[index]
                if counts_as_member and agreement.start_on <= _month_end(month_start):
                    members[index] += probability
            rows.append(
                {
                    "agreement_id": agreement.pk,
                    "number": agreement.number,
                    "member": agreement.member.name,
                    "national": agreement.is_national,
                    "state": agreement.state,
                    "probability": probability,
                    "start_on": agreement.start_on.isoformat(),
                    "end_on": agreement.end_on.isoformat(),
                    "terminated_on": _iso(agreement.terminated_on),
                    "amounts_ore": {str(year): ore for year, ore in sorted(yearly.items())},
                    "expected_sek": round(probability * sum(monthly)),
                    "problem": found if isinstance(found, str) else "",
                }
            )
        rows.sort(key=lambda row: (STATE_ORDER.index(row["state"]), row["number"]))
        pipelines[hub_id] = HubPipeline(
            engine_input=engine.Pipeline(
                monthly_fees=tuple(fees),
                monthly_members=tuple(members),
                ramp_from_month=_month_number(scenario.start_month, today),
            ),
            agreements=rows,
        )
    return pipelines


def _serves(agreement: Agreement, hub_id: int) -> bool:
    """The agreement is the hub's, or national with a locality at the hub."""
    if agreement.hub_id is not None:
        return agreement.hub_id == hub_id
    return any(locality.hub_id == hub_id for locality in agreement.localities.all())


def _month_number(start_month: date, today: date) -> int:
    """Month number of ``today`` in a forecast starting at ``start_month`` (1 before it)."""
    return max(1, (today.year - start_month.year) * 12 + today.month - start_month.month + 1)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- Live results -------------------------------------------------------------------------


def latest_live_results(hub_ids: Iterable[int] | None = None) -> QuerySet[ForecastResult]:
    """Every hub's latest live forecast (or the hubs asked for's), by hub name."""
    latest = ForecastResult.objects.filter(hub=OuterRef("hub"), is_live=True).order_by(
        "-computed_at", "-pk"
    )
    rows = ForecastResult.objects.filter(pk=Subquery(latest.values("pk")[:1]))
    if hub_ids is not None:
        rows = rows.filter(hub__in=list(hub_ids))
    return rows.select_related("hub").order_by("hub__name")


def latest_live_result(hub_id: int) -> ForecastResult | None:
    return latest_live_results([hub_id]).first()


def live_changed_since(hub_id: int) -> Any:
    """When the hub's agreements first changed after its latest live forecast (None: they
    have not)."""
    marks = LiveForecastDemand.objects.filter(hub=hub_id)
    return marks.values_list("changed_since", flat=True).first()


NATIONAL_COLUMNS = ("revenue_total", "cost_total", "net")


def national_live_sum() -> dict[str, Any]:
    """The national live total: every hub's latest live forecast summed by calendar month
    (revenue, cost, net; the cumulative cash is the running sum of the national net, so a hub
    counts from its own first month), and each hub's break-even and payback."""
    results = list(latest_live_results())
    frames = [
        pd.DataFrame(result.months, columns=["calendar_month", *NATIONAL_COLUMNS])
        for result in results
        if result.months
    ]
    months: list[dict[str, Any]] = []
    if frames:
        total = pd.concat(frames).groupby("calendar_month", sort=True)[list(NATIONAL_COLUMNS)].sum()
        total["cumulative_cash"] = total["net"].cumsum()
        months = [
            {
                "calendar_month": date.fromisoformat(month),
                **{name: int(value) for name, value in row.items()},
            }
            for month, row in total.iterrows()
        ]
    return {
        "months": months,
        "hubs": [
            {
                "hub_id": result.hub_id,
                "hub_name": result.hub.name,
                "result_id": result.pk,
                "computed_at": result.computed_at,
                "break_even_month": result.break_even_month,
                "break_even_on": result.break_even_on,
                "payback_month": result.payback_month,
                "payback_on": result.payback_on,
                "peak_liquidity_need_sek": result.peak_liquidity_need_sek,
            }
            for result in results
        ],
    }


def yearly_totals(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The national months summed by calendar year, with the cumulative cash at its end."""
    years: dict[int, dict[str, Any]] = {}
    for row in months:
        year = years.setdefault(
            row["calendar_month"].year,
            {"year": row["calendar_month"].year, **dict.fromkeys(NATIONAL_COLUMNS, 0)},
        )
        for name in NATIONAL_COLUMNS:
            year[name] += row[name]
        year["cumulative_cash"] = row["cumulative_cash"]
    return list(years.values())


def pipeline_table(result: ForecastResult) -> list[dict[str, Any]]:
    """A live result's agreements for the page: state in words, probability in per cent and
    this hub's agreed fee per year in Swedish (or English) money."""
    return [
        {
            **row,
            "state_label": AgreementState(row["state"]).label,
            "percent": round(row["probability"] * 100),
            "terminated": date.fromisoformat(row["terminated_on"])
            if row["terminated_on"]
            else None,
            "yearly_fees": [
                (int(year), format_kronor(amount)) for year, amount in row["amounts_ore"].items()
            ],
        }
        for row in result.live_inputs["agreements"]
    ]
