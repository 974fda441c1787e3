"""API shapes for hubs, their checklists, readiness and the national overview."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from governance.hubs.choices import (
    County,
    ItemStatus,
    Phase,
    PremisesStatus,
    ReadinessAspect,
    TimeStatus,
)
from governance.organisations.roles import role_enum
from governance.organisations.schemas import OrganisationRefOut

Role = role_enum()


class HubIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    municipality: str = Field(min_length=1, max_length=100)
    county: County
    principal_id: int | None = None
    premises_address: str = Field("", max_length=300)
    premises_status: PremisesStatus = PremisesStatus.NONE
    preparation_planned_on: date | None = None
    startup_planned_on: date | None = None
    operations_planned_on: date | None = None
    notes: str = ""


class HubPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    municipality: str | None = Field(None, min_length=1, max_length=100)
    county: County | None = None
    principal_id: int | None = None
    premises_address: str | None = Field(None, max_length=300)
    premises_status: PremisesStatus | None = None
    preparation_planned_on: date | None = None
    startup_planned_on: date | None = None
    operations_planned_on: date | None = None
    notes: str | None = None


class ChecklistProgressOut(Schema):
    required_done: int
    required_total: int
    done: int
    total: int


class ReadinessSummaryOut(Schema):
    scores: dict[str, int | None]
    total: int
    max: int


class HubSummaryOut(Schema):
    id: int
    name: str
    municipality: str
    county: County
    county_display: str
    phase: Phase
    phase_display: str
    phase_entered_on: date
    days_in_phase: int
    time_status: TimeStatus | None
    principal: OrganisationRefOut | None
    premises_status: PremisesStatus
    checklist: ChecklistProgressOut
    readiness: ReadinessSummaryOut
    available_transitions: list[str]


class HubPageOut(Schema):
    count: int
    items: list[HubSummaryOut]


class PersonRefOut(Schema):
    assignment_id: int
    user_id: int
    username: str
    full_name: str
    role: Role


class ReadinessScoreOut(Schema):
    aspect: ReadinessAspect
    aspect_display: str
    score: int | None
    note: str


class HubOut(HubSummaryOut):
    premises_address: str
    preparation_planned_on: date | None
    startup_planned_on: date | None
    operations_planned_on: date | None
    preparation_started_on: date | None
    startup_started_on: date | None
    operations_started_on: date | None
    paused_from: str
    closed_on: date | None
    notes: str
    people: list[PersonRefOut]
    readiness_detail: list[ReadinessScoreOut]


class OverviewOut(Schema):
    today: date
    counts_by_phase: dict[str, int]
    hubs: list[HubSummaryOut]


class TransitionOut(Schema):
    name: str
    label: str
    target: str


class BlockedTransitionOut(TransitionOut):
    unmet: list[str]


class StateLogOut(Schema):
    transition: str
    source_state: str
    state: str
    by: str | None
    timestamp: datetime
    comment: str


class TransitionsOut(Schema):
    state: Phase
    state_display: str
    available: list[TransitionOut]
    blocked: list[BlockedTransitionOut]
    history: list[StateLogOut]


class TransitionIn(Schema):
    comment: str = Field("", max_length=2000)


class ChecklistItemOut(Schema):
    key: str
    phase: Phase
    position: int
    title: str
    description: str
    title_sv: str
    title_en: str
    responsible_role: Role
    required: bool
    target_week: int | None
    target_date: date | None
    playbook_ref: str
    status: ItemStatus
    not_applicable_reason: str
    note: str
    evidence_url: str
    changed_by: str | None
    changed_at: datetime | None
    version: str


class ChecklistOut(Schema):
    hub_id: int
    phase: str | None
    progress: ChecklistProgressOut
    items: list[ChecklistItemOut]


class ChecklistItemPatchIn(Schema):
    status: ItemStatus | None = None
    not_applicable_reason: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=5000)
    evidence_url: str | None = Field(None, max_length=500)


class ChecklistPullIn(Schema):
    phase: Literal["preparation", "startup", "operations"]


class ChecklistPullOut(Schema):
    added: list[str]


class ReadinessEntryIn(Schema):
    aspect: ReadinessAspect
    score: int = Field(ge=0, le=3)
    note: str = Field("", max_length=2000)


class ReadinessIn(Schema):
    scores: list[ReadinessEntryIn] = Field(min_length=1, max_length=4)


class HubRoleIn(Schema):
    user_id: int
    role: Role
