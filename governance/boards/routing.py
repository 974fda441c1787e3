"""Where a submitted matter goes, and why: one readable table of rules.

Playbook "Organisation och ägarskap": the owner group "sätter budget och kostnadsnivåer" and may
send "inspel och önskemål kring strategiska utvecklingsområden" to the creative board; the
creative board has "full frihet att skapa nya sätt att samverka" and finds its own areas; the
community has "en direktkanal till både ägargrupp och creative board via CM". "Förvaltnings-
organisation för de enskilda hubbarna": the principal prepares budget and fee levels.

The rows are read top to bottom and the first that matches decides. ``origin`` or ``kinds``
``None`` match anything; ``when`` is an extra condition on the matter; ``body`` ``None`` means
the body the community manager addressed. ``proposed`` marks a route the table chose because
nobody named a body.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from governance.boards.choices import Body, MatterKind, MatterOrigin

OG, CB = Body.OWNER_GROUP, Body.CREATIVE_BOARD
MONEY = frozenset({MatterKind.BUDGET, MatterKind.FEE_LEVELS})
DEVELOPMENT = frozenset({MatterKind.STRATEGIC, MatterKind.COLLABORATION})


def needs_money(matter) -> bool:
    return matter.budget_impact_ore > 0


def addressed(matter) -> bool:
    return bool(matter.addressed_body)


def not_addressed(matter) -> bool:
    return not matter.addressed_body


@dataclass(frozen=True)
class Rule:
    origin: str | None
    kinds: frozenset | None
    when: Callable | None
    body: str | None
    reason: object
    proposed: bool = False

    def matches(self, matter) -> bool:
        return (
            (self.origin is None or matter.origin == self.origin)
            and (self.kinds is None or matter.kind in self.kinds)
            and (self.when is None or self.when(matter))
        )


# fmt: off
RULES: tuple[Rule, ...] = (
    # origin, kinds, condition → body, reason
    Rule(None, frozenset({MatterKind.BUDGET}), None, OG,
         _("Budgeten sätts av ägargruppen: den ”sätter budget och kostnadsnivåer”.")),
    Rule(None, frozenset({MatterKind.FEE_LEVELS}), None, OG,
         _("Avgiftsnivåerna sätts av ägargruppen: den ”sätter budget och kostnadsnivåer”.")),
    Rule(MatterOrigin.OWNER_GROUP, None, None, CB,
         _("Ägargruppens inspel och önskemål kring strategiska utvecklingsområden går till "
           "creative boarden.")),
    Rule(MatterOrigin.COMMUNITY, None, addressed, None,
         _("Communityns inspel går till det organ som CM vänder sig till (communityns "
           "direktkanal till både ägargrupp och creative board).")),
    Rule(MatterOrigin.COMMUNITY, None, needs_money, OG,
         _("Inget organ angivet: inspelet kostar pengar, så flödet föreslår ägargruppen, som "
           "sätter budget."), proposed=True),
    Rule(MatterOrigin.COMMUNITY, None, not_addressed, CB,
         _("Inget organ angivet: flödet föreslår creative boarden, som tar emot inspel från "
           "communityn och har full frihet att skapa nya sätt att samverka."), proposed=True),
    Rule(MatterOrigin.CREATIVE_BOARD, None, needs_money, OG,
         _("Creative boardens initiativ behöver pengar: det går vidare till ägargruppen, som "
           "sätter budget.")),
    Rule(MatterOrigin.CREATIVE_BOARD, None, None, CB,
         _("Creative boardens eget utvecklingsområde behandlas av creative boarden.")),
    Rule(None, DEVELOPMENT, None, CB,
         _("Strategisk utveckling och samverkansinitiativ behandlas av creative boarden.")),
    Rule(None, None, None, OG,
         _("Övriga ärenden från huvudmannen eller nationella noden behandlas av ägargruppen.")),
)
# fmt: on


class Route(NamedTuple):
    body: str
    reason: str
    proposed: bool


def rule_for(matter) -> Rule:
    """The first row of the table that matches the matter."""
    return next(rule for rule in RULES if rule.matches(matter))


def route_for(matter) -> Route:
    """The body the matter goes to, the reason in words, and whether the table proposed it."""
    rule = rule_for(matter)
    return Route(rule.body or matter.addressed_body, str(rule.reason), rule.proposed)
