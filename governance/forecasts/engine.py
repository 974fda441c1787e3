"""The break-even forecast engine: pure NumPy and pandas, no Django.

One call computes any number of scenarios at once. Every input is stacked into arrays of
shape (scenarios,) or (scenarios, tiers/grants), every monthly quantity is a 2-D array of
shape (scenarios, months), and only the answer is presented long (one row per scenario and
month). Scenarios with a shorter horizon than the batch's longest are padded: their months
beyond the horizon count neither as costs nor as revenue and are cut from the answer, so a
batch of N scenarios answers exactly what N single runs answer.

Months are numbered from 1, month 1 being the scenario's ``start_month``, the first month of
preparation. The phases follow the playbook ("Etablering och finansiering"): preparation
(phase 1), startup (phase 2), then operations; phases 1–2 need liquidity or start-up support,
which is why the peak liquidity need is one of the answers.

Definitions (the tests compute them by hand):
- operating net: fees + seats + monthly grants − recurring costs (staff, premises rent,
  operations, activities). One-off items — the premises investment and lump-sum grants — are
  financing events, not operations, so they are left out of it.
- net: all revenue − all costs; cumulative cash is its running sum (starting from 0).
- operating break-even month: the first month from which the operating net stays ≥ 0 to the
  horizon; ``None`` ("never") when the last month's operating net is negative.
- payback month: the first month from which cumulative cash stays ≥ 0 to the horizon;
  ``None`` when the horizon ends with less cash than at the start.
- peak liquidity need: how far below 0 cumulative cash goes at its lowest (0 if never).

A live forecast (README "Live forecast") adds a ``Pipeline`` per scenario: the fee revenue
its agreements are expected to bring each month and the members they take from the ramp. Its
fee revenue is then the pipeline's plus, from ``ramp_from_month`` on, the ramp's members not yet
contracted at the ladder's average fee: ``max(0, ramp × members − contracted members) × average
yearly fee ÷ 12 × fee index``. With an empty pipeline and ``ramp_from_month`` 1 this is the
planned fee revenue exactly.

Money is in SEK as floats here: the engine computes, the services store integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

ENGINE_VERSION = "1.1"
DEFAULT_HORIZON_MONTHS = 60
MAX_HORIZON_MONTHS = 240
MAX_PHASE_MONTHS = 120
MONTHS_PER_YEAR = 12

RampShape = Literal["linear", "s_curve"]
RAMP_SHAPES: tuple[RampShape, ...] = ("linear", "s_curve")
PHASES = ("preparation", "startup", "operations")

REVENUE_COLUMNS = ("revenue_fees", "revenue_seats", "revenue_grants")
COST_COLUMNS = (
    "cost_staff",
    "cost_premises",
    "cost_operations",
    "cost_activities",
    "cost_investment",
)
# What the sensitivity table varies, and by how much.
SENSITIVITY_DRIVERS = ("members", "fees", "rent", "staff")
SENSITIVITY_CHANGES = (-0.2, -0.1, 0.1, 0.2)


class InvalidScenarioError(ValueError):
    """A scenario the engine cannot compute; ``errors`` maps each input's name to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class FeeTier:
    """One step of the fee ladder: its yearly fee and the member organisations at steady state."""

    yearly_fee: float
    members: float


@dataclass(frozen=True)
class MonthlyGrant:
    """A grant paid every month from ``from_month`` to ``to_month`` (both included)."""

    monthly_amount: float
    from_month: int
    to_month: int


@dataclass(frozen=True)
class LumpSum:
    """A one-off grant or capital injection paid in ``month``."""

    month: int
    amount: float


