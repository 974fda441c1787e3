"""Endpoints for tokens, the signed-in user, and organisations."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from governance.flowruns.schemas import FlowRunOut
from governance.organisations import selectors, services
from governance.organisations.models import ApiToken, Organisation
from governance.organisations.schemas import (
    MeOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatchIn,
    TokenInfoOut,
    TokenOut,
    TokenRequestIn,
)
from governance.permissions import require_permission

auth_router = Router(tags=["auth"])
me_router = Router(tags=["auth"])
router = Router(tags=["organisations"])


@auth_router.post("/token", response={200: TokenOut}, auth=None)
def issue_token(request: HttpRequest, response: HttpResponse, payload: TokenRequestIn) -> dict:
    """Exchange username and password for a bearer token. After too many failed attempts for
    a username or from an address: 429 ``too_many_attempts`` with ``Retry-After``."""
    response["Cache-Control"] = "no-store"
    try:
        token, raw = services.api_token_issue(
            request=request, username=payload.username, password=payload.password
        )
    except services.InvalidCredentialsError as error:
        raise AuthenticationError from error
    return {"id": token.id, "token": raw, "expires_at": token.expires_at}


@auth_router.get("/tokens", response=list[TokenInfoOut])
@paginate
def list_my_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """My tokens (never their secret)."""
    return selectors.api_tokens_of(request.user)


@auth_router.delete("/tokens/{int:token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    """Revoke one of my tokens; it stops working at once."""
    services.api_token_revoke(token_id=token_id, actor=request.user)
    return Status(204, None)


@me_router.get("", response=MeOut)
def me(request: HttpRequest) -> dict:
    """Who I am, where I work, and my roles."""
    return selectors.person_profile(request.user)


@router.get("", response=list[OrganisationOut])
@paginate
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """All organisations, by name; filter by kind or a part of the name or number."""
    require_permission(request.user, "organisations.view_organisation")
    return filters.filter(selectors.organisation_list())


@router.post("", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status:
    """Register an organisation."""
    fields = payload.dict(exclude_unset=True)
    return Status(201, services.organisation_create(actor=request.user, **fields))


@router.get("/{int:organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """One organisation."""
    organisation = selectors.organisation_get(organisation_id)
    require_permission(request.user, "organisations.view_organisation", organisation)
    return organisation


@router.patch("/{int:organisation_id}", response=OrganisationOut)
def update_organisation(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatchIn
) -> Organisation:
    """Change some fields of an organisation."""
    return services.organisation_update(
        actor=request.user, organisation_id=organisation_id, **payload.dict(exclude_unset=True)
    )


@router.post("/revalidate", response={202: FlowRunOut})
def revalidate_org_numbers(request: HttpRequest) -> Status:
    """Start the flow that re-checks every organisation number; poll the returned run."""
    return Status(202, services.organisation_revalidate_all(actor=request.user))
