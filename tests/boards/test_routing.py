"""The routing table, row by row, and that every origin × kind finds a body."""

import itertools

import pytest

from governance.boards.choices import Body, MatterKind, MatterOrigin
from governance.boards.models import Matter
from governance.boards.routing import RULES, route_for, rule_for

OG, CB = Body.OWNER_GROUP, Body.CREATIVE_BOARD


def matter(origin, kind, addressed="", impact_ore=0) -> Matter:
    return Matter(origin=origin, kind=kind, addressed_body=addressed, budget_impact_ore=impact_ore)


# (the row it must hit, the matter, the body, proposed)
CASES = [
    (0, matter(MatterOrigin.PRINCIPAL, MatterKind.BUDGET), OG, False),
    (1, matter(MatterOrigin.PRINCIPAL, MatterKind.FEE_LEVELS), OG, False),
    (2, matter(MatterOrigin.OWNER_GROUP, MatterKind.STRATEGIC), CB, False),
    (3, matter(MatterOrigin.COMMUNITY, MatterKind.OTHER, addressed=OG), OG, False),
    (4, matter(MatterOrigin.COMMUNITY, MatterKind.COLLABORATION, impact_ore=1), OG, True),
    (5, matter(MatterOrigin.COMMUNITY, MatterKind.STRATEGIC), CB, True),
    (
        6,
        matter(MatterOrigin.CREATIVE_BOARD, MatterKind.COLLABORATION, impact_ore=500_00),
        OG,
        False,
    ),
    (7, matter(MatterOrigin.CREATIVE_BOARD, MatterKind.STRATEGIC), CB, False),
    (8, matter(MatterOrigin.NATIONAL, MatterKind.STRATEGIC), CB, False),
    (9, matter(MatterOrigin.PRINCIPAL, MatterKind.OTHER), OG, False),
]


def test_every_row_has_a_case():
    assert sorted(row for row, *_ in CASES) == list(range(len(RULES)))


@pytest.mark.parametrize(("row", "case", "body", "proposed"), CASES, ids=[str(c[0]) for c in CASES])
def test_each_rule(row, case, body, proposed):
    assert rule_for(case) is RULES[row]
    route = route_for(case)
    assert (route.body, route.proposed) == (body, proposed)
    assert route.reason == str(RULES[row].reason)


def test_community_input_goes_where_the_cm_addresses_it_even_a_strategic_one():
    assert route_for(matter(MatterOrigin.COMMUNITY, MatterKind.STRATEGIC, addressed=OG)).body == OG
    assert route_for(matter(MatterOrigin.COMMUNITY, MatterKind.OTHER, addressed=CB)).body == CB


def test_budget_and_fee_levels_go_to_the_owner_group_whoever_raises_them():
    for origin in MatterOrigin.values:
        for kind in (MatterKind.BUDGET, MatterKind.FEE_LEVELS):
            assert route_for(matter(origin, kind, addressed=CB)).body == OG


@pytest.mark.parametrize(
    ("origin", "kind", "addressed", "impact"),
    list(itertools.product(MatterOrigin.values, MatterKind.values, ["", OG, CB], [0, 100])),
)
def test_every_origin_and_kind_has_a_route_with_a_reason(origin, kind, addressed, impact):
    route = route_for(matter(origin, kind, addressed, impact))
    assert route.body in Body.values
    assert route.reason