@dataclass(frozen=True)
class Scenario:
    """Every input of one forecast; amounts in SEK, months counted from 1 = ``start_month``."""

    fee_tiers: tuple[FeeTier, ...]
    start_month: date = date(2026, 1, 1)
    preparation_months: int = 6
    startup_months: int = 12
    horizon_months: int = DEFAULT_HORIZON_MONTHS
    # Staff: the community manager(s) from startup on, the concept developer in phases 1–2.
    cm_fte: float = 1.0
    cm_monthly_cost: float = 0.0
    concept_developer_monthly_cost: float = 0.0
    other_staff_monthly_cost: float = 0.0
    # Premises: rent from a chosen month, the one-off investment paid that month.
    premises_rent_monthly: float = 0.0
    rent_from_month: int = 1
    premises_investment: float = 0.0
    # Running costs from startup on.
    operating_costs_monthly: float = 0.0
    activities_monthly: float = 0.0
    # Yearly indexation of recurring costs and of fees (0.02 = 2 % a year), in steps per year.
    cost_indexation: float = 0.0
    fee_indexation: float = 0.0
    # Members and seats reach their steady state over ``ramp_months`` from the start of startup.
    ramp_months: int = 12
    ramp_shape: RampShape = "linear"
    seats_sold: float = 0.0
    seat_monthly_price: float = 0.0
    monthly_grants: tuple[MonthlyGrant, ...] = ()
    lump_sums: tuple[LumpSum, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The inputs as JSON-ready values (stored beside every result)."""
        values = asdict(self)
        values["start_month"] = self.start_month.isoformat()
        for name in ("fee_tiers", "monthly_grants", "lump_sums"):
            values[name] = list(values[name])
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Scenario:
        """The scenario ``to_dict`` gave."""
        values = dict(values)
        values["start_month"] = date.fromisoformat(values["start_month"])
        values["fee_tiers"] = tuple(FeeTier(**tier) for tier in values["fee_tiers"])
        values["monthly_grants"] = tuple(MonthlyGrant(**g) for g in values["monthly_grants"])
        values["lump_sums"] = tuple(LumpSum(**lump) for lump in values["lump_sums"])
        return cls(**values)


@dataclass(frozen=True)
class Pipeline:
    """A live forecast's contracted revenue, one value per month of the scenario's horizon:
    the fee revenue its agreements are expected to bring (SEK, each agreement weighted by the
    probability of its state) and the members they have taken from the ramp by then; the
    ramp's remaining members count from ``ramp_from_month`` (the month of the run) on."""

    monthly_fees: tuple[float, ...]
    monthly_members: tuple[float, ...]
    ramp_from_month: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The pipeline as JSON-ready values (stored beside a live result)."""
        return {
            "monthly_fees": list(self.monthly_fees),
            "monthly_members": list(self.monthly_members),
            "ramp_from_month": self.ramp_from_month,
        }


def pipeline_errors(pipeline: Pipeline, horizon_months: int) -> dict[str, str]:
    """Each input of ``pipeline`` the engine cannot compute for a scenario of
    ``horizon_months``: ``wrong_length``, ``negative``, ``out_of_range``."""
    errors: dict[str, str] = {}
    for name in ("monthly_fees", "monthly_members"):
        values = getattr(pipeline, name)
        if len(values) != horizon_months:
            errors[f"pipeline.{name}"] = "wrong_length"
        elif min(values, default=0) < 0:
            errors[f"pipeline.{name}"] = "negative"
    if pipeline.ramp_from_month < 1:
        errors["pipeline.ramp_from_month"] = "out_of_range"
    return errors


def scenario_errors(scenario: Scenario) -> dict[str, str]:
    """Each input of ``scenario`` the engine cannot compute, with a code saying why: ``negative``,
    ``out_of_range`` (the ranges are this module's constants), ``empty_ladder``,
    ``unknown_shape``, ``ends_before_start`` (empty when all are fine)."""
    errors: dict[str, str] = {}
    if not scenario.fee_tiers:
        errors["fee_tiers"] = "empty_ladder"
    for index, tier in enumerate(scenario.fee_tiers):
        for name in ("yearly_fee", "members"):
            if getattr(tier, name) < 0:
                errors[f"fee_tiers.{index}.{name}"] = "negative"
    if not 1 <= scenario.horizon_months <= MAX_HORIZON_MONTHS:
        errors["horizon_months"] = "out_of_range"
    for name in ("preparation_months", "startup_months"):
        if not 0 <= getattr(scenario, name) <= MAX_PHASE_MONTHS:
            errors[name] = "out_of_range"
    if not 1 <= scenario.ramp_months <= MAX_HORIZON_MONTHS:
        errors["ramp_months"] = "out_of_range"
    if not 1 <= scenario.rent_from_month <= MAX_HORIZON_MONTHS:
        errors["rent_from_month"] = "out_of_range"
    if scenario.ramp_shape not in RAMP_SHAPES:
        errors["ramp_shape"] = "unknown_shape"
    for name in (
        "cm_fte",
        "cm_monthly_cost",
        "concept_developer_monthly_cost",
        "other_staff_monthly_cost",
        "premises_rent_monthly",
        "premises_investment",
        "operating_costs_monthly",
        "activities_monthly",
        "seats_sold",
        "seat_monthly_price",
    ):
        if getattr(scenario, name) < 0:
            errors[name] = "negative"
    for name in ("cost_indexation", "fee_indexation"):
        if not -0.5 <= getattr(scenario, name) <= 1:
            errors[name] = "out_of_range"
    for index, grant in enumerate(scenario.monthly_grants):
        if grant.monthly_amount < 0:
            errors[f"monthly_grants.{index}.monthly_amount"] = "negative"
        if not 1 <= grant.from_month <= grant.to_month:
            errors[f"monthly_grants.{index}.to_month"] = "ends_before_start"
    for index, lump in enumerate(scenario.lump_sums):
        if lump.amount < 0:
            errors[f"lump_sums.{index}.amount"] = "negative"
        if lump.month < 1:
            errors[f"lump_sums.{index}.month"] = "out_of_range"
    return errors


@dataclass
class ScenarioArrays:
    """A batch of scenarios stacked into arrays: (scenarios,) per input, padded ladders."""

    horizon: np.ndarray
    preparation: np.ndarray
    startup: np.ndarray
    cm_cost: np.ndarray
    concept_developer: np.ndarray
    other_staff: np.ndarray
    rent: np.ndarray
    rent_from: np.ndarray
    investment: np.ndarray
    operations: np.ndarray
    activities: np.ndarray
    cost_indexation: np.ndarray
    fee_indexation: np.ndarray
    ramp_months: np.ndarray
    s_curve: np.ndarray
    seats_revenue: np.ndarray
    tier_fees: np.ndarray  # (scenarios, tiers), yearly
    tier_members: np.ndarray  # (scenarios, tiers)
    grant_amounts: np.ndarray  # (scenarios, grants), monthly
    grant_from: np.ndarray
    grant_to: np.ndarray
    lump_months: np.ndarray  # (scenarios, lump sums)
    lump_amounts: np.ndarray
    live: np.ndarray  # (scenarios,) True where a pipeline drives the fee revenue
    pipeline_fees: np.ndarray  # (scenarios, months), zeros where not live
    pipeline_members: np.ndarray  # (scenarios, months)
    ramp_from: np.ndarray  # (scenarios,)

    @classmethod
    def stack(
        cls, scenarios: Sequence[Scenario], pipelines: Sequence[Pipeline | None] | None = None
    ) -> ScenarioArrays:
        """Stack ``scenarios`` (each checked first) into one batch; ``pipelines``, when given,
        has one entry per scenario (``None``: a planned forecast)."""
        pipelines = list(pipelines) if pipelines is not None else [None] * len(scenarios)
        if len(pipelines) != len(scenarios):
            raise ValueError("one pipeline (or None) per scenario")
        for position, (scenario, pipeline) in enumerate(zip(scenarios, pipelines, strict=True)):
            errors = scenario_errors(scenario)
            if pipeline is not None:
                errors |= pipeline_errors(pipeline, scenario.horizon_months)
            if errors:
                raise InvalidScenarioError({f"[{position}].{k}": v for k, v in errors.items()})

        def column(name: str) -> np.ndarray:
            return np.array([getattr(s, name) for s in scenarios], dtype=float)

        def padded(rows: list[list[float]]) -> np.ndarray:
            width = max((len(row) for row in rows), default=0)
            table = np.zeros((len(rows), width))
            for index, row in enumerate(rows):
                table[index, : len(row)] = row
            return table

        return cls(
            horizon=column("horizon_months").astype(int),
            preparation=column("preparation_months").astype(int),
            startup=column("startup_months").astype(int),
            cm_cost=column("cm_fte") * column("cm_monthly_cost"),
            concept_developer=column("concept_developer_monthly_cost"),
            other_staff=column("other_staff_monthly_cost"),
            rent=column("premises_rent_monthly"),
            rent_from=column("rent_from_month").astype(int),
            investment=column("premises_investment"),
            operations=column("operating_costs_monthly"),
            activities=column("activities_monthly"),
            cost_indexation=column("cost_indexation"),
            fee_indexation=column("fee_indexation"),
            ramp_months=column("ramp_months"),
            s_curve=np.array([s.ramp_shape == "s_curve" for s in scenarios]),
            seats_revenue=column("seats_sold") * column("seat_monthly_price"),
            tier_fees=padded([[t.yearly_fee for t in s.fee_tiers] for s in scenarios]),
            tier_members=padded([[t.members for t in s.fee_tiers] for s in scenarios]),
            grant_amounts=padded([[g.monthly_amount for g in s.monthly_grants] for s in scenarios]),
            grant_from=padded([[g.from_month for g in s.monthly_grants] for s in scenarios]),
            grant_to=padded([[g.to_month for g in s.monthly_grants] for s in scenarios]),
            lump_months=padded([[lump.month for lump in s.lump_sums] for s in scenarios]),
            lump_amounts=padded([[lump.amount for lump in s.lump_sums] for s in scenarios]),
            live=np.array([p is not None for p in pipelines], dtype=bool),
            pipeline_fees=padded([list(p.monthly_fees) if p else [] for p in pipelines]),
            pipeline_members=padded([list(p.monthly_members) if p else [] for p in pipelines]),
            ramp_from=np.array([p.ramp_from_month if p else 1 for p in pipelines], dtype=int),
        )


@dataclass
class WideForecast:
    """The monthly quantities of a batch as (scenarios, months) arrays, and its key figures."""

    columns: dict[str, np.ndarray]
    phase: np.ndarray  # 0 preparation, 1 startup, 2 operations
    in_horizon: np.ndarray  # False for the padding beyond a scenario's own horizon
    operating_net: np.ndarray
    net: np.ndarray
    cumulative_cash: np.ndarray
    break_even_month: np.ndarray  # 1-based; 0 = never
    payback_month: np.ndarray  # 1-based; 0 = never
    peak_liquidity_need: np.ndarray
    lowest_cash_month: np.ndarray  # 1-based; 0 when cash never goes below 0


def compute_wide(arrays: ScenarioArrays) -> WideForecast:
    """Every scenario's months at once, as 2-D arrays (the engine's one computation)."""
    months = int(arrays.horizon.max())
    index = np.arange(months)[None, :]  # 0-based month
    month = index + 1
    in_horizon = index < arrays.horizon[:, None]

    startup_begins = arrays.preparation[:, None]  # 0-based index of startup's first month
    operations_begin = startup_begins + arrays.startup[:, None]
    phase = (index >= startup_begins).astype(np.int8) + (index >= operations_begin)
    from_startup = (index >= startup_begins) & in_horizon
    in_phases_1_2 = (index < operations_begin) & in_horizon

    year = index // MONTHS_PER_YEAR
    cost_index = (1 + arrays.cost_indexation[:, None]) ** year
    fee_index = (1 + arrays.fee_indexation[:, None]) ** year

    progress = np.clip((index - startup_begins + 1) / arrays.ramp_months[:, None], 0.0, 1.0)
    s_shaped = progress * progress * (3 - 2 * progress)  # smoothstep: slow, fast, slow
    ramp = np.where(arrays.s_curve[:, None], s_shaped, progress) * from_startup

    yearly_fees = (arrays.tier_fees * arrays.tier_members).sum(axis=1)
    revenue_fees = (yearly_fees / MONTHS_PER_YEAR)[:, None] * ramp * fee_index
    if arrays.live.any():
        live_fees = _live_fees(arrays, ramp, fee_index, yearly_fees, months)
        revenue_fees = np.where(arrays.live[:, None], live_fees, revenue_fees)
    revenue_seats = arrays.seats_revenue[:, None] * ramp * fee_index
    granted = (month[:, :, None] >= arrays.grant_from[:, None, :]) & (
        month[:, :, None] <= arrays.grant_to[:, None, :]
    )
    monthly_grants = (granted * arrays.grant_amounts[:, None, :]).sum(axis=2) * in_horizon
    lump_grants = (
        (month[:, :, None] == arrays.lump_months[:, None, :]) * arrays.lump_amounts[:, None, :]
    ).sum(axis=2) * in_horizon

    staff = (
        (arrays.cm_cost + arrays.other_staff)[:, None] * from_startup
        + arrays.concept_developer[:, None] * in_phases_1_2
    ) * cost_index
    renting = (month >= arrays.rent_from[:, None]) & in_horizon
    premises = arrays.rent[:, None] * renting * cost_index
    operations = arrays.operations[:, None] * from_startup * cost_index
    activities = arrays.activities[:, None] * from_startup * cost_index
    investment = arrays.investment[:, None] * (month == arrays.rent_from[:, None]) * in_horizon

    operating_net = (
        revenue_fees + revenue_seats + monthly_grants - staff - premises - operations - activities
    )
    net = operating_net + lump_grants - investment
    cumulative_cash = np.cumsum(net, axis=1)

    break_even = _first_month_staying_non_negative(operating_net, in_horizon, arrays.horizon)
    payback = _first_month_staying_non_negative(cumulative_cash, in_horizon, arrays.horizon)
    lowest = np.where(in_horizon, cumulative_cash, np.inf).min(axis=1)
    peak_need = np.maximum(0.0, -lowest)
    lowest_month = np.where(peak_need > 0, cumulative_cash.argmin(axis=1) + 1, 0)
    # argmin over padding is harmless: the padding repeats the last month's cash, never lower.
    return WideForecast(
        columns={
            "revenue_fees": revenue_fees,
            "revenue_seats": revenue_seats,
            "revenue_grants": monthly_grants + lump_grants,
            "cost_staff": staff,
            "cost_premises": premises,
            "cost_operations": operations,
            "cost_activities": activities,
            "cost_investment": investment,
        },
        phase=phase,
        in_horizon=in_horizon,
        operating_net=operating_net,
        net=net,
        cumulative_cash=cumulative_cash,
        break_even_month=break_even,
        payback_month=payback,
        peak_liquidity_need=peak_need,
        lowest_cash_month=lowest_month,
    )


def _live_fees(
    arrays: ScenarioArrays,
    ramp: np.ndarray,
    fee_index: np.ndarray,
    yearly_fees: np.ndarray,
    months: int,
) -> np.ndarray:
    """The pipeline's fees plus the ramp's members not yet contracted, from the run's month on,
    at the ladder's average fee (module docstring)."""
    members = arrays.tier_members.sum(axis=1)
    fee_per_member = np.divide(
        yearly_fees, members, out=np.zeros_like(yearly_fees), where=members > 0
    )
    width = arrays.pipeline_fees.shape[1]
    contracted_fees = np.zeros((len(members), months))
    contracted_members = np.zeros((len(members), months))
    contracted_fees[:, :width] = arrays.pipeline_fees
    contracted_members[:, :width] = arrays.pipeline_members
    month = np.arange(1, months + 1)[None, :]
    remaining = np.clip(ramp * members[:, None] - contracted_members, 0.0, None) * (
        month >= arrays.ramp_from[:, None]
    )
    return contracted_fees + remaining * (fee_per_member / MONTHS_PER_YEAR)[:, None] * fee_index


def _first_month_staying_non_negative(
    values: np.ndarray, in_horizon: np.ndarray, horizon: np.ndarray
) -> np.ndarray:
    # The running minimum from the end: ≥ 0 at a month exactly when every later month is ≥ 0
    # too, so the answer is the first such month; the padding never holds it back.
    values = np.where(in_horizon, values, np.inf)
    staying = np.minimum.accumulate(values[:, ::-1], axis=1)[:, ::-1] >= 0
    first = staying.argmax(axis=1)
    found = staying[np.arange(len(first)), first] & (first < horizon)
    return np.where(found, first + 1, 0)


@dataclass
class Forecast:
    """One scenario's answer: the monthly frame and the key figures (``None`` = never)."""

    scenario: Scenario
    months: pd.DataFrame
    break_even_month: int | None
    payback_month: int | None
    peak_liquidity_need: float
    lowest_cash_month: int | None
    engine_version: str = ENGINE_VERSION
    sensitivity: pd.DataFrame | None = field(default=None)

    def month_date(self, month: int | None) -> date | None:
        """The calendar month (its first day) of month number ``month``."""
        return None if month is None else add_months(self.scenario.start_month, month - 1)

    def summary(self) -> dict[str, Any]:
        """The key figures as JSON-ready values."""
        return {
            "break_even_month": self.break_even_month,
            "break_even_date": _iso(self.month_date(self.break_even_month)),
            "payback_month": self.payback_month,
            "payback_date": _iso(self.month_date(self.payback_month)),
            "peak_liquidity_need": round(self.peak_liquidity_need),
            "lowest_cash_month": self.lowest_cash_month,
            "engine_version": self.engine_version,
        }


@dataclass
class BatchForecast:
    """A batch's answer presented long: one row per scenario and month, one per scenario."""

    months: pd.DataFrame
    summary: pd.DataFrame


def forecast_batch(
    scenarios: Sequence[Scenario], pipelines: Sequence[Pipeline | None] | None = None
) -> BatchForecast:
    """Compute ``scenarios`` in one vectorised call (live ones with their ``pipelines``);
    ``summary`` is indexed by position."""
    arrays = ScenarioArrays.stack(scenarios, pipelines)
    wide = compute_wide(arrays)
    return BatchForecast(months=_long_months(scenarios, wide), summary=_summary_frame(wide))


def forecast_many(
    scenarios: Sequence[Scenario], pipelines: Sequence[Pipeline | None] | None = None
) -> list[Forecast]:
    """Each scenario's ``Forecast``, computed in one batch (live ones with their pipelines)."""
    batch = forecast_batch(scenarios, pipelines)
    frames = dict(iter(batch.months.groupby("scenario", sort=True)))
    answers = []
    for position, scenario in enumerate(scenarios):
        row = batch.summary.loc[position]
        answers.append(
            Forecast(
                scenario=scenario,
                months=frames[position].drop(columns="scenario").reset_index(drop=True),
                break_even_month=_month_or_none(row["break_even_month"]),
                payback_month=_month_or_none(row["payback_month"]),
                peak_liquidity_need=float(row["peak_liquidity_need"]),
                lowest_cash_month=_month_or_none(row["lowest_cash_month"]),
            )
        )
    return answers


def forecast(scenario: Scenario, *, with_sensitivity: bool = False) -> Forecast:
    """One scenario's forecast, and its sensitivity table when asked."""
    (answer,) = forecast_many([scenario])
    if with_sensitivity:
        answer.sensitivity = sensitivity_table(scenario)
    return answer


def _long_months(scenarios: Sequence[Scenario], wide: WideForecast) -> pd.DataFrame:
    count, months = wide.net.shape
    keep = wide.in_horizon.ravel()
    starts = np.array(
        [np.datetime64(s.start_month.isoformat()[:7], "M") for s in scenarios]
    ).astype("datetime64[M]")
    calendar = starts[:, None] + np.arange(months)[None, :].astype("timedelta64[M]")
    data: dict[str, Any] = {
        "scenario": np.repeat(np.arange(count), months),
        "month": np.tile(np.arange(1, months + 1), count),
        "calendar_month": calendar.ravel().astype("datetime64[D]"),
        "phase": pd.Categorical.from_codes(wide.phase.ravel(), categories=list(PHASES)),
    }
    for name in REVENUE_COLUMNS + COST_COLUMNS:
        data[name] = wide.columns[name].ravel()
    data["revenue_total"] = sum(wide.columns[name] for name in REVENUE_COLUMNS).ravel()
    data["cost_total"] = sum(wide.columns[name] for name in COST_COLUMNS).ravel()
    data["operating_net"] = wide.operating_net.ravel()
    data["net"] = wide.net.ravel()
    data["cumulative_cash"] = wide.cumulative_cash.ravel()
    return pd.DataFrame(data)[keep].reset_index(drop=True)


def _summary_frame(wide: WideForecast) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "break_even_month": wide.break_even_month,
            "payback_month": wide.payback_month,
            "peak_liquidity_need": wide.peak_liquidity_need,
            "lowest_cash_month": wide.lowest_cash_month,
        }
    )


