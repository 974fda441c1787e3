"""Which roles a user holds, loaded once per request and shared by every permission check."""

from django.contrib.auth.models import AnonymousUser, User

from governance.organisations.models import Role, RoleAssignment

_CACHE_ATTRIBUTE = "_governance_roles"


def user_roles(user: User | AnonymousUser) -> frozenset[tuple[str, int | None]]:
    """(role, hub id or None) for every role the user holds; cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(RoleAssignment.objects.filter(user=user).values_list("role", "hub_id"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_user_roles(user: User) -> None:
    """Drop the cache after the user's roles change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_national_coordinator(user: User | AnonymousUser) -> bool:
    return any(role == Role.NATIONAL_COORDINATOR for role, _ in user_roles(user))


def hub_roles(user: User | AnonymousUser, hub_id: int) -> set[str]:
    """The roles the user holds in one hub."""
    return {role for role, role_hub_id in user_roles(user) if role_hub_id == hub_id}


def holds_role_anywhere(user: User | AnonymousUser, *roles: str) -> bool:
    return any(role in roles for role, _ in user_roles(user))
