"""The scenario and fee-solver forms of the forecast pages.

They only translate: what a person typed becomes the API's input shape (``ScenarioIn`` or
``SolveFeeIn`` in schemas.py), which checks it, and the services then check it against the
engine (``checked_scenario``). Their errors, named by the same dotted paths the API's 422 names
(``cm_fte``, ``fee_tiers.0.members``), are shown next to the field, what was typed kept. So the
rules have one home and the page and the API can never disagree.

Units as people think of them: whole kronor (spaces and a decimal comma accepted), months,
full-time equivalents, and indexation in per cent a year (the schema's yearly fraction × 100).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError

from governance.forecasts.schemas import ScenarioIn, SolveFeeIn

Kind = Literal["integer", "number", "percent", "month", "shape", "text"]
PERCENT = 100
# Blank rows offered below a table's filled ones, so a tier or grant can be added without script.
EXTRA_ROWS = 2


@dataclass(frozen=True)
class InputSpec:
    """One engine input on the form: its name in the schema, label, unit and kind."""

    name: str
    label: Promise
    unit: Promise | str
    kind: Kind = "integer"
    help: Promise | str = ""


@dataclass(frozen=True)
class TableSpec:
    """A list input (the fee ladder, grants) shown as a table with a row per item."""

    name: str
    caption: Promise
    help: Promise
    columns: tuple[InputSpec, ...]


KR_PER_MONTH = gettext_lazy("kr per månad")
MONTHS = gettext_lazy("månader")
MONTH_NUMBER = gettext_lazy("månad nr")
PER_CENT_A_YEAR = gettext_lazy("% per år")

SECTIONS: tuple[tuple[Promise, tuple[InputSpec, ...]], ...] = (
    (
        gettext_lazy("Tid och faser"),
        (
            InputSpec(
                "start_month",
                gettext_lazy("Första månaden"),
                gettext_lazy("år och månad"),
                "month",
                gettext_lazy("Månad 1: förberedelsefasen börjar."),
            ),
            InputSpec("preparation_months", gettext_lazy("Förberedelser"), MONTHS),
            InputSpec("startup_months", gettext_lazy("Uppstart"), MONTHS),
            InputSpec(
                "horizon_months",
                gettext_lazy("Prognosens längd"),
                MONTHS,
                help=gettext_lazy("Från första månaden, faserna inräknade."),
            ),
        ),
    ),
    (
        gettext_lazy("Medlemmar och platser"),
        (
            InputSpec(
                "ramp_months",
                gettext_lazy("Upptrappning till fullt antal"),
                MONTHS,
                help=gettext_lazy("Räknat från uppstartens början."),
            ),
            InputSpec(
                "ramp_shape", gettext_lazy("Upptrappningens form"), gettext_lazy("kurva"), "shape"
            ),
            InputSpec(
                "fee_indexation",
                gettext_lazy("Uppräkning av avgifterna"),
                PER_CENT_A_YEAR,
                "percent",
            ),
            InputSpec("seats_sold", gettext_lazy("Sålda platser"), gettext_lazy("antal"), "number"),
            InputSpec("seat_monthly_price", gettext_lazy("Pris per plats"), KR_PER_MONTH),
        ),
    ),
    (
        gettext_lazy("Personal"),
        (
            InputSpec(
                "cm_fte",
                gettext_lazy("Community manager"),
                gettext_lazy("heltidstjänster, FTE"),
                "number",
                gettext_lazy("Från uppstarten."),
            ),
            InputSpec(
                "cm_monthly_cost",
                gettext_lazy("Kostnad per heltid, community manager"),
                KR_PER_MONTH,
            ),
            InputSpec(
                "concept_developer_monthly_cost",
                gettext_lazy("Konceptutvecklare"),
                KR_PER_MONTH,
                help=gettext_lazy("Under förberedelser och uppstart."),
            ),
            InputSpec(
                "other_staff_monthly_cost",
                gettext_lazy("Övrig personal"),
                KR_PER_MONTH,
                help=gettext_lazy("Från uppstarten."),
            ),
        ),
    ),
    (
        gettext_lazy("Lokal och drift"),
        (
            InputSpec("premises_rent_monthly", gettext_lazy("Hyra"), KR_PER_MONTH),
            InputSpec("rent_from_month", gettext_lazy("Hyran börjar"), MONTH_NUMBER),
            InputSpec(
                "premises_investment",
                gettext_lazy("Investering i lokalen"),
                gettext_lazy("kr, en gång"),
                help=gettext_lazy("Betalas den månad hyran börjar."),
            ),
            InputSpec(
                "operating_costs_monthly",
                gettext_lazy("Driftskostnader"),
                KR_PER_MONTH,
                help=gettext_lazy("Från uppstarten."),
            ),
            InputSpec(
                "activities_monthly",
                gettext_lazy("Aktiviteter"),
                KR_PER_MONTH,
                help=gettext_lazy("Från uppstarten."),
            ),
            InputSpec(
                "cost_indexation",
                gettext_lazy("Uppräkning av kostnaderna"),
                PER_CENT_A_YEAR,
                "percent",
            ),
        ),
    ),
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "fee_tiers",
        gettext_lazy("Avgiftstrappa"),
        gettext_lazy(
            "En rad per avgiftsnivå: årsavgiften och hur många medlemsorganisationer som betalar "
            "den när upptrappningen är klar. Lämna en rad tom för att ta bort den."
        ),
        (
            InputSpec("yearly_fee", gettext_lazy("Årsavgift"), gettext_lazy("kr per år")),
            InputSpec(
                "members",
                gettext_lazy("Medlemsorganisationer"),
                gettext_lazy("antal"),
                "number",
            ),
        ),
    ),
    TableSpec(
        "monthly_grants",
        gettext_lazy("Bidrag varje månad"),
        gettext_lazy(
            "Driftbidrag under en period, till exempel regionala medel. Budgetens "
            "investeringskapital och uppstartsstöd hör inte hit: de jämförs med "
            "likviditetsbehovet som prognosen visar."
        ),
        (
            InputSpec("monthly_amount", gettext_lazy("Belopp"), KR_PER_MONTH),
            InputSpec("from_month", gettext_lazy("Från"), MONTH_NUMBER),
            InputSpec("to_month", gettext_lazy("Till och med"), MONTH_NUMBER),
        ),
    ),
    TableSpec(
        "lump_sums",
        gettext_lazy("Engångsbelopp"),
        gettext_lazy(
            "Andra intäkter som betalas en gång. Budgetens investeringskapital och "
            "uppstartsstöd hör inte hit: de jämförs med likviditetsbehovet."
        ),
        (
            InputSpec("month", gettext_lazy("Betalas"), MONTH_NUMBER),
            InputSpec("amount", gettext_lazy("Belopp"), gettext_lazy("kr")),
        ),
    ),
)

RAMP_SHAPES = (
    ("linear", gettext_lazy("Jämn (linjär)")),
    ("s_curve", gettext_lazy("S-kurva: långsam start, snabb mitt, långsamt slut")),
)
_ROW_CELL = re.compile(r"^(?P<table>\w+)\.(?P<index>\d+)\.(?P<column>\w+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass
class BoundInput:
    """One input as the template draws it: what to show in it and its errors."""

    spec: InputSpec
    path: str
    value: str
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "input-" + self.path.replace(".", "-")

    @property
    def choices(self) -> tuple[tuple[str, Promise], ...]:
        return RAMP_SHAPES if self.spec.kind == "shape" else ()


def _shown(value: Any, kind: Kind) -> str:
    """A stored input as it is typed: a decimal comma, no grouping, per cent for rates."""
    if value is None:
        return ""
    if kind == "month":
        return str(value)[:7]
    if kind == "shape":
        return str(value)
    number = Decimal(str(value)) * (PERCENT if kind == "percent" else 1)
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


def _typed_number(text: str) -> str | None:
    """What was typed as the schema reads a number: spaces out, a decimal point; None when
    blank (the schema then names the field as missing a value)."""
    cleaned = _SPACES.sub("", text).replace(",", ".").replace("\u2212", "-")
    return cleaned or None


def _sent(text: str, kind: Kind) -> Any:
    """The value sent to the schema for a typed text; unreadable text is sent as typed, so the
    schema's own error names it."""
    if kind == "shape":
        return text or None
    if kind == "month":
        stripped = text.strip()
        return f"{stripped}-01" if re.fullmatch(r"\d{4}-\d{2}", stripped) else stripped or None
    number = _typed_number(text)
    if kind == "percent" and number is not None:
        try:
            return float(Decimal(number) / PERCENT)
        except InvalidOperation:
            return number
    return number


