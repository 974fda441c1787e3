"""API shapes of the audit trail."""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema, Schema


class AuditFilters(FilterSchema):
    object_type: str | None = Field(
        None, max_length=100, description="app_label.model, e.g. hubs.hub", pattern=r"^\w+\.\w+$"
    )
    object_id: str | None = Field(None, max_length=64)
    actor: Annotated[str | None, FilterLookup("actor_username")] = Field(
        None, max_length=150, description="username"
    )
    verb: str | None = Field(None, max_length=64)
    since: Annotated[datetime | None, FilterLookup("occurred_at__gte")] = None
    until: Annotated[datetime | None, FilterLookup("occurred_at__lt")] = None

    def filter_object_type(self, value: str | None) -> Q:
        if not value:
            return Q()
        app_label, model = value.lower().split(".")
        return Q(content_type__app_label=app_label, content_type__model=model)


class AuditEntryOut(Schema):
    id: int
    occurred_at: datetime
    actor: str | None = Field(None, alias="actor_username")
    flow_run_id: int | None
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    details: dict[str, Any]
