"""The fee arithmetic, on hand-computed cases (governance/memberships/fees.py)."""

from datetime import date

import pytest
from django.utils import translation

from governance.memberships.fees import (
    Discount,
    Tier,
    allocate,
    fee_lines,
    format_kronor,
    ladder_errors,
    sek_to_ore,
    tier_for,
    total_ore,
)

LADDER = [Tier(1, 10, 1_000_000), Tier(11, 50, 2_500_000), Tier(51, None, 5_000_000)]


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_a_whole_calendar_year_is_the_yearly_fee():
    [line] = fee_lines(date(2026, 1, 1), date(2026, 12, 31), 2_500_000)
    assert (line.year, line.days, line.days_in_year, line.amount_ore) == (2026, 365, 365, 2_500_000)
    assert line.rule == "Helt kalenderår 2026: årsavgiften 25\xa0000 kr."


def test_a_start_mid_year_is_pro_rata_by_days_rounded_to_whole_kronor():
    # 1 July–31 December 2026: 184 of 365 days; 25 000 × 184 / 365 = 12 602.739… → 12 603 kr.
    [line] = fee_lines(date(2026, 7, 1), date(2026, 12, 31), 2_500_000)
    assert (line.days, line.amount_ore) == (184, 1_260_300)
    assert line.rule == (
        "Del av 2026, 1 juli–31 december: 184 av 365 dagar × årsavgiften 25\xa0000 kr = "
        "12\xa0603 kr (avrundat till hela kronor)."
    )


def test_a_period_across_three_years_has_a_line_per_calendar_year():
    # 1 Sep 2026–31 Mar 2028: 2026 122/365 days, 2027 whole, 2028 (leap) 91/366 days.
    lines = fee_lines(date(2026, 9, 1), date(2028, 3, 31), 1_000_000)
    assert [(line.year, line.days, line.days_in_year) for line in lines] == [
        (2026, 122, 365),
        (2027, 365, 365),
        (2028, 91, 366),
    ]
    # 10 000 × 122/365 = 3 342.47 → 3 342; 10 000 × 91/366 = 2 486.34 → 2 486.
    assert [line.amount_ore for line in lines] == [334_200, 1_000_000, 248_600]
    assert total_ore(lines) == 1_582_800


def test_half_a_krona_rounds_up():
    # 365 days × x must give exactly .5 kr: yearly 73 kr over 365 days, 5 days → 1.0 kr;
    # yearly 36.5 kr (3 650 öre), 5 days → 0.5 kr → 1 kr.
    [line] = fee_lines(date(2026, 1, 1), date(2026, 1, 5), 3_650)
    assert line.amount_ore == 100


def test_seat_model_is_seats_times_the_seat_price():
    # Three seats at 6 000 kr a year, the whole of 2026.
    [line] = fee_lines(date(2026, 1, 1), date(2026, 12, 31), 3 * 600_000)
    assert line.amount_ore == 1_800_000


def test_a_discount_is_its_own_line_with_its_reason():
    lines = fee_lines(
        date(2026, 7, 1),
        date(2027, 6, 30),
        2_500_000,
        [Discount(50, "Tidig medlem", year=2026)],
    )
    assert [(line.kind, line.year, line.amount_ore) for line in lines] == [
        ("fee", 2026, 1_260_300),
        ("discount", 2026, -630_200),  # 50 % of 12 603 = 6 301.5 → 6 302
        ("fee", 2027, 1_239_700),  # 181/365 × 25 000 = 12 397.26 → 12 397
    ]
    assert lines[1].rule == "Rabatt 50 % på avgiften för 2026 (Tidig medlem): −6\xa0302 kr."


def test_a_discount_without_a_year_applies_to_every_year():
    lines = fee_lines(date(2026, 1, 1), date(2027, 12, 31), 1_000_000, [Discount(10, "Pilot")])
    assert [line.amount_ore for line in lines] == [1_000_000, -100_000, 1_000_000, -100_000]


