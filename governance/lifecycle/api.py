"""The two endpoints every state machine has, added to an app's router in one call."""

from collections.abc import Callable
from functools import partial

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from governance.lifecycle.schemas import TransitionIn, TransitionsOut
from governance.lifecycle.selectors import transitions_view
from governance.lifecycle.services import transition_run
from governance.permissions import require_permission


def add_transition_routes(
    router: Router,
    queryset: Callable[[], QuerySet],
    *,
    view_permission: str,
    actors_permission: str | None = None,
    run: Callable[..., Model] | None = None,
) -> None:
    """Add ``GET /{id}/transitions`` and ``POST /{id}/transitions/{name}`` to ``router``.

    ``queryset`` returns the rows with the facts their guards read; ``run`` is the app's
    transition service, called as ``run(actor=…, <model>_id=…, name=…, comment=…)`` — by default
    the toolkit's ``transition_run``. Who may read is ``view_permission``; who may see who ran
    each transition in the history is ``actors_permission`` (by default every reader); who may
    run a transition is the transition's own permission.
    """
    model = queryset().model
    label = model._meta.model_name
    run = run or partial(_run_generic, queryset)

    def view(obj: Model, request: HttpRequest) -> dict:
        reveal = actors_permission is None or request.user.has_perm(actors_permission, obj)
        return transitions_view(obj, request.user, reveal_actors=reveal)

    def readable(request: HttpRequest, object_id: int) -> Model:
        obj = get_object_or_404(queryset(), pk=object_id)
        require_permission(request.user, view_permission, obj)
        return obj

    @router.get(
        "/{int:object_id}/transitions",
        response=TransitionsOut,
        operation_id=f"{label}_transitions",
        summary=f"What may happen to the {label} next",
    )
    def get_transitions(request: HttpRequest, object_id: int) -> dict:
        """The state, what you may do now, what is blocked and why, and the history."""
        return view(readable(request, object_id), request)

    @router.post(
        "/{int:object_id}/transitions/{name}",
        response=TransitionsOut,
        operation_id=f"{label}_run_transition",
        summary=f"Run a transition of the {label}",
    )
    def run_transition(
        request: HttpRequest, object_id: int, name: str, payload: TransitionIn | None = None
    ) -> dict:
        """Run one transition; 409 ``transition_not_allowed`` names the state, what is allowed
        and each unmet condition."""
        comment = payload.comment if payload else ""
        run(actor=request.user, **{f"{label}_id": object_id}, name=name, comment=comment)
        return view(queryset().get(pk=object_id), request)


def _run_generic(queryset: Callable[[], QuerySet], **arguments: object) -> Model:
    rows = queryset()
    return transition_run(rows, pk=arguments.pop(f"{rows.model._meta.model_name}_id"), **arguments)
