"""Running a transition: lock, check who and what, change, log, audit — in one transaction."""

from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from governance.audit.context import current_flow_run_id
from governance.audit.services import audit_record
from governance.errors import ConflictError
from governance.lifecycle.guards import guards_evaluated_once, unmet_messages
from governance.lifecycle.machine import (
    any_declaration,
    state_display,
    state_field,
    transition_from_here,
    transition_label,
    transition_methods,
)
from governance.lifecycle.selectors import available_transition_names

M = TypeVar("M", bound=Model)


class UnknownTransitionError(ObjectDoesNotExist):
    """The machine has no transition of this name (answered as 404)."""


@transaction.atomic
def transition_run(
    queryset: QuerySet[M], *, pk: int, name: str, actor: User | None, comment: str = ""
) -> M:
    """Run transition ``name`` on the row ``pk`` of ``queryset`` for ``actor``.

    The row is locked first, so two people pressing the same button move it once. Refused with
    PermissionDenied when the actor's role may not run it, and with ConflictError
    ``transition_not_allowed`` (naming the state, what is allowed and every unmet condition)
    when the state or the guards do not allow it; the guards are evaluated once.
    ``actor=None`` is the platform itself (a scheduled flow): allowed only inside a flow run,
    to which the audit entry points; the guards still decide.
    """
    if name not in transition_methods(queryset.model):
        raise UnknownTransitionError(f"No transition {name!r}")
    # Only the object's own row: a queryset that joins a nullable relation (a national budget
    # has no hub) cannot lock the outer join's side on PostgreSQL, and need not.
    obj = queryset.select_for_update(of=("self",)).get(pk=pk)
    declaration = transition_from_here(obj, name) or any_declaration(obj, name)
    if actor is None:
        if current_flow_run_id() is None:
            raise PermissionDenied("Only a flow run acts without a person.")
    elif not declaration.has_perm(obj, actor):
        raise PermissionDenied(declaration.permission or name)
    field = state_field(obj)
    source = field.get_state(obj)
    with guards_evaluated_once():
        here = transition_from_here(obj, name)
        unmet = unmet_messages(obj, here.conditions) if here else []
        if here is None or unmet:
            raise _not_allowed(obj, actor, name, unmet)
        getattr(obj, name)(by=actor, description=comment)
    obj.save()
    audit_record(
        actor=actor,
        verb="transition",
        target=obj,
        before={field.name: source},
        after={field.name: field.get_state(obj)},
        details={"transition": name, "comment": comment},
    )
    return obj


def _not_allowed(obj: Model, actor: User | None, name: str, unmet: list[str]) -> ConflictError:
    words = {"label": transition_label(obj, name), "state": state_display(obj)}
    if unmet:
        message = _("”%(label)s” kan inte göras än: villkoren nedan är inte uppfyllda.") % words
    else:
        message = _("”%(label)s” går inte från läget ”%(state)s”.") % words
    return ConflictError(
        "transition_not_allowed",
        message,
        state=state_field(obj).get_state(obj),
        allowed=available_transition_names(obj, actor) if actor else [],
        unmet=unmet,
    )
