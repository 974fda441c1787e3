"""API shapes for fee schedules and agreements. Money goes in as SEK with at most two decimals
and comes out as öre (integers) with the amount in words for people."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterSchema, ModelSchema, Schema

from governance.api_input import StrictInput
from governance.lifecycle.selectors import available_transition_names
from governance.memberships.choices import (
    AgreementLanguage,
    AgreementState,
    FeeLineKind,
    FeeScheduleState,
    MembershipModel,
    SigningAuthority,
)
from governance.memberships.fees import format_kronor
from governance.memberships.models import Agreement, FeeSchedule
from governance.memberships.selectors import NoFeeScheduleError, agreement_fees
from governance.memberships.services import AGREEMENT_EDITABLE_FIELDS
from governance.organisations.choices import OrganisationKind
from governance.organisations.schemas import OrganisationRefOut

SEK = Field(ge=0, max_digits=12, decimal_places=2)


class TierIn(StrictInput):
    organisation_kind: OrganisationKind | None = Field(
        None, description="Empty: the general ladder; a kind: that kind's own ladder."
    )
    employees_from: int = Field(ge=1, le=10_000_000)
    employees_to: int | None = Field(None, ge=1, le=10_000_000, description="null: open-ended")
    yearly_fee_sek: Decimal = SEK


class FeeScheduleIn(StrictInput):
    hub_id: int | None = Field(description="null: the national schedule")
    effective_from: date
    seat_price_sek: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    tiers: list[TierIn] = Field(min_length=1, max_length=50)
    agreed_by: list[int] = Field(
        default_factory=list, max_length=100, description="ids of the organisations that agreed"
    )
    agreed_on: date | None = None
    decision_reference: str = Field("", max_length=200)


class FeeSchedulePatchIn(StrictInput):
    effective_from: date | None = None
    seat_price_sek: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    tiers: list[TierIn] | None = Field(None, min_length=1, max_length=50)
    agreed_by: list[int] | None = Field(None, max_length=100)
    agreed_on: date | None = None
    decision_reference: str | None = Field(None, max_length=200)


class FeeScheduleFilters(FilterSchema):
    hub: int | None = Field(None, description="a hub's id")
    national: bool | None = Field(None, description="true: only the national schedules")
    state: FeeScheduleState | None = None

    def filter_hub(self, value: int | None) -> Any:
        return Q(hub=value) if value is not None else Q()

    def filter_national(self, value: bool | None) -> Any:
        return Q() if value is None else Q(hub__isnull=value)


class TierOut(Schema):
    organisation_kind: str
    employees_from: int
    employees_to: int | None
    yearly_fee_ore: int
    yearly_fee: str

    @staticmethod
    def resolve_yearly_fee(tier: Any) -> str:
        return format_kronor(tier.yearly_fee_ore)


class FeeScheduleOut(ModelSchema):
    hub_id: int | None
    hub_name: str | None
    state: FeeScheduleState
    state_display: str
    seat_price: str
    tiers: list[TierOut]
    agreed_by: list[OrganisationRefOut]
    available_transitions: list[str]

    class Meta:
        model = FeeSchedule
        fields = [
            "id",
            "version",
            "effective_from",
            "seat_price_ore",
            "agreed_on",
            "decision_reference",
            "adopted_on",
            "superseded_on",
        ]

    @staticmethod
    def resolve_hub_name(schedule: FeeSchedule) -> str | None:
        return schedule.hub.name if schedule.hub_id else None

    @staticmethod
    def resolve_state_display(schedule: FeeSchedule) -> str:
        return str(FeeScheduleState(schedule.state).label)

    @staticmethod
    def resolve_seat_price(schedule: FeeSchedule) -> str:
        return format_kronor(schedule.seat_price_ore)

    @staticmethod
    def resolve_tiers(schedule: FeeSchedule) -> list[Any]:
        return list(schedule.tiers.all())

    @staticmethod
    def resolve_agreed_by(schedule: FeeSchedule) -> list[Any]:
        return list(schedule.agreed_by.all())

    @staticmethod
    def resolve_available_transitions(schedule: FeeSchedule, context: dict[str, Any]) -> list[str]:
        if not hasattr(schedule, "hub_has_owner_group"):
            return []
        return available_transition_names(schedule, context["request"].user)


class DiscountIn(StrictInput):
    percent: int = Field(ge=1, le=100)
    year: int | None = Field(None, ge=2000, le=2200, description="null: every year")
    reason: str = Field(min_length=1, max_length=300)


class LocalityIn(StrictInput):
    hub_id: int
    employees: int = Field(ge=1, le=10_000_000)


class AgreementIn(ModelSchema, StrictInput):
    hub_id: int | None = Field(description="null: a national agreement, valid in every hub")
    member_org_number: str = Field(max_length=20, description="NNNNNN-NNNN or ten digits")
    principal_id: int | None = Field(
        None, description="National agreements only: the national owner organisation's id."
    )
    model: MembershipModel
    language: AgreementLanguage = AgreementLanguage.SWEDISH
    member_signatory_authority: SigningAuthority
    employees: int | None = Field(
        None, description="Employees at the locality; a national agreement's come from localities."
    )
    discounts: list[DiscountIn] = Field(default_factory=list, max_length=10)
    localities: list[LocalityIn] | None = Field(None, max_length=200)

    class Meta:
        model = Agreement
        fields = AGREEMENT_EDITABLE_FIELDS


class AgreementPatchIn(ModelSchema, StrictInput):
    model: MembershipModel | None = None
    language: AgreementLanguage | None = None
    member_signatory_authority: SigningAuthority | None = None
    discounts: list[DiscountIn] | None = Field(None, max_length=10)
    localities: list[LocalityIn] | None = Field(None, max_length=200)

    class Meta:
        model = Agreement
        fields = AGREEMENT_EDITABLE_FIELDS
        fields_optional = "__all__"


class SignaturesIn(StrictInput):
    member_signed_on: date | None = None
    principal_signed_on: date | None = None


class SignedCopyIn(StrictInput):
    signed_on: date = Field(description="the day the member's avtalsombud signed")
    signatory: str = Field(min_length=1, max_length=200, description="who signed for the member")


class SignedCopyOut(Schema):
    id: int
    version: int
    sha256: str
    content_type: str
    size: int
    signed_on: date
    signatory: str
    uploaded_at: datetime


class TerminationIn(StrictInput):
    terminated_on: date
    reason: str = Field(min_length=1, max_length=2_000)


class AgreementFilters(FilterSchema):
    hub: int | None = Field(None, description="a hub's id")
    national: bool | None = None
    state: AgreementState | None = None
    ending_before: date | None = Field(None, description="end date before this day")
    member: int | None = Field(None, description="the member organisation's id")

    def filter_hub(self, value: int | None) -> Any:
        return Q(hub=value) if value is not None else Q()

    def filter_national(self, value: bool | None) -> Any:
        return Q() if value is None else Q(hub__isnull=value)

    def filter_ending_before(self, value: date | None) -> Any:
        return Q(end_on__lt=value) if value else Q()


class AgreementSummaryOut(ModelSchema):
    hub_id: int | None
    hub_name: str | None
    member: OrganisationRefOut
    principal: OrganisationRefOut
    model: MembershipModel
    state: AgreementState
    state_display: str
    days_left: int

    class Meta:
        model = Agreement
        fields = ["id", "number", "start_on", "end_on", "seats", "employees"]

    @staticmethod
    def resolve_hub_name(agreement: Agreement) -> str | None:
        return agreement.hub.name if agreement.hub_id else None

    @staticmethod
    def resolve_state_display(agreement: Agreement) -> str:
        return str(AgreementState(agreement.state).label)

    @staticmethod
    def resolve_days_left(agreement: Agreement) -> int:
        return (agreement.end_on - timezone.localdate()).days


class FeeLineOut(Schema):
    kind: FeeLineKind
    year: int
    period_start: date
    period_end: date
    days: int
    days_in_year: int
    amount_ore: int
    amount: str
    rule: str

    @staticmethod
    def resolve_amount(line: Any) -> str:
        return format_kronor(line.amount_ore)


class AllocationOut(Schema):
    year: int
    hub_id: int
    hub: str
    amount_ore: int


class FeesOut(Schema):
    schedule_id: int
    schedule_version: int
    yearly_fee_ore: int
    lines: list[FeeLineOut]
    total_ore: int
    total: str
    allocation: list[AllocationOut] | None


class DiscountOut(Schema):
    percent: int
    year: int | None
    reason: str


class LocalityOut(Schema):
    hub_id: int
    employees: int


class AgreementOut(AgreementSummaryOut, ModelSchema):
    language: AgreementLanguage
    member_signatory_authority: SigningAuthority
    discounts: list[DiscountOut]
    localities: list[LocalityOut]
    fees: FeesOut | None = Field(description="null when no adopted fee schedule covers the start")
    fee_problem: str | None
    renewed_from_id: int | None
    sent_at: datetime | None
    available_transitions: list[str]

    class Meta:
        model = Agreement
        fields = [
            *AGREEMENT_EDITABLE_FIELDS,
            "sent_to",
            "member_signed_on",
            "principal_signed_on",
            "terminated_on",
            "termination_reason",
            "created_at",
        ]

    @staticmethod
    def resolve_discounts(agreement: Agreement) -> list[Any]:
        return list(agreement.discounts.all())

    @staticmethod
    def resolve_localities(agreement: Agreement) -> list[Any]:
        return list(agreement.localities.all())

    @staticmethod
    def resolve_fees(agreement: Agreement) -> dict[str, Any] | None:
        try:
            fees = agreement_fees(agreement)
        except NoFeeScheduleError:
            return None
        return {
            "schedule_id": fees.schedule.pk,
            "schedule_version": fees.schedule.version,
            "yearly_fee_ore": fees.yearly_fee_ore,
            "lines": fees.lines,
            "total_ore": fees.total_ore,
            "total": format_kronor(fees.total_ore),
            "allocation": fees.allocation,
        }

    @staticmethod
    def resolve_fee_problem(agreement: Agreement) -> str | None:
        try:
            agreement_fees(agreement)
        except NoFeeScheduleError as problem:
            return str(problem)
        return None

    @staticmethod
    def resolve_available_transitions(agreement: Agreement, context: dict[str, Any]) -> list[str]:
        return available_transition_names(agreement, context["request"].user)


class AgreementDocumentOut(Schema):
    id: int
    version: int
    sha256: str
    template_language: str
    template_version: int
    created_at: datetime
    fee_lines: list[dict[str, Any]]
    has_pdf: bool
    pdf_note: str

    @staticmethod
    def resolve_has_pdf(document: Any) -> bool:
        return bool(document.pdf)

    @staticmethod
    def resolve_template_language(document: Any) -> str:
        return document.template.language

    @staticmethod
    def resolve_template_version(document: Any) -> int:
        return document.template.version


class AgreementTemplateOut(Schema):
    id: int
    language: AgreementLanguage
    version: int
    sha256: str
    source: str
    created_at: datetime


class AgreementTemplateIn(StrictInput):
    language: AgreementLanguage
    file_name: str = Field(min_length=1, max_length=200, examples=["medlemsavtal-2027.docx"])
    content_base64: str = Field(
        min_length=1, max_length=1_000_000, description="the .docx file, base64-encoded"
    )


class InvoiceMarkIn(StrictInput):
    invoiced: bool | None = Field(None, description="true: invoiced now; false: undo")
    paid: bool | None = Field(None, description="true: paid now (after invoiced); false: undo")


class InvoiceMarkOut(Schema):
    year: int
    invoiced_at: datetime | None
    paid_at: datetime | None


class SeatHolderIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)


class SeatHolderOut(Schema):
    id: int
    name: str
    email: str
    since: date
    until: date | None
