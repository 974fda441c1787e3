"""What a user may do with an object now, what is blocked and why, and what happened before."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model
from django_fsm import Transition
from django_fsm_log.models import StateLog

from governance.lifecycle.guards import guards_evaluated_once, unmet_messages
from governance.lifecycle.machine import (
    state_display,
    state_field,
    transition_from_here,
    transition_methods,
)


def _permitted_from_here(obj: Model, user: User | AnonymousUser) -> list[Transition]:
    """Transitions that run from the current state and that the user's role may run."""
    permitted = []
    for name in transition_methods(obj):
        declared = transition_from_here(obj, name)
        if declared is not None and declared.has_perm(obj, user):
            permitted.append(declared)
    return permitted


def available_transition_names(obj: Model, user: User | AnonymousUser) -> list[str]:
    """The transitions the user may run on the object now: state, role and guards allow them.

    Only the guards' answers are needed here, not their words (which may need a query).
    """
    with guards_evaluated_once():
        return [
            declared.name
            for declared in _permitted_from_here(obj, user)
            if all(condition(obj) for condition in declared.conditions)
        ]


def transition_options(
    obj: Model, user: User | AnonymousUser
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The transitions available to the user, and those blocked with the unmet conditions in
    words: ``transitions_view`` without the history, for lists."""
    available, blocked = [], []
    with guards_evaluated_once():
        for declared in _permitted_from_here(obj, user):
            unmet = unmet_messages(obj, declared.conditions)
            described = _describe(declared)
            if unmet:
                blocked.append({**described, "unmet": unmet})
            else:
                available.append(described)
    return available, blocked


def transitions_view(
    obj: Model, user: User | AnonymousUser, *, reveal_actors: bool = True
) -> dict[str, Any]:
    """The state, the transitions available to the user, those blocked with the unmet
    conditions in words, and the logged history (who — unless ``reveal_actors`` is false —
    when, comment)."""
    available, blocked = transition_options(obj, user)
    history = StateLog.objects.for_(obj).select_related("by").order_by("timestamp", "pk")
    return {
        "state": state_field(obj).get_state(obj),
        "state_display": state_display(obj),
        "available": available,
        "blocked": blocked,
        "history": [
            {
                "transition": log.transition,
                "source_state": log.source_state,
                "state": log.state,
                "by": log.by.get_username() if log.by and reveal_actors else None,
                "timestamp": log.timestamp,
                "comment": log.description or "",
            }
            for log in history
        ],
    }


def _describe(declared: Transition) -> dict[str, str]:
    target = declared.target
    return {
        "name": declared.name,
        "label": str(declared.custom.get("label", declared.name)),
        "target": target if isinstance(target, str) else "",
    }