def _limit(value: Any, kind: Kind) -> str:
    number = Decimal(str(value)) * (PERCENT if kind == "percent" else 1)
    return formats.number_format(number.normalize(), force_grouping=True)


def schema_message(error: Mapping[str, Any], kind: Kind | None) -> str:
    """A schema error in words a person reads (the API gives the same error in English)."""
    code, context = error["type"], error.get("ctx") or {}
    if error.get("input") in (None, "") and code.endswith(("_type", "missing")):
        return _("Fyll i ett värde.")
    if code == "int_parsing" or code == "int_from_float":
        return _("Ange ett heltal.")
    if code in {"float_parsing", "decimal_parsing"}:
        return _("Ange ett tal.")
    if code.startswith(("date_", "datetime_")):
        return _("Ange år och månad, till exempel 2026-09.")
    if code == "greater_than_equal":
        return _("Värdet får inte vara mindre än %(limit)s.") % {
            "limit": _limit(context["ge"], kind)
        }
    if code == "less_than_equal":
        return _("Värdet får inte vara större än %(limit)s.") % {
            "limit": _limit(context["le"], kind)
        }
    if code == "literal_error":
        return _("Välj ett av alternativen.")
    if code == "string_too_short":
        return _("Fyll i ett namn.")
    if code == "string_too_long":
        return _("Högst %(count)s tecken.") % {"count": context.get("max_length")}
    if code == "too_short":
        return _("Fyll i minst %(count)s rad.") % {"count": context.get("min_length")}
    if code == "too_long":
        return _("Högst %(count)s rader.") % {"count": context.get("max_length")}
    return _("Ogiltigt värde.")


