"""Guards: the conditions of a transition, each with the words shown when it is not met.

A guard is a function of the object that returns a bool, decorated with ``@guard(message)``.
Inside ``guards_evaluated_once()`` each guard runs at most once per object, so a service that
first explains what is unmet and then runs the transition (whose library code checks the
conditions again) does not evaluate them twice.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

Condition = Callable[[Any], bool]
Message = str | Callable[[Any], str]

_results: ContextVar[dict[tuple[int, Callable], bool] | None] = ContextVar(
    "guard_results", default=None
)


class MissingFactError(LookupError):
    """A guard needs a fact that the object was loaded without (an annotation)."""


def guard(message: Message) -> Callable[[Condition], Condition]:
    """Make ``check`` a guard whose unmet condition reads ``message`` (a text or a function of
    the object, for words that name what is missing)."""

    def decorate(check: Condition) -> Condition:
        @wraps(check)
        def evaluate(obj: Any) -> bool:
            results = _results.get()
            if results is None:
                return bool(check(obj))
            key = (id(obj), evaluate)
            if key not in results:
                results[key] = bool(check(obj))
            return results[key]

        evaluate.unmet_message = message if callable(message) else lambda obj: str(message)
        return evaluate

    return decorate


@contextmanager
def guards_evaluated_once() -> Iterator[None]:
    """Within this block each guard runs at most once for each object."""
    token = _results.set({})
    try:
        yield
    finally:
        _results.reset(token)


def unmet_messages(obj: Any, conditions: list[Condition]) -> list[str]:
    """What stands in the way, one sentence per unmet condition, in the order of the list."""
    return [condition.unmet_message(obj) for condition in conditions if not condition(obj)]


def fact(obj: Any, name: str) -> Any:
    """A fact loaded with the object as an annotation; fails loudly when it was not loaded, so
    that a list never silently runs one query per row."""
    try:
        return getattr(obj, name)
    except AttributeError as error:
        raise MissingFactError(
            f"{type(obj).__name__} was loaded without the fact {name!r}: load it through the "
            f"selector that annotates the facts its guards read."
        ) from error
