"""Asking for a flow run is a write like any other: it leaves an audit entry."""

import pytest

from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.workflows import dispatch

pytestmark = pytest.mark.django_db


def test_dispatch_records_who_asked_for_which_flow(coordinator, monkeypatch):
    monkeypatch.setattr("governance.workflows._start_inline", lambda run_id: None)
    run = dispatch("revalidate_org_numbers", requested_by=coordinator)
    entry = AuditEntry.objects.get(verb="flow_requested")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        coordinator,
        "flowruns.flowrun",
        str(run.pk),
    )
    assert entry.after == {"flow_name": "revalidate_org_numbers", "parameters": {}}
    assert FlowRun.objects.get(pk=run.pk).state == "pending"