class ForecastInputsForm:
    """The engine's inputs as a form. ``data`` is a POST (what was typed), ``initial`` the
    stored inputs (engine values) to start from. Subclasses name the schema that checks them and
    read its other fields (the scenario's name, the solver's ``count_grants``)."""

    schema: type[BaseModel]

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        self.is_bound = data is not None
        self.extra_rows = EXTRA_ROWS
        self.errors: dict[str, list[str]] = {}
        self.cleaned: BaseModel | None = None
        self._typed: dict[str, str] = {}
        self._rows: dict[str, list[dict[str, str]]] = {}
        if data is not None:
            self._read_typed(data)
        else:
            self._read_initial(initial or {})

    # Reading what to show.

    def _read_typed(self, data: Mapping[str, str]) -> None:
        for _title, specs in SECTIONS:
            for spec in specs:
                self._typed[spec.name] = data.get(spec.name, "")
        found: dict[str, dict[int, dict[str, str]]] = {table.name: {} for table in TABLES}
        for key in data:
            match = _ROW_CELL.match(key)
            if match and match["table"] in found:
                found[match["table"]].setdefault(int(match["index"]), {})[match["column"]] = (
                    data.get(key, "")
                )
        for table in TABLES:
            # Rows left blank are no rows: the rest are numbered anew, as they are sent.
            self._rows[table.name] = [
                row
                for _index, row in sorted(found[table.name].items())
                if any(row.get(column.name, "").strip() for column in table.columns)
            ]
        self._read_extra_typed(data)

    def _read_initial(self, initial: Mapping[str, Any]) -> None:
        for _title, specs in SECTIONS:
            for spec in specs:
                self._typed[spec.name] = _shown(initial.get(spec.name), spec.kind)
        for table in TABLES:
            self._rows[table.name] = [
                {
                    column.name: _shown(item.get(column.name), column.kind)
                    for column in table.columns
                }
                for item in initial.get(table.name, [])
            ]

    def _read_extra_typed(self, data: Mapping[str, str]) -> None:
        pass

    # Checking: the schema, then (in the view) the service.

    def inputs_sent(self) -> dict[str, Any]:
        """The inputs in the schema's shape, each typed text as the schema reads it."""
        values: dict[str, Any] = {}
        for _title, specs in SECTIONS:
            for spec in specs:
                values[spec.name] = _sent(self._typed[spec.name], spec.kind)
        for table in TABLES:
            values[table.name] = [
                {
                    column.name: _sent(row.get(column.name, ""), column.kind)
                    for column in table.columns
                }
                for row in self._rows[table.name]
            ]
        return values

    def body_sent(self) -> dict[str, Any]:
        return {"inputs": self.inputs_sent()}

    def is_valid(self) -> bool:
        """Whether the schema takes what was typed; its errors are kept per field."""
        if not self.is_bound:
            return False
        try:
            self.cleaned = self.schema.model_validate(self.body_sent())
        except SchemaError as error:
            for item in error.errors():
                path = ".".join(str(part) for part in item["loc"])
                path = path.removeprefix("inputs.") if path != "inputs" else path
                self._add(path, schema_message(item, self._kind(path)))
            return False
        return True

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's errors (``inputs.<path>`` as the API names them) on their fields."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self._add("__all__", message)
            return
        for name, messages in error.message_dict.items():
            path = name.removeprefix("inputs.") if name != "inputs" else "__all__"
            for message in messages:
                self._add(path, message)

    def _add(self, path: str, message: str) -> None:
        known = self._known_paths()
        self.errors.setdefault(path if path in known else "__all__", []).append(message)

    def _kind(self, path: str) -> Kind | None:
        for _title, specs in SECTIONS:
            for spec in specs:
                if spec.name == path:
                    return spec.kind
        match = _ROW_CELL.match(path)
        if match:
            for table in TABLES:
                for column in table.columns:
                    if table.name == match["table"] and column.name == match["column"]:
                        return column.kind
        return None

    def _known_paths(self) -> set[str]:
        paths = {spec.name for _title, specs in SECTIONS for spec in specs}
        for table in TABLES:
            paths.add(table.name)
            for index, _row in enumerate(self._rows[table.name]):
                paths.update(f"{table.name}.{index}.{column.name}" for column in table.columns)
        return paths | self._extra_paths()

    def _extra_paths(self) -> set[str]:
        return set()

    # Drawing.

    def _bound(self, spec: InputSpec, path: str, value: str) -> BoundInput:
        return BoundInput(spec=spec, path=path, value=value, errors=self.errors.get(path, []))

    @property
    def sections(self) -> list[dict[str, Any]]:
        return [
            {
                "title": title,
                "inputs": [self._bound(spec, spec.name, self._typed[spec.name]) for spec in specs],
            }
            for title, specs in SECTIONS
        ]

    @property
    def tables(self) -> list[dict[str, Any]]:
        drawn = []
        for table in TABLES:
            rows = self._rows[table.name] + [{}] * self.extra_rows
            drawn.append(
                {
                    "spec": table,
                    "errors": self.errors.get(table.name, []),
                    "rows": [
                        [
                            self._bound(
                                column,
                                f"{table.name}.{index}.{column.name}",
                                row.get(column.name, ""),
                            )
                            for column in table.columns
                        ]
                        for index, row in enumerate(rows)
                    ],
                }
            )
        return drawn

    @property
    def non_field_errors(self) -> list[str]:
        return self.errors.get("__all__", [])

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every field error with its label and the input it belongs to, in the form's order."""
        summary = []
        for bound in self._every_input():
            for message in bound.errors:
                summary.append({"id": bound.id, "label": str(bound.spec.label), "message": message})
        for table in TABLES:
            for message in self.errors.get(table.name, []):
                summary.append(
                    {"id": f"table-{table.name}", "label": str(table.caption), "message": message}
                )
        return summary

    def _every_input(self) -> list[BoundInput]:
        inputs = [bound for section in self.sections for bound in section["inputs"]]
        for table in self.tables:
            for row in table["rows"]:
                inputs.extend(row)
        return inputs


