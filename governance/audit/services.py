"""Writing the audit trail: called by every service, inside its transaction."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Model

from governance.audit.context import current_flow_run_id
from governance.audit.models import AuditEntry


@dataclass(frozen=True)
class Changes:
    """The changed fields' values before and after a write (before is None for a create)."""

    before: dict[str, Any] | None = None
    after: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.after)


class AuditOutsideTransactionError(RuntimeError):
    """An audit entry must share the transaction of the write it records."""


def audit_snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` as JSON (relations by their id), for before/after."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = getattr(instance, field.attname)
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    verb: str,
    target: Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that ``actor`` (or the current flow run) did ``verb`` to ``target``."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransactionError(
            f"audit_record({verb!r}) must run inside the writing service's transaction."
        )
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,
        actor_username=user.get_username() if user else "",
        flow_run_id=current_flow_run_id(),
        verb=verb,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        before=_plain(before),
        after=_plain(after),
        details=_plain(details) or {},
    )


def audit_changes(
    *, actor: User | AnonymousUser | None, verb: str, target: Model, changes: Changes
) -> AuditEntry | None:
    """Record a write's ``changes`` (from governance/writes.py); a write that changed nothing
    leaves no entry."""
    if not changes:
        return None
    return audit_record(
        actor=actor, verb=verb, target=target, before=changes.before, after=changes.after
    )


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))
