"""Signing in by username and password, without Django's permission rows.

Who may do what is decided by django-rules alone (each app's ``rules.py``); a permission row
granted to a user or a group in the admin (``auth_permission``) must open nothing, so this
backend answers every permission question with "no".

Django's ``User.has_perm`` answers True for an active superuser before asking any backend: a
superuser passes every check, rules or not. That is deliberate, the operators' escape hatch;
give it to nobody else.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet


class PasswordOnlyBackend(ModelBackend):
    """ModelBackend's sign-in (password, ``is_active``) and no permission of any kind."""

    def get_user_permissions(self, user_obj: User | AnonymousUser, obj: object = None) -> set:
        """No permission from the user's permission rows."""
        return set()

    async def aget_user_permissions(
        self, user_obj: User | AnonymousUser, obj: object = None
    ) -> set:
        """No permission from the user's permission rows."""
        return set()

    def get_group_permissions(self, user_obj: User | AnonymousUser, obj: object = None) -> set:
        """No permission from the user's groups."""
        return set()

    async def aget_group_permissions(
        self, user_obj: User | AnonymousUser, obj: object = None
    ) -> set:
        """No permission from the user's groups."""
        return set()

    def get_all_permissions(self, user_obj: User | AnonymousUser, obj: object = None) -> set:
        """No permission at all."""
        return set()

    async def aget_all_permissions(self, user_obj: User | AnonymousUser, obj: object = None) -> set:
        """No permission at all."""
        return set()

    def has_perm(self, user_obj: User | AnonymousUser, perm: str, obj: object = None) -> bool:
        """Never: rules.ObjectPermissionBackend decides."""
        return False

    async def ahas_perm(
        self, user_obj: User | AnonymousUser, perm: str, obj: object = None
    ) -> bool:
        """Never: rules.ObjectPermissionBackend decides."""
        return False

    def has_module_perms(self, user_obj: User | AnonymousUser, app_label: str) -> bool:
        """Never: rules.ObjectPermissionBackend decides."""
        return False

    async def ahas_module_perms(self, user_obj: User | AnonymousUser, app_label: str) -> bool:
        """Never: rules.ObjectPermissionBackend decides."""
        return False

    def with_perm(
        self,
        perm: object,
        is_active: bool = True,
        include_superusers: bool = True,
        obj: object = None,
    ) -> QuerySet[User]:
        """The superusers (they pass every check); nobody through a permission row."""
        if not include_superusers:
            return User._default_manager.none()
        users = User._default_manager.filter(is_superuser=True)
        return users if is_active is None else users.filter(is_active=is_active)
