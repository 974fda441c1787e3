"""API shapes for budgets, scenarios and forecasts. Money is whole SEK (integers); rates are
yearly fractions. Invalid inputs are refused with 422 per field before any service runs."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from governance.api_input import StrictInput
from governance.forecasts.choices import BudgetLineCategory
from governance.forecasts.engine import MAX_HORIZON_MONTHS, MAX_PHASE_MONTHS
from governance.lifecycle.selectors import available_transition_names

SEK = Field(ge=0, le=10**12, description="SEK, whole kronor")
MONTH = Field(ge=1, le=MAX_HORIZON_MONTHS, description="month number, 1 = the start month")


class BudgetLineIn(StrictInput):
    category: BudgetLineCategory
    amount_sek: int = Field(ge=0, le=10**12, description="SEK per year")
    note: str = Field("", max_length=500)


class BudgetIn(StrictInput):
    year: int = Field(ge=2000, le=2100)
    lines: list[BudgetLineIn] = Field(min_length=1, max_length=100)
    agreed_by: list[int] = Field(default_factory=list, max_length=100)
    agreed_on: date | None = None
    decision_reference: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class NationalBudgetIn(BudgetIn):
    pass


class BudgetPatchIn(StrictInput):
    lines: list[BudgetLineIn] | None = Field(None, min_length=1, max_length=100)
    agreed_by: list[int] | None = Field(None, max_length=100)
    agreed_on: date | None = None
    decision_reference: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)


class BudgetLineOut(Schema):
    category: str
    amount_sek: int
    note: str


class BudgetOut(Schema):
    id: int
    hub_id: int | None
    year: int
    version: int
    state: str
    agreed_by: list[int]
    agreed_on: date | None
    decision_reference: str
    adopted_on: date | None
    superseded_on: date | None
    note: str
    lines: list[BudgetLineOut]
    totals: dict[str, int]
    available_transitions: list[str]

    @staticmethod
    def resolve_agreed_by(budget: Any) -> list[int]:
        return [organisation.pk for organisation in budget.agreed_by.all()]

    @staticmethod
    def resolve_lines(budget: Any) -> list[Any]:
        return list(budget.lines.all())

    @staticmethod
    def resolve_totals(budget: Any) -> dict[str, int]:
        return budget.totals()

    @staticmethod
    def resolve_available_transitions(budget: Any, context: dict) -> list[str]:
        return available_transition_names(budget, context["request"].user)


class FeeTierIn(StrictInput):
    yearly_fee: int = Field(ge=0, le=10**9, description="SEK a year per member organisation")
    members: float = Field(ge=0, le=100_000, description="member organisations at steady state")


class MonthlyGrantIn(StrictInput):
    monthly_amount: int = SEK
    from_month: int = MONTH
    to_month: int = MONTH


class LumpSumIn(StrictInput):
    month: int = MONTH
    amount: int = SEK


class ScenarioInputsIn(StrictInput):
    """The engine's inputs; what is left out takes the engine's default."""

    fee_tiers: list[FeeTierIn] = Field(min_length=1, max_length=20)
    start_month: date = date(2026, 1, 1)
    preparation_months: int = Field(6, ge=0, le=MAX_PHASE_MONTHS)
    startup_months: int = Field(12, ge=0, le=MAX_PHASE_MONTHS)
    horizon_months: int = Field(60, ge=1, le=MAX_HORIZON_MONTHS)
    cm_fte: float = Field(1.0, ge=0, le=50)
    cm_monthly_cost: int = Field(0, ge=0, le=10**9)
    concept_developer_monthly_cost: int = Field(0, ge=0, le=10**9)
    other_staff_monthly_cost: int = Field(0, ge=0, le=10**9)
    premises_rent_monthly: int = Field(0, ge=0, le=10**9)
    rent_from_month: int = Field(1, ge=1, le=MAX_HORIZON_MONTHS)
    premises_investment: int = Field(0, ge=0, le=10**12)
    operating_costs_monthly: int = Field(0, ge=0, le=10**9)
    activities_monthly: int = Field(0, ge=0, le=10**9)
    cost_indexation: float = Field(0.0, ge=-0.5, le=1)
    fee_indexation: float = Field(0.0, ge=-0.5, le=1)
    ramp_months: int = Field(12, ge=1, le=MAX_HORIZON_MONTHS)
    ramp_shape: Literal["linear", "s_curve"] = "linear"
    seats_sold: float = Field(0, ge=0, le=100_000)
    seat_monthly_price: int = Field(0, ge=0, le=10**9)
    monthly_grants: list[MonthlyGrantIn] = Field(default_factory=list, max_length=20)
    lump_sums: list[LumpSumIn] = Field(default_factory=list, max_length=20)

    def engine_values(self) -> dict[str, Any]:
        values = self.dict()
        values["start_month"] = self.start_month.replace(day=1).isoformat()
        return values


class ScenarioIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    inputs: ScenarioInputsIn | None = Field(
        None, description="null: the defaults from the hub's budget and fee schedule in force"
    )


class ScenarioPatchIn(StrictInput):
    name: str | None = Field(None, min_length=1, max_length=200)
    inputs: ScenarioInputsIn | None = None


class ScenarioCopyIn(StrictInput):
    name: str | None = Field(None, min_length=1, max_length=200)


class ScenarioOut(Schema):
    id: int
    hub_id: int
    name: str
    inputs: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class ForecastSummaryOut(Schema):
    id: int
    hub_id: int
    hub_name: str = Field(alias="hub.name")
    scenario_id: int | None
    scenario_name: str
    engine_version: str
    computed_at: datetime
    break_even_month: int | None
    payback_month: int | None
    peak_liquidity_need_sek: int
    lowest_cash_month: int | None


class ForecastOut(ForecastSummaryOut):
    inputs: dict[str, Any]
    months: list[dict[str, Any]]
    sensitivity: list[dict[str, Any]]


class SolveFeeIn(StrictInput):
    inputs: ScenarioInputsIn
    count_grants: bool = False


class SolveFeeOut(Schema):
    steady_month: int
    monthly_costs: float
    monthly_fee_revenue: float
    monthly_other_revenue: float
    fee_factor: float | None
    ladder: list[float] | None
    members_needed: int | None
    members_now: float


class PipelineAgreementOut(Schema):
    """One agreement of a live forecast's pipeline as it was read."""

    agreement_id: int
    number: str
    member: str
    national: bool
    state: str
    probability: float
    start_on: date
    end_on: date
    terminated_on: date | None
    amounts_ore: dict[str, int] = Field(description="this hub's agreed fee per year, öre")
    expected_sek: int = Field(description="the weighted fees within the forecast's months")
    problem: str


