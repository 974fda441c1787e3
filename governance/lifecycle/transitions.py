"""One decorator for a transition that is logged with who ran it and their comment."""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django_fsm import transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from governance.lifecycle.guards import Condition


def logged_transition(
    *,
    field: Any,
    source: str | Sequence[str],
    target: Any,
    label: Any,
    conditions: Sequence[Condition] = (),
    permission: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a django-fsm transition whose run is logged (django-fsm-log).

    ``label`` is what a button says; ``permission`` is a django-rules permission checked with
    the object; ``conditions`` are ``@guard`` functions. The decorated method only changes the
    object in memory and takes no arguments of its own: the service passes ``by`` and
    ``description``, which go to the log.
    """

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def change(instance: Any, *, by: Any = None, description: str = "") -> Any:
            return method(instance)

        declared = transition(
            field=field,
            source=list(source) if isinstance(source, list | tuple) else source,
            target=target,
            conditions=list(conditions),
            permission=permission,
            custom={"label": label},
        )(change)
        return fsm_log_by(fsm_log_description(declared))

    return decorate
