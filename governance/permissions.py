"""Enforce a django-rules permission in a service or handler."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied


def require_permission(user: User | AnonymousUser, permission: str, obj: object = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``permission`` (on ``obj``)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(permission)