class LiveForecastOut(ForecastOut):
    """A hub's live forecast: the result, and the pipeline, probabilities and day it read."""

    on: date
    probabilities: dict[str, float]
    ramp_from_month: int
    agreements: list[PipelineAgreementOut]

    @staticmethod
    def resolve_on(result: Any) -> str:
        return result.live_inputs["on"]

    @staticmethod
    def resolve_probabilities(result: Any) -> dict[str, float]:
        return result.live_inputs["probabilities"]

    @staticmethod
    def resolve_ramp_from_month(result: Any) -> int:
        return result.live_inputs["ramp_from_month"]

    @staticmethod
    def resolve_agreements(result: Any) -> list[dict[str, Any]]:
        return result.live_inputs["agreements"]


class LiveNationalMonthOut(Schema):
    calendar_month: date
    revenue_total: int
    cost_total: int
    net: int
    cumulative_cash: int


class LiveNationalHubOut(Schema):
    hub_id: int
    hub_name: str
    result_id: int
    computed_at: datetime
    break_even_month: int | None
    break_even_on: date | None
    payback_month: int | None
    payback_on: date | None
    peak_liquidity_need_sek: int


class LiveNationalOut(Schema):
    """Every hub's latest live forecast summed by calendar month, and each hub's figures."""

    months: list[LiveNationalMonthOut]
    hubs: list[LiveNationalHubOut]


class LiveRunIn(StrictInput):
    hub_id: int = Field(ge=1)
