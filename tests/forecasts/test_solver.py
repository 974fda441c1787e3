"""The fee-level solver on ladders computed by hand."""

from dataclasses import replace

import pytest

from governance.forecasts.engine import (
    FeeTier,
    MonthlyGrant,
    Scenario,
    forecast,
    solve_fee_level,
    steady_state_month,
)

# Ladder: 6 members at 10,000 a year and 3 at 20,000 = 120,000 a year, 10,000 a month.
# Steady-state costs: community manager 15,000 + rent 5,000 = 20,000 a month; seats 2 × 1,000.
LADDER = Scenario(
    fee_tiers=(FeeTier(10_000, 6), FeeTier(20_000, 3)),
    preparation_months=2,
    startup_months=3,
    ramp_months=6,
    horizon_months=24,
    cm_monthly_cost=15_000,
    concept_developer_monthly_cost=40_000,  # phases 1–2 only: not in the steady state
    premises_rent_monthly=5_000,
    seats_sold=2,
    seat_monthly_price=1_000,
)


def test_steady_state_is_in_operations_with_the_ramp_done():
    # Startup begins in month 3; operations in month 6; the 6-month ramp ends in month 8.
    assert steady_state_month(LADDER) == 8
    assert steady_state_month(replace(LADDER, ramp_months=1)) == 6


def test_fee_factor_and_scaled_ladder_by_hand():
    solution = solve_fee_level(LADDER)
    assert solution.monthly_costs == 20_000
    assert solution.monthly_fee_revenue == 10_000
    assert solution.monthly_other_revenue == 2_000
    # (20,000 − 2,000) / 10,000
    assert solution.fee_factor == pytest.approx(1.8)
    assert solution.ladder == pytest.approx((18_000, 36_000))


def test_members_needed_at_current_fees_by_hand():
    # 10,000 a month from 9 members: 1,111.11 each; 18,000 needs 16.2, so 17 members.
    assert solve_fee_level(LADDER).members_needed == 17
    assert solve_fee_level(LADDER).members_now == 9


def test_the_solved_ladder_breaks_even_at_steady_state():
    solution = solve_fee_level(LADDER)
    tiers = tuple(
        replace(tier, yearly_fee=fee)
        for tier, fee in zip(LADDER.fee_tiers, solution.ladder, strict=True)
    )
    months = forecast(replace(LADDER, fee_tiers=tiers)).months
    assert months["operating_net"].iloc[solution.steady_month - 1] == pytest.approx(0, abs=1e-6)


def test_grants_count_only_when_asked():
    with_grant = replace(LADDER, monthly_grants=(MonthlyGrant(8_000, 1, 24),))
    assert solve_fee_level(with_grant).fee_factor == pytest.approx(1.8)
    assert solve_fee_level(with_grant, count_grants=True).fee_factor == pytest.approx(1.0)


def test_indexation_is_at_the_steady_months_price_level():
    # Steady month 14 (second year): costs 20,000 × 1.1, fees 10,000 × 1.0.
    scenario = replace(LADDER, preparation_months=8, cost_indexation=0.1, seats_sold=0)
    assert steady_state_month(scenario) == 14
    assert solve_fee_level(scenario).fee_factor == pytest.approx(2.2)


def test_costs_already_covered_need_no_fees():
    solution = solve_fee_level(replace(LADDER, seats_sold=30))
    assert solution.fee_factor == 0
    assert solution.members_needed == 0


def test_no_members_counts_at_the_ladders_average_fee():
    scenario = replace(LADDER, fee_tiers=(FeeTier(12_000, 0), FeeTier(36_000, 0)))
    solution = solve_fee_level(scenario)
    # No fee revenue: no factor helps. Average fee 24,000 a year = 2,000 a month: 9 members.
    assert solution.fee_factor is None
    assert solution.ladder is None
    assert solution.members_needed == 9


def test_a_free_ladder_never_breaks_even():
    solution = solve_fee_level(replace(LADDER, fee_tiers=(FeeTier(0, 5),)))
    assert solution.fee_factor is None
    assert solution.members_needed is None


def test_a_steady_state_beyond_the_longest_horizon_is_still_solved():
    scenario = replace(LADDER, preparation_months=120, startup_months=120, ramp_months=240)
    assert steady_state_month(scenario) == 360
    assert solve_fee_level(scenario).fee_factor == pytest.approx(1.8)
