"""API shapes for organisations, people, roles and tokens."""

from datetime import datetime

from ninja import Field, Schema

from governance.organisations.choices import OrganisationKind


class TokenRequestIn(Schema):
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


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    org_number: str = Field(description="NNNNNN-NNNN or ten digits")
    kind: OrganisationKind
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    address: str = Field("", max_length=300)
    municipality: str = Field("", max_length=100)


class OrganisationPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    org_number: str | None = None
    kind: OrganisationKind | None = None
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)
    municipality: str | None = Field(None, max_length=100)


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
