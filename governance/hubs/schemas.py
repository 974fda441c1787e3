"""API shapes for hubs, their checklists, readiness and the national overview.

Input schemas take their fields from the model (``HUB_EDITABLE_FIELDS`` in services.py is the one
list); output schemas shape the rows the selectors load (``hubs_with_facts``), reading the request's
user from the serialisation context where the answer depends on who asks.
"""

from datetime import date, timedelta
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, FilterSchema, ModelSchema, Schema

from governance.api_input import StrictInput
from governance.hubs.choices import (
    READINESS_ASPECT_HELP,
    County,
    ItemStatus,
    Phase,
    PremisesStatus,
    ReadinessAspect,
    TimeStatus,
)
from governance.hubs.models import READINESS_MAX_SCORE, Hub, HubChecklistItem, ReadinessScore
from governance.hubs.phase_time import time_status, time_status_filter
from governance.hubs.services import (
    CHECKLIST_ITEM_EDITABLE_FIELDS,
    HUB_EDITABLE_FIELDS,
    READINESS_EDITABLE_FIELDS,
)
from governance.lifecycle.selectors import available_transition_names
from governance.organisations.roles import role_enum
from governance.organisations.schemas import OrganisationRefOut

Role = role_enum()
READINESS_MAX = READINESS_MAX_SCORE * len(ReadinessAspect)


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


class HubIn(ModelSchema, StrictInput):
    county: County
    premises_status: PremisesStatus = PremisesStatus.NONE

    class Meta:
        model = Hub
        fields = HUB_EDITABLE_FIELDS


class HubPatchIn(ModelSchema, StrictInput):
    county: County | None = None
    premises_status: PremisesStatus | None = None

    class Meta:
        model = Hub
        fields = HUB_EDITABLE_FIELDS
        fields_optional = "__all__"


class HubFilters(FilterSchema):
    phase: Phase | None = None
    county: County | None = None
    time_status: TimeStatus | None = None

    def filter_time_status(self, value: TimeStatus | None) -> Any:
        return time_status_filter(value, timezone.localdate()) if value else None


class ChecklistProgressOut(Schema):
    required_done: int
    required_total: int
    done: int
    total: int


class ReadinessSummaryOut(Schema):
    scores: dict[str, int | None]
    total: int
    max: int


def _scores(hub: Hub) -> dict[str, Any]:
    return {row.aspect: row for row in hub.readiness_scores.all()}


class HubSummaryOut(ModelSchema):
    """One hub as the overview and the list show it."""

    county: County
    county_display: str
    phase: Phase
    phase_display: str
    days_in_phase: int
    time_status: TimeStatus | None
    principal: OrganisationRefOut | None
    premises_status: PremisesStatus
    checklist: ChecklistProgressOut
    readiness: ReadinessSummaryOut
    available_transitions: list[str]

    class Meta:
        model = Hub
        fields = ["id", "name", "municipality", "phase_entered_on"]

    # The enums' labels: get_FOO_display() rebuilds the choices on every call (a fifth of the
    # overview's time per hub, measured with bench/overview.py).
    @staticmethod
    def resolve_county_display(hub: Hub) -> str:
        return str(County(hub.county).label)

    @staticmethod
    def resolve_phase_display(hub: Hub) -> str:
        return str(Phase(hub.phase).label)

    @staticmethod
    def resolve_days_in_phase(hub: Hub) -> int:
        return (timezone.localdate() - hub.phase_entered_on).days

    @staticmethod
    def resolve_time_status(hub: Hub) -> TimeStatus | None:
        return time_status(hub.phase, hub.phase_entered_on, timezone.localdate())

    @staticmethod
    def resolve_checklist(hub: Hub) -> dict[str, int]:
        return {
            "required_done": hub.required_resolved,
            "required_total": hub.required_total,
            "done": hub.items_resolved,
            "total": hub.items_total,
        }

    @staticmethod
    def resolve_readiness(hub: Hub) -> dict[str, Any]:
        scores = _scores(hub)
        return {
            "scores": {
                aspect.value: scores[aspect].score if aspect in scores else None
                for aspect in ReadinessAspect
            },
            "total": sum(row.score for row in scores.values()),
            "max": READINESS_MAX,
        }

    @staticmethod
    def resolve_available_transitions(hub: Hub, context: dict[str, Any]) -> list[str]:
        return available_transition_names(hub, context["request"].user)


class PersonRefOut(Schema):
    assignment_id: int
    user_id: int
    username: str
    full_name: str
    role: Role

    @staticmethod
    def resolve_assignment_id(assignment: Any) -> int:
        return assignment.pk

    @staticmethod
    def resolve_username(assignment: Any) -> str:
        return assignment.user.get_username()

    @staticmethod
    def resolve_full_name(assignment: Any) -> str:
        return assignment.user.get_full_name()