NAME_SPEC = InputSpec("name", gettext_lazy("Scenariots namn"), "", "text")


class ScenarioForm(ForecastInputsForm):
    """A scenario: its name and inputs, checked as ``POST /api/hubs/{id}/forecast-scenarios``
    checks them."""

    schema = ScenarioIn

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
        name: str = "",
    ) -> None:
        self._name = name
        super().__init__(data, initial=initial)

    def _read_extra_typed(self, data: Mapping[str, str]) -> None:
        self._name = data.get("name", "")

    def body_sent(self) -> dict[str, Any]:
        return {"name": self._name.strip(), "inputs": self.inputs_sent()}

    def _extra_paths(self) -> set[str]:
        return {"name"}

    @property
    def name_input(self) -> BoundInput:
        return self._bound(NAME_SPEC, "name", self._name)

    def _every_input(self) -> list[BoundInput]:
        return [self.name_input, *super()._every_input()]


class FeeSolverForm(ForecastInputsForm):
    """The fee solver's inputs, checked as ``POST /api/forecasts/solve-fee`` checks them."""

    schema = SolveFeeIn

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        self.count_grants = False
        super().__init__(data, initial=initial)

    def _read_extra_typed(self, data: Mapping[str, str]) -> None:
        self.count_grants = bool(data.get("count_grants"))

    def body_sent(self) -> dict[str, Any]:
        return {"inputs": self.inputs_sent(), "count_grants": self.count_grants}