def _month_or_none(value: Any) -> int | None:
    return int(value) or None


def add_months(start: date, months: int) -> date:
    """The first day of the month ``months`` after ``start``'s."""
    total = start.year * MONTHS_PER_YEAR + start.month - 1 + months
    return date(total // MONTHS_PER_YEAR, total % MONTHS_PER_YEAR + 1, 1)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def scaled(scenario: Scenario, driver: str, factor: float) -> Scenario:
    """``scenario`` with one sensitivity driver (members, fees, rent, staff) times ``factor``."""
    if driver == "members":
        tiers = tuple(replace(t, members=t.members * factor) for t in scenario.fee_tiers)
        return replace(scenario, fee_tiers=tiers)
    if driver == "fees":
        tiers = tuple(replace(t, yearly_fee=t.yearly_fee * factor) for t in scenario.fee_tiers)
        return replace(scenario, fee_tiers=tiers)
    if driver == "rent":
        return replace(scenario, premises_rent_monthly=scenario.premises_rent_monthly * factor)
    if driver == "staff":
        return replace(
            scenario,
            cm_monthly_cost=scenario.cm_monthly_cost * factor,
            concept_developer_monthly_cost=scenario.concept_developer_monthly_cost * factor,
            other_staff_monthly_cost=scenario.other_staff_monthly_cost * factor,
        )
    raise ValueError(f"unknown sensitivity driver {driver!r}")


def sensitivity_table(scenario: Scenario, pipeline: Pipeline | None = None) -> pd.DataFrame:
    """Break-even, payback and liquidity need with members, fees, rent and staff each
    changed by ±10 % and ±20 % (one batch); the first row is the scenario as it is. A live
    scenario keeps its pipeline: members and fees then vary the ramp's remaining members."""
    variants = [("base", 0.0)] + [
        (driver, change) for driver in SENSITIVITY_DRIVERS for change in SENSITIVITY_CHANGES
    ]
    scenarios = [
        scenario if driver == "base" else scaled(scenario, driver, 1 + change)
        for driver, change in variants
    ]
    summary = forecast_batch(scenarios, [pipeline] * len(scenarios)).summary
    table = pd.DataFrame(
        {
            "driver": [driver for driver, _ in variants],
            "change": [change for _, change in variants],
            "break_even_month": summary["break_even_month"].map(_month_or_none),
            "payback_month": summary["payback_month"].map(_month_or_none),
            "peak_liquidity_need": summary["peak_liquidity_need"].round(),
        }
    )
    return table.astype({"break_even_month": "Int64", "payback_month": "Int64"})


@dataclass(frozen=True)
class FeeSolution:
    """The solver's answer at steady state (``None`` where no fee level or count is enough)."""

    steady_month: int
    monthly_costs: float
    monthly_fee_revenue: float
    monthly_other_revenue: float
    fee_factor: float | None
    ladder: tuple[float, ...] | None
    members_needed: int | None
    members_now: float


def steady_state_month(scenario: Scenario) -> int:
    """The first month in operations with members and seats fully ramped up."""
    startup_begins = scenario.preparation_months + 1
    ramp_done = startup_begins + scenario.ramp_months - 1
    return max(startup_begins + scenario.startup_months, ramp_done)


def solve_fee_level(scenario: Scenario, *, count_grants: bool = False) -> FeeSolution:
    """The fee level at which the hub breaks even at steady state ("plus minus noll", playbook
    "Affärsmodell"): the factor on the tier ladder, the ladder so scaled, and the number of
    member organisations needed at the current fees (in the steady state's tier mix).

    Grants count only with ``count_grants``: the question is whether the hub carries itself.
    """
    month = steady_state_month(scenario)
    arrays = ScenarioArrays.stack([scenario])
    # The steady state may lie beyond the scenario's horizon (even beyond the longest allowed):
    # compute up to it.
    arrays.horizon[:] = max(scenario.horizon_months, month)
    wide = compute_wide(arrays)
    at = month - 1
    costs = sum(
        wide.columns[name][0, at]
        for name in ("cost_staff", "cost_premises", "cost_operations", "cost_activities")
    )
    fees = wide.columns["revenue_fees"][0, at]
    other = wide.columns["revenue_seats"][0, at]
    if count_grants:
        other += wide.columns["revenue_grants"][0, at] - _lump_in(scenario, month)
    to_cover = max(0.0, costs - other)
    factor = to_cover / fees if fees > 0 else (0.0 if to_cover == 0 else None)
    members_now = sum(tier.members for tier in scenario.fee_tiers)
    fee_per_member = fees / members_now if members_now > 0 else 0.0
    if members_now == 0 and scenario.fee_tiers:
        # No mix to go by: count members at the ladder's average fee.
        mean_fee = sum(tier.yearly_fee for tier in scenario.fee_tiers) / len(scenario.fee_tiers)
        fee_index = (1 + scenario.fee_indexation) ** ((month - 1) // MONTHS_PER_YEAR)
        fee_per_member = mean_fee / MONTHS_PER_YEAR * fee_index
    if fee_per_member > 0:
        members_needed: int | None = math.ceil(round(to_cover / fee_per_member, 9))
    else:
        members_needed = 0 if to_cover == 0 else None
    return FeeSolution(
        steady_month=month,
        monthly_costs=float(costs),
        monthly_fee_revenue=float(fees),
        monthly_other_revenue=float(other),
        fee_factor=None if factor is None else float(factor),
        ladder=None
        if factor is None
        else tuple(float(tier.yearly_fee * factor) for tier in scenario.fee_tiers),
        members_needed=members_needed,
        members_now=float(members_now),
    )


def _lump_in(scenario: Scenario, month: int) -> float:
    return sum(lump.amount for lump in scenario.lump_sums if lump.month == month)