class ReadinessScoreOut(Schema):
    aspect: ReadinessAspect
    aspect_display: str
    aspect_help: str = Field(description="What the playbook says the aspect is about.")
    score: int | None
    note: str


class HubOut(HubSummaryOut, ModelSchema):
    """Everything about one hub: the summary and the details below."""

    people: list[PersonRefOut] | None = Field(
        description="Who holds which role; null unless you are the national coordinator or "
        "hold a role in this hub."
    )
    filled_roles: list[Role] = Field(description="The roles someone holds in this hub.")
    readiness_detail: list[ReadinessScoreOut]

    class Meta:
        model = Hub
        fields = [
            "premises_address",
            "preparation_planned_on",
            "startup_planned_on",
            "operations_planned_on",
            "preparation_started_on",
            "startup_started_on",
            "operations_started_on",
            "paused_from",
            "closed_on",
            "notes",
        ]

    @staticmethod
    def resolve_people(hub: Hub, context: dict[str, Any]) -> list[Any] | None:
        if not context["request"].user.has_perm("hubs.view_hub_people", hub):
            return None
        return hub.people

    @staticmethod
    def resolve_filled_roles(hub: Hub) -> list[str]:
        return sorted({assignment.role for assignment in hub.people})

    @staticmethod
    def resolve_readiness_detail(hub: Hub) -> list[dict[str, Any]]:
        scores = _scores(hub)
        return [
            {
                "aspect": aspect.value,
                "aspect_display": str(aspect.label),
                "aspect_help": str(READINESS_ASPECT_HELP[aspect]),
                "score": scores[aspect].score if aspect in scores else None,
                "note": scores[aspect].note if aspect in scores else "",
            }
            for aspect in ReadinessAspect
        ]


class OverviewOut(Schema):
    today: date
    counts_by_phase: dict[str, int]
    hubs: list[HubSummaryOut]


class ChecklistItemOut(ModelSchema):
    """One checklist item in the reader's language, with its target date."""

    phase: Phase
    title: str
    description: str
    responsible_role: Role
    target_date: date | None
    status: ItemStatus
    changed_by: str | None = Field(
        description="Who changed it last; null if nobody has, or if you may not see the hub's "
        "people."
    )
    version: str

    class Meta:
        model = HubChecklistItem
        fields = [
            "key",
            "position",
            "title_sv",
            "title_en",
            "required",
            "target_week",
            "playbook_ref",
            "not_applicable_reason",
            "note",
            "evidence_url",
            "changed_at",
        ]

    @staticmethod
    def resolve_title(item: HubChecklistItem) -> str:
        return item.title_en if _english() else item.title_sv

    @staticmethod
    def resolve_description(item: HubChecklistItem) -> str:
        return item.description_en if _english() else item.description_sv

    @staticmethod
    def resolve_target_date(item: HubChecklistItem) -> date | None:
        started_on = getattr(item.hub, f"{item.phase}_started_on", None)
        if started_on is None or item.target_week is None:
            return None
        return started_on + timedelta(weeks=item.target_week)

    @staticmethod
    def resolve_changed_by(item: HubChecklistItem, context: dict[str, Any]) -> str | None:
        if item.changed_by is None:
            return None
        if not context["request"].user.has_perm("hubs.view_hub_people", item.hub):
            return None
        return item.changed_by.get_username()

    @staticmethod
    def resolve_version(item: HubChecklistItem) -> str:
        return item.version.sha256[:12]


class ChecklistOut(Schema):
    hub_id: int
    phase: str | None
    progress: ChecklistProgressOut
    items: list[ChecklistItemOut]


class ChecklistItemPatchIn(ModelSchema, StrictInput):
    status: ItemStatus | None = None

    class Meta:
        model = HubChecklistItem
        fields = CHECKLIST_ITEM_EDITABLE_FIELDS
        fields_optional = "__all__"


class ChecklistPullIn(StrictInput):
    phase: Literal["preparation", "startup", "operations"]


class ChecklistPullOut(Schema):
    added: list[str]


class ReadinessEntryIn(ModelSchema, StrictInput):
    aspect: ReadinessAspect

    class Meta:
        model = ReadinessScore
        fields = READINESS_EDITABLE_FIELDS


class ReadinessIn(StrictInput):
    scores: list[ReadinessEntryIn] = Field(min_length=1, max_length=4)


class HubRoleIn(StrictInput):
    user_id: int
    role: Role
