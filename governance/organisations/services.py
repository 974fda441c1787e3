"""Every write to organisations, people, roles and API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from governance.audit.services import audit_changes, audit_record
from governance.flowruns.models import FlowRun
from governance.organisations.models import ApiToken, Organisation
from governance.organisations.org_numbers import org_number_normalise
from governance.permissions import require_permission
from governance.workflows import dispatch
from governance.writes import model_create, model_update

ORGANISATION_EDITABLE_FIELDS = [
    "name",
    "org_number",
    "kind",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "municipality",
]


class InvalidCredentialsError(Exception):
    """Wrong username or password, or an inactive user."""


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with the organisation number as ten digits (either written form accepted)."""
    if not isinstance(fields.get("org_number"), str):
        return fields
    try:
        return {**fields, "org_number": org_number_normalise(fields["org_number"])}
    except ValidationError as error:
        raise ValidationError({"org_number": error.error_list}) from error


@transaction.atomic
def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    """Register an organisation; the organisation number is validated and stored as 10 digits."""
    require_permission(actor, "organisations.add_organisation")
    organisation, changes = model_create(
        Organisation, data=_normalised(fields), fields=ORGANISATION_EDITABLE_FIELDS
    )
    audit_changes(actor=actor, verb="created", target=organisation, changes=changes)
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation_id: int, **fields: Any) -> Organisation:
    """Change some fields of an organisation; nothing is saved unless all of them are valid."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    require_permission(actor, "organisations.change_organisation", organisation)
    changes = model_update(
        organisation, data=_normalised(fields), fields=ORGANISATION_EDITABLE_FIELDS
    )
    audit_changes(actor=actor, verb="updated", target=organisation, changes=changes)
    return organisation


def _hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def api_token_issue(*, request: HttpRequest, username: str, password: str) -> tuple[ApiToken, str]:
    """Check the credentials and return a new token row and the raw token (shown only once).

    The request is what django-axes counts failed attempts by (username and address); the
    count is written outside the token's transaction so that a failure is not rolled back with
    it. Beyond ``API_MAX_LIVE_TOKENS`` live tokens the user's oldest are revoked.
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise InvalidCredentialsError
    # A token is a sign-in: the signal clears the failed-attempt count and sets last_login.
    user_logged_in.send(sender=type(user), request=request, user=user)
    with transaction.atomic():
        return _token_create(user)


def _token_create(user: User) -> tuple[ApiToken, str]:
    raw_token = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(raw_token),
        prefix=raw_token[:8],
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    audit_record(
        actor=user,
        verb="token_issued",
        target=token,
        after={"prefix": token.prefix, "expires_at": token.expires_at},
    )
    _revoke_beyond_the_limit(user, now)
    return token, raw_token


def _revoke_beyond_the_limit(user: User, now: datetime) -> None:
    live = ApiToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now
    )
    for token in live.order_by("-created_at", "-pk")[settings.API_MAX_LIVE_TOKENS :]:
        _revoke(
            token,
            actor=user,
            details={"reason": "live_token_limit", "limit": settings.API_MAX_LIVE_TOKENS},
        )


def _revoke(token: ApiToken, *, actor: User, details: dict[str, Any] | None = None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb="token_revoked",
        target=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
        details=details,
    )


def api_token_authenticate(raw_token: str) -> ApiToken | None:
    """The usable token behind a raw bearer token, or None if unknown, expired or revoked."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash_token(raw_token)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    # Recording every use would write on every request; once a minute is enough to audit.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def api_token_revoke(*, token_id: int, actor: User) -> ApiToken:
    """Revoke a token: its owner or a superuser may; revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    # Someone else's token answers as missing: whether a token id exists is not revealed.
    if not actor.has_perm("organisations.revoke_apitoken", token):
        raise ApiToken.DoesNotExist
    if token.revoked_at is None:
        _revoke(token, actor=actor)
    return token


def organisation_revalidate_all(*, actor: User) -> FlowRun:
    """Start the flow that re-checks every stored organisation number."""
    require_permission(actor, "organisations.revalidate_org_numbers")
    return dispatch("revalidate_org_numbers", requested_by=actor)
