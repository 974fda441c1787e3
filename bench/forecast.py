"""The forecast engine: one vectorised call for many hubs against a per-hub loop and bare NumPy.

Prints, from one run: the median time of
- the engine's vectorised call (``forecast_batch``) for ``--hubs`` hubs × ``--months`` months:
  stacking the inputs, the 2-D computation, the key figures and the long monthly frame;
- the same hubs through a per-hub loop of the engine (``forecast`` once per hub);
- a bare NumPy 2-D computation of the same cash flows and key figures (no inputs to stack, no
  frame): the floor;
and the ratios loop ÷ vectorised (must be ≥ 20) and vectorised ÷ bare NumPy, and the time per
hub-month; then the same for live forecasts (each hub with a pipeline of contracted fees and
members, as the nightly live run computes them): vectorised against the per-hub loop (≥ 20).
The hubs' inputs are random but plausible (seeded), so each run measures the same.

Usage: .venv/bin/python bench/forecast.py [--hubs 1000] [--months 120] [--repeat 5]
"""

import argparse
import random
import statistics
import time

import numpy as np

from governance.forecasts.engine import (
    FeeTier,
    Pipeline,
    Scenario,
    forecast,
    forecast_batch,
    forecast_many,
)

REQUIRED_LOOP_RATIO = 20


def random_hubs(count: int, months: int) -> list[Scenario]:
    """Plausible hubs: 3 fee tiers, rent from startup, a year's ramp, some indexation."""
    pick = random.Random(12)
    return [
        Scenario(
            fee_tiers=tuple(
                FeeTier(yearly_fee=fee, members=pick.randint(1, 12))
                for fee in (25_000, 60_000, 150_000)
            ),
            preparation_months=pick.randint(3, 9),
            startup_months=pick.randint(6, 18),
            horizon_months=months,
            cm_monthly_cost=pick.randint(50_000, 75_000),
            concept_developer_monthly_cost=pick.randint(20_000, 60_000),
            premises_rent_monthly=pick.randint(20_000, 250_000),
            rent_from_month=pick.randint(4, 10),
            premises_investment=pick.randint(100_000, 800_000),
            operating_costs_monthly=pick.randint(5_000, 30_000),
            activities_monthly=pick.randint(2_000, 15_000),
            cost_indexation=0.02,
            ramp_months=12,
            ramp_shape=pick.choice(["linear", "s_curve"]),
        )
        for _ in range(count)
    ]


def random_pipelines(hubs: list[Scenario]) -> list[Pipeline]:
    """Plausible pipelines: a few members contracted from a random month, fees to match."""
    pick = random.Random(13)
    pipelines = []
    for hub in hubs:
        members = [0.0] * hub.horizon_months
        joined = pick.randint(1, hub.horizon_months)
        for month in range(joined - 1, hub.horizon_months):
            members[month] = pick.choice([2.0, 2.95, 3.55])
        pipelines.append(
            Pipeline(
                monthly_fees=tuple(m * 4_000 for m in members),
                monthly_members=tuple(members),
                ramp_from_month=pick.randint(1, hub.horizon_months),
            )
        )
    return pipelines


