"""Reads of flow-run records."""

from governance.flowruns.models import FlowRun


def flowrun_get(run_id: int) -> FlowRun:
    """One flow-run record."""
    return FlowRun.objects.get(pk=run_id)
