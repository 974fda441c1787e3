"""Which flow run is writing, so that audit entries made inside a flow name it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current_flow_run_id: ContextVar[int | None] = ContextVar("current_flow_run_id", default=None)


@contextmanager
def acting_for_flow_run(run_id: int) -> Iterator[None]:
    """Every audit entry written inside this block records the flow run ``run_id``."""
    token = _current_flow_run_id.set(run_id)
    try:
        yield
    finally:
        _current_flow_run_id.reset(token)


def current_flow_run_id() -> int | None:
    """The flow run writing now, or None outside a flow."""
    return _current_flow_run_id.get()