def bare_numpy(inputs: dict[str, np.ndarray], months: int) -> tuple[np.ndarray, ...]:
    """The same cash flows and key figures as plain 2-D NumPy on ready-made arrays."""
    index = np.arange(months)[None, :]
    startup = inputs["preparation"][:, None]
    operations = startup + inputs["startup"][:, None]
    from_startup = index >= startup
    cost_index = 1.02 ** (index // 12)
    progress = np.clip((index - startup + 1) / 12, 0.0, 1.0)
    ramp = np.where(inputs["s_curve"][:, None], progress * progress * (3 - 2 * progress), progress)
    ramp = ramp * from_startup
    renting = index + 1 >= inputs["rent_from"][:, None]
    recurring = (
        inputs["cm"][:, None] * from_startup
        + inputs["concept"][:, None] * (index < operations)
        + inputs["rent"][:, None] * renting
        + (inputs["operations"] + inputs["activities"])[:, None] * from_startup
    ) * cost_index
    operating_net = inputs["monthly_fees"][:, None] * ramp - recurring
    investing = index + 1 == inputs["rent_from"][:, None]
    net = operating_net - inputs["investment"][:, None] * investing
    cash = np.cumsum(net, axis=1)
    staying = np.minimum.accumulate(operating_net[:, ::-1], axis=1)[:, ::-1] >= 0
    break_even = np.where(staying[:, -1], staying.argmax(axis=1) + 1, 0)
    paid_back = np.minimum.accumulate(cash[:, ::-1], axis=1)[:, ::-1] >= 0
    payback = np.where(paid_back[:, -1], paid_back.argmax(axis=1) + 1, 0)
    return net, cash, break_even, payback, np.maximum(0, -cash.min(axis=1))


def bare_inputs(hubs: list[Scenario]) -> dict[str, np.ndarray]:
    def column(function):
        return np.array([function(hub) for hub in hubs], dtype=float)

    return {
        "preparation": column(lambda h: h.preparation_months),
        "startup": column(lambda h: h.startup_months),
        "s_curve": np.array([h.ramp_shape == "s_curve" for h in hubs]),
        "rent_from": column(lambda h: h.rent_from_month),
        "cm": column(lambda h: h.cm_fte * h.cm_monthly_cost),
        "concept": column(lambda h: h.concept_developer_monthly_cost),
        "rent": column(lambda h: h.premises_rent_monthly),
        "operations": column(lambda h: h.operating_costs_monthly),
        "activities": column(lambda h: h.activities_monthly),
        "investment": column(lambda h: h.premises_investment),
        "monthly_fees": column(lambda h: sum(t.yearly_fee * t.members for t in h.fee_tiers) / 12),
    }


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=1000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    hubs = random_hubs(arguments.hubs, arguments.months)
    inputs = bare_inputs(hubs)

    # The three agree before they are timed.
    batch = forecast_batch(hubs)
    _, cash, break_even, payback, need = bare_numpy(inputs, arguments.months)
    assert np.allclose(batch.summary["peak_liquidity_need"], need)
    assert (batch.summary["break_even_month"].to_numpy() == break_even).all()
    assert (batch.summary["payback_month"].to_numpy() == payback).all()
    assert forecast(hubs[0]).break_even_month == (break_even[0] or None)

    vectorised = median_seconds(lambda: forecast_batch(hubs), arguments.repeat)
    loop = median_seconds(lambda: [forecast(hub) for hub in hubs], max(1, arguments.repeat // 2))
    floor = median_seconds(lambda: bare_numpy(inputs, arguments.months), arguments.repeat * 4)

    hub_months = arguments.hubs * arguments.months
    print(f"{arguments.hubs} hubs × {arguments.months} months ({hub_months:,} hub-months)")
    print(f"vectorised engine call : {vectorised * 1000:9.1f} ms")
    print(f"per-hub loop of engine : {loop * 1000:9.1f} ms")
    print(f"bare NumPy 2-D         : {floor * 1000:9.1f} ms")
    print(f"loop ÷ vectorised      : {loop / vectorised:9.1f}×  (must be ≥ {REQUIRED_LOOP_RATIO})")
    print(f"vectorised ÷ bare NumPy: {vectorised / floor:9.1f}×")
    print(f"vectorised per hub-month: {vectorised / hub_months * 1e9:8.0f} ns")
    print(f"loop per hub-month      : {loop / hub_months * 1e9:8.0f} ns")

    pipelines = random_pipelines(hubs)
    live = median_seconds(lambda: forecast_batch(hubs, pipelines), arguments.repeat)
    live_loop = median_seconds(
        lambda: [forecast_many([hub], [p]) for hub, p in zip(hubs, pipelines, strict=True)],
        max(1, arguments.repeat // 2),
    )
    print(f"live vectorised call   : {live * 1000:9.1f} ms")
    print(f"live per-hub loop      : {live_loop * 1000:9.1f} ms")
    print(f"live loop ÷ vectorised : {live_loop / live:9.1f}×  (must be ≥ {REQUIRED_LOOP_RATIO})")
    if min(loop / vectorised, live_loop / live) < REQUIRED_LOOP_RATIO:
        raise SystemExit(f"the vectorised call is less than {REQUIRED_LOOP_RATIO}× the loop")


if __name__ == "__main__":
    main()
