"""The roles the installed apps declare, and which of them a user holds.

Each app declares its roles on its AppConfig: ``national_roles`` (held for the whole country,
without a hub) and ``hub_roles`` (held in one hub), each a TextChoices class. Which roles a
user holds is loaded once per request and shared by every permission check.

Some hub roles are not stored but derived: an app declares ``derived_roles = "module:function"``
on its AppConfig, ``function(user)`` giving ``(role, hub id)`` pairs (the boards app derives the
owner-group and creative-board representatives from current seat holdings: one source of
truth). Those roles may not be stored as RoleAssignment (``derived_role_values``).
"""

from functools import cache

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from governance.core.registry import declarations, merge_named
from governance.organisations.choices import NationalRole

_CACHE_ATTRIBUTE = "_governance_roles"


@cache
def _labels() -> dict[str, str | Promise]:
    return merge_named(
        "role",
        [
            (app_label, enum.choices)
            for attribute in ("national_roles", "hub_roles")
            for app_label, enum in declarations(attribute)
        ],
    )


def registered_roles() -> list[tuple[str, str | Promise]]:
    """(value, label) of every declared role: national roles first, each in INSTALLED_APPS order."""
    return list(_labels().items())


@cache
def national_role_values() -> frozenset[str]:
    """The roles held without a hub."""
    return frozenset(
        value for _app_label, enum in declarations("national_roles") for value in enum.values
    )


def role_label(value: str) -> str:
    """The role's label in the active language; the value itself for a role no app declares."""
    return str(_labels().get(value, value))


@cache
def role_enum() -> type[models.TextChoices]:
    """Every declared role as one TextChoices ``Role``, for API schemas and checklist files."""
    return models.TextChoices(
        "Role", [(value.upper(), (value, label)) for value, label in registered_roles()]
    )


@cache
def _derivers() -> tuple:
    return tuple(
        import_string(path.replace(":", ".")) for _app_label, path in declarations("derived_roles")
    )


@cache
def derived_role_values() -> frozenset[str]:
    """The hub roles an app derives (``derived_roles``) and no one may store: the boards app's
    seats decide who is an owner-group or creative-board representative."""
    return frozenset(
        value for _app_label, values in declarations("derived_role_values") for value in values
    )


def user_roles(user: User | AnonymousUser) -> frozenset[tuple[str, int | None]]:
    """(role, hub id or None) for every role the user holds, stored or derived; cached on the
    user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        stored = set(user.role_assignments.values_list("role", "hub_id"))
        for derive in _derivers():
            stored.update(derive(user))
        cached = frozenset(stored)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_user_roles(user: User) -> None:
    """Drop the cache after the user's roles change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_national_coordinator(user: User | AnonymousUser) -> bool:
    """Whether the user is the national coordinator."""
    return any(role == NationalRole.NATIONAL_COORDINATOR for role, _ in user_roles(user))


def hub_roles(user: User | AnonymousUser, hub_id: int) -> set[str]:
    """The roles the user holds in one hub."""
    return {role for role, role_hub_id in user_roles(user) if role_hub_id == hub_id}


def holds_role_anywhere(user: User | AnonymousUser, *roles: str) -> bool:
    """Whether the user holds one of ``roles``, in any hub or nationally."""
    return any(role in roles for role, _ in user_roles(user))
