"""API shapes for individual members."""

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from ninja import Field, FilterSchema, Schema

from governance.api_input import StrictInput
from governance.members.choices import MemberState, OnboardingStep
from governance.organisations.schemas import OrganisationRefOut
from governance.text_limits import NOTE_MAX_LENGTH


class MemberIn(StrictInput):
    """An application the CM registers on someone's behalf."""

    hub_id: int
    org_number: str = Field(
        min_length=1, max_length=20, description="the employer's, NNNNNN-NNNN or ten digits"
    )
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    goals: str = Field(
        "",
        max_length=NOTE_MAX_LENGTH,
        description="Vad siktar du och din organisation på att få ut av ett medlemskap?",
    )
    contribution: str = Field(
        "", max_length=NOTE_MAX_LENGTH, description="Vad hoppas du/ni kunna bidra med?"
    )


class MemberFilters(FilterSchema):
    hub: int | None = Field(None, description="a hub's id")
    state: MemberState | None = None

    def filter_hub(self, value: int | None) -> Any:
        return Q(hub=value) if value is not None else Q()


class HubRefOut(Schema):
    id: int
    name: str


class AgreementRefOut(Schema):
    id: int
    number: str
    model: str


class OnboardingItemOut(Schema):
    step: OnboardingStep
    label: str = Field(alias="get_step_display")
    done: bool
    changed_by: str | None
    changed_at: datetime | None

    @staticmethod
    def resolve_changed_by(item: Any) -> str | None:
        return item.changed_by.get_username() if item.changed_by_id else None


class OnboardingItemIn(StrictInput):
    done: bool


class MemberOut(Schema):
    id: int
    hub: HubRefOut
    organisation: OrganisationRefOut
    agreement: AgreementRefOut | None
    seat_holder_id: int | None
    name: str
    email: str
    goals: str
    contribution: str
    state: MemberState
    state_display: str = Field(alias="get_state_display")
    email_confirmed_at: datetime | None
    decided_on: date | None
    decline_reason: str
    onboarded_on: date | None
    left_on: date | None
    anonymised_at: datetime | None
    created_at: datetime
    onboarding: list[OnboardingItemOut]

    @staticmethod
    def resolve_onboarding(member: Any) -> list:
        return list(member.onboarding.all())
