"""The fee arithmetic of membership agreements: pure functions on integers (öre), no database.

Rules (README, "Membership agreements"):
- A tier ladder covers employees from 1 upwards without gaps or overlaps; only the last tier is
  open-ended. A schedule has one general ladder and may have one per kind of organisation
  (playbook "Affärsmodell" and "Medlemskap": the cost "baserades på ett antal storleksnivåer
  kopplat till antal anställda på orten"; the issue adds "betalningsförmåga" as a kind).
- One fee line per calendar year of the agreement's period. A year the period covers whole is
  the yearly fee. A part of a year is pro rata by days, both the first and the last day counted,
  over the days of that calendar year (365 or 366), rounded half up to whole kronor; the line
  says so in words.
- A discount is a percentage of one year's fee line, or of every year's, rounded half up to
  whole kronor, shown as a line of its own with its reason.
- A national agreement's lines are allocated to the hubs by a key (employees per locality) with
  the largest-remainder method, so the parts add up to the line exactly.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from governance.memberships.choices import FeeLineKind

ORE_PER_KRONA = 100


@dataclass(frozen=True)
class Tier:
    employees_from: int
    employees_to: int | None
    yearly_fee_ore: int
    organisation_kind: str = ""


@dataclass(frozen=True)
class Discount:
    percent: int
    reason: str
    year: int | None = None  # None: every year of the period


@dataclass(frozen=True)
class FeeLine:
    kind: str
    year: int
    period_start: date
    period_end: date
    days: int
    days_in_year: int
    yearly_fee_ore: int
    amount_ore: int
    rule: str


def babel_locale() -> str:
    """The Babel locale of the active language: Swedish formats unless English is chosen."""
    return "en_GB" if (get_language() or "sv").startswith("en") else "sv_SE"


def format_kronor(amount_ore: int, locale: str | None = None) -> str:
    """``12 000 kr`` in Swedish, ``SEK 12,000`` in English; öre only when there are some."""
    locale = locale or babel_locale()
    if amount_ore % ORE_PER_KRONA:
        number = format_decimal(
            Decimal(amount_ore) / ORE_PER_KRONA, format="#,##0.00", locale=locale
        )
    else:
        number = format_decimal(amount_ore // ORE_PER_KRONA, format="#,##0", locale=locale)
    return f"SEK {number}" if locale.startswith("en") else f"{number} kr"


def _round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _to_whole_kronor(numerator_ore: int, denominator: int) -> int:
    return _round_half_up(numerator_ore, denominator * ORE_PER_KRONA) * ORE_PER_KRONA


# --- Tier ladders -------------------------------------------------------------------------


def tier_name(index: int, tier: Tier) -> str:
    """``Nivå 2 (11–50 anställda)``: how an error names the tier."""
    upper = "" if tier.employees_to is None else str(tier.employees_to)
    return _("Nivå %(number)d (%(lower)s–%(upper)s anställda)") % {
        "number": index + 1,
        "lower": tier.employees_from,
        "upper": upper,
    }


def ladder_errors(tiers: Sequence[Tier]) -> dict[str, list[str]]:
    """Every broken rule of a schedule's ladders, by field (``tiers.<index>.<field>``).

    ``tiers`` is the schedule's whole list: the general ladder (empty kind) and any per-kind
    ladders, each checked on its own, in the order given.
    """
    errors: dict[str, list[str]] = {}
    if not any(tier.organisation_kind == "" for tier in tiers):
        errors["tiers"] = [_("Avgiftstrappan behöver en allmän trappa (utan organisationstyp).")]
    ladders: dict[str, list[tuple[int, Tier]]] = {}
    for index, tier in enumerate(tiers):
        ladders.setdefault(tier.organisation_kind, []).append((index, tier))
    for ladder in ladders.values():
        for field, message in _one_ladder_errors(ladder):
            errors.setdefault(field, []).append(message)
    return errors


def _one_ladder_errors(ladder: list[tuple[int, Tier]]) -> Iterable[tuple[str, str]]:
    expected_from = 1
    for position, (index, tier) in enumerate(ladder):
        name = tier_name(position, tier)
        last = position == len(ladder) - 1
        if tier.employees_from != expected_from:
            if position == 0:
                message = _("%(tier)s: trappan ska börja på 1 anställd.")
            elif tier.employees_from > expected_from:
                message = _("%(tier)s: glapp, ingen nivå täcker %(lower)d–%(upper)d anställda.")
            else:
                message = _("%(tier)s: överlappar nivån före (som slutar på %(previous)d).")
            yield (
                f"tiers.{index}.employees_from",
                message
                % {
                    "tier": name,
                    "lower": expected_from,
                    "upper": tier.employees_from - 1,
                    "previous": expected_from - 1,
                },
            )
        if tier.employees_to is None and not last:
            yield (
                f"tiers.{index}.employees_to",
                _("%(tier)s: bara den sista nivån får sakna övre gräns.") % {"tier": name},
            )
        elif tier.employees_to is not None and last:
            yield (
                f"tiers.{index}.employees_to",
                _("%(tier)s: den sista nivån ska sakna övre gräns.") % {"tier": name},
            )
        if tier.employees_to is not None and tier.employees_to < tier.employees_from:
            yield (
                f"tiers.{index}.employees_to",
                _("%(tier)s: övre gränsen är lägre än den undre.") % {"tier": name},
            )
        expected_from = (tier.employees_to or tier.employees_from) + 1


def tier_for(tiers: Sequence[Tier], employees: int, organisation_kind: str = "") -> Tier:
    """The tier for ``employees``: from the kind's own ladder when it has one, else the general.

    Raises LookupError when no tier covers the number (a ladder that passed ``ladder_errors``
    covers every number from 1).
    """
    own = [tier for tier in tiers if tier.organisation_kind == organisation_kind]
    ladder = own or [tier for tier in tiers if tier.organisation_kind == ""]
    for tier in ladder:
        if tier.employees_from <= employees and (
            tier.employees_to is None or employees <= tier.employees_to
        ):
            return tier
    raise LookupError(employees)


# --- Fee lines ----------------------------------------------------------------------------


def _days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _date_words(day: date, locale: str) -> str:
    return format_date(day, format="d MMMM", locale=locale)


def fee_lines(
    start: date, end: date, yearly_fee_ore: int, discounts: Sequence[Discount] = ()
) -> list[FeeLine]:
    """The agreement's fee lines, one per calendar year from ``start`` to ``end`` (both
    included), each followed by its discount lines."""
    if end < start:
        raise ValueError("end before start")
    locale = babel_locale()
    lines: list[FeeLine] = []
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        days, days_in_year = (last - first).days + 1, _days_in_year(year)
        words = {
            "year": year,
            "fee": format_kronor(yearly_fee_ore, locale),
            "first": _date_words(first, locale),
            "last": _date_words(last, locale),
            "days": days,
            "days_in_year": days_in_year,
        }
        if days == days_in_year:
            amount = yearly_fee_ore
            rule = _("Helt kalenderår %(year)d: årsavgiften %(fee)s.") % words
        else:
            amount = _to_whole_kronor(yearly_fee_ore * days, days_in_year)
            words["amount"] = format_kronor(amount, locale)
            rule = (
                _(
                    "Del av %(year)d, %(first)s–%(last)s: %(days)d av %(days_in_year)d dagar × "
                    "årsavgiften %(fee)s = %(amount)s (avrundat till hela kronor)."
                )
                % words
            )
        fee = FeeLine(
            FeeLineKind.FEE, year, first, last, days, days_in_year, yearly_fee_ore, amount, rule
        )
        lines.append(fee)
        lines.extend(
            _discount_line(fee, discount, locale)
            for discount in discounts
            if discount.year in (None, year)
        )
    return lines


def _discount_line(fee: FeeLine, discount: Discount, locale: str) -> FeeLine:
    amount = _to_whole_kronor(fee.amount_ore * discount.percent, 100)
    rule = _("Rabatt %(percent)d %% på avgiften för %(year)d (%(reason)s): −%(amount)s.") % {
        "percent": discount.percent,
        "year": fee.year,
        "reason": discount.reason,
        "amount": format_kronor(amount, locale),
    }
    return FeeLine(
        FeeLineKind.DISCOUNT,
        fee.year,
        fee.period_start,
        fee.period_end,
        fee.days,
        fee.days_in_year,
        fee.yearly_fee_ore,
        -amount,
        rule,
    )


def total_ore(lines: Iterable[FeeLine]) -> int:
    return sum(line.amount_ore for line in lines)


def allocate(amount_ore: int, weights: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """``amount_ore`` split by ``weights`` (e.g. employees per hub), whole öre, summing exactly.

    Largest remainder: each part is rounded down, and the öre left over go one each to the
    parts with the largest remainders (ties to the larger weight, then the key's order).
    """
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("weights must add up to more than zero")
    parts = {key: amount_ore * weight // total_weight for key, weight in weights.items()}
    remainders = sorted(
        weights,
        key=lambda key: (-(amount_ore * weights[key] % total_weight), -weights[key]),
    )
    for key in remainders[: amount_ore - sum(parts.values())]:
        parts[key] += 1
    return parts


def sek_to_ore(amount_sek: Decimal) -> int:
    """SEK as typed (at most two decimals) to öre, exactly."""
    return int(amount_sek * ORE_PER_KRONA)
