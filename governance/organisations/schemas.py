"""API shapes for organisations, people, roles and tokens."""

from datetime import datetime

from django.db.models import Q
from ninja import Field, FilterSchema, ModelSchema, Schema

from governance.api_input import StrictInput
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import Organisation
from governance.organisations.services import ORGANISATION_EDITABLE_FIELDS


class TokenRequestIn(StrictInput):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    id: int
    token: str
    expires_at: datetime


class TokenInfoOut(Schema):
    id: int
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class OrganisationIn(ModelSchema, StrictInput):
    # Wider than the stored ten digits: NNNNNN-NNNN is accepted and normalised by the service.
    org_number: str = Field(description="NNNNNN-NNNN or ten digits", max_length=20)
    kind: OrganisationKind

    class Meta:
        model = Organisation
        fields = ORGANISATION_EDITABLE_FIELDS


class OrganisationPatchIn(ModelSchema, StrictInput):
    org_number: str | None = Field(None, description="NNNNNN-NNNN or ten digits", max_length=20)
    kind: OrganisationKind | None = None

    class Meta:
        model = Organisation
        fields = ORGANISATION_EDITABLE_FIELDS
        fields_optional = "__all__"


class OrganisationFilters(FilterSchema):
    search: str | None = Field(None, max_length=200, description="a part of name or number")
    kind: OrganisationKind | None = None

    def filter_search(self, value: str | None) -> Q:
        if not value:
            return Q()
        # name_lower is annotated by selectors.organisation_list: SQLite's LIKE folds only
        # ASCII, so both sides are lowered with a Unicode lower() (registered in apps.py).
        matches = Q(name_lower__contains=value.strip().lower())
        digits = value.replace("-", "").strip()
        if digits.isdigit():
            matches |= Q(org_number__contains=digits)
        return matches


class OrganisationOut(Schema):
    id: int
    name: str
    org_number: str
    org_number_display: str
    kind: OrganisationKind
    kind_display: str = Field(alias="get_kind_display")
    contact_name: str
    contact_email: str
    contact_phone: str
    address: str
    municipality: str
    created_at: datetime
    updated_at: datetime


class OrganisationRefOut(Schema):
    id: int
    name: str
    org_number_display: str


class RoleOut(Schema):
    role: str
    role_display: str
    hub_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    organisation: OrganisationRefOut | None
    is_national_coordinator: bool
    roles: list[RoleOut]