def test_end_before_start_is_refused():
    with pytest.raises(ValueError, match="end before start"):
        fee_lines(date(2026, 2, 1), date(2026, 1, 1), 100)


def test_allocation_to_hubs_adds_up_exactly_by_largest_remainder():
    # 10 000 öre by 1:1:1 → 3 333 each and one öre to the first by key order.
    assert allocate(10_000, {"a": 1, "b": 1, "c": 1}) == {"a": 3_334, "b": 3_333, "c": 3_333}
    # 5 000 000 öre by employees 120 and 80: 3 000 000 and 2 000 000.
    assert allocate(5_000_000, {1: 120, 2: 80}) == {1: 3_000_000, 2: 2_000_000}
    parts = allocate(1_234_567, {1: 7, 2: 11, 3: 13})
    assert sum(parts.values()) == 1_234_567


def test_tier_for_picks_the_kind_ladder_when_there_is_one():
    ladder = [*LADDER, Tier(1, None, 300_000, "municipality")]
    assert tier_for(ladder, 10).yearly_fee_ore == 1_000_000
    assert tier_for(ladder, 11).yearly_fee_ore == 2_500_000
    assert tier_for(ladder, 10_000).yearly_fee_ore == 5_000_000
    assert tier_for(ladder, 10_000, "municipality").yearly_fee_ore == 300_000
    assert tier_for(ladder, 5, "region").yearly_fee_ore == 1_000_000


def test_a_valid_ladder_has_no_errors():
    assert ladder_errors(LADDER) == {}


@pytest.mark.parametrize(
    ("tiers", "field", "message"),
    [
        (
            [Tier(2, 10, 1), Tier(11, None, 2)],
            "tiers.0.employees_from",
            "Nivå 1 (2–10 anställda): trappan ska börja på 1 anställd.",
        ),
        (
            [Tier(1, 10, 1), Tier(12, None, 2)],
            "tiers.1.employees_from",
            "Nivå 2 (12– anställda): glapp, ingen nivå täcker 11–11 anställda.",
        ),
        (
            [Tier(1, 10, 1), Tier(8, None, 2)],
            "tiers.1.employees_from",
            "Nivå 2 (8– anställda): överlappar nivån före (som slutar på 10).",
        ),
        (
            [Tier(1, None, 1), Tier(11, None, 2)],
            "tiers.0.employees_to",
            "Nivå 1 (1– anställda): bara den sista nivån får sakna övre gräns.",
        ),
        (
            [Tier(1, 10, 1), Tier(11, 50, 2)],
            "tiers.1.employees_to",
            "Nivå 2 (11–50 anställda): den sista nivån ska sakna övre gräns.",
        ),
        (
            [Tier(1, 10, 1), Tier(11, 5, 2), Tier(6, None, 3)],
            "tiers.1.employees_to",
            "Nivå 2 (11–5 anställda): övre gränsen är lägre än den undre.",
        ),
        (
            [Tier(1, None, 1, "region")],
            "tiers",
            "Avgiftstrappan behöver en allmän trappa (utan organisationstyp).",
        ),
    ],
)
def test_each_broken_ladder_rule_names_the_tier(tiers, field, message):
    assert message in ladder_errors(tiers)[field]


def test_a_kind_ladder_is_checked_on_its_own():
    tiers = [*LADDER, Tier(1, 20, 1, "region"), Tier(25, None, 2, "region")]
    assert ladder_errors(tiers) == {
        "tiers.4.employees_from": [
            "Nivå 2 (25– anställda): glapp, ingen nivå täcker 21–24 anställda."
        ]
    }


def test_money_in_swedish_and_english_formats():
    assert format_kronor(1_260_300) == "12\xa0603 kr"
    assert format_kronor(1_260_350) == "12\xa0603,50 kr"
    with translation.override("en"):
        assert format_kronor(1_260_300) == "SEK 12,603"
    assert sek_to_ore(__import__("decimal").Decimal("12603.50")) == 1_260_350
