"""Endpoints for individual members; handlers only translate HTTP."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from governance.lifecycle.api import add_transition_routes
from governance.members import selectors, services
from governance.members.choices import OnboardingStep
from governance.members.models import Member
from governance.members.schemas import (
    MemberFilters,
    MemberIn,
    MemberOut,
    OnboardingItemIn,
    OnboardingItemOut,
)
from governance.permissions import require_permission

member_router = Router(tags=["members"])


def _readable(request: HttpRequest, member_id: int) -> Member:
    """A member whose address is confirmed (an unconfirmed application is no one's yet)."""
    member = get_object_or_404(
        selectors.members_with_facts()
        .filter(email_confirmed_at__isnull=False)
        .prefetch_related("onboarding__changed_by"),
        pk=member_id,
    )
    require_permission(request.user, "members.view_member", member)
    return member


@member_router.get("", response=list[MemberOut])
@paginate
def list_members(request: HttpRequest, filters: Query[MemberFilters]) -> QuerySet[Member]:
    """The members you may read: a hub's (``?hub=``), in a state (``?state=``)."""
    require_permission(request.user, "members.list_members")
    return filters.filter(
        selectors.members_visible_to(request.user).prefetch_related("onboarding__changed_by")
    )


@member_router.post("", response={201: MemberOut})
def create_member(request: HttpRequest, payload: MemberIn) -> Status:
    """The CM registers an application on someone's behalf (the address counts as confirmed);
    422 on ``org_number`` without an active agreement covering the hub, 409
    ``seat_limit_reached`` when the seat-model agreement is full."""
    fields = payload.dict()
    member = services.member_register(
        actor=request.user,
        hub_id=fields.pop("hub_id"),
        org_number=fields.pop("org_number"),
        **fields,
    )
    return Status(201, _readable(request, member.pk))


@member_router.get("/{int:member_id}", response=MemberOut)
def get_member(request: HttpRequest, member_id: int) -> Member:
    return _readable(request, member_id)


@member_router.get("/{int:member_id}/onboarding", response=list[OnboardingItemOut])
def list_onboarding(request: HttpRequest, member_id: int) -> list:
    """The four onboarding steps, each done or not, by whom and when."""
    return list(_readable(request, member_id).onboarding.all())


@member_router.patch("/{int:member_id}/onboarding/{step}", response=OnboardingItemOut)
def update_onboarding(
    request: HttpRequest, member_id: int, step: OnboardingStep, payload: OnboardingItemIn
) -> object:
    """Tick a step done or open it again (409 ``onboarding_closed`` unless approved)."""
    _readable(request, member_id)
    return services.onboarding_item_set(
        actor=request.user, member_id=member_id, step=step, done=payload.done
    )


@member_router.get("/{int:member_id}/personal-data")
def personal_data(request: HttpRequest, member_id: int) -> dict:
    """Everything stored about the member, as JSON: for the member or the CM on their behalf."""
    _readable(request, member_id)
    return services.personal_data_export(actor=request.user, member_id=member_id)


add_transition_routes(
    member_router,
    selectors.members_with_facts,
    view_permission="members.view_member",
    run=services.member_transition,
)
