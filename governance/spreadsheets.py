"""What every CSV and Excel download shares."""

from typing import Any

# A cell starting with one of these is a formula to a spreadsheet (and openpyxl writes it as
# one): text people typed — a hub's or a member's name, a reason — stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_cell(value: Any) -> Any:
    """``value`` as a download's cell: text that a spreadsheet would read as a formula gets a
    leading apostrophe; anything else is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
