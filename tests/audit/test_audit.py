"""The audit trail: written in the service's transaction, read by the coordinator."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from governance.audit.context import acting_for_flow_run
from governance.audit.models import AuditEntry
from governance.audit.services import AuditOutsideTransactionError, audit_record
from governance.flowruns.models import FlowRun
from tests.factories import UserFactory
from tests.testapp.models import Ticket

pytestmark = pytest.mark.django_db


def _record(actor, verb="updated", target=None, **values) -> AuditEntry:
    with transaction.atomic():
        return audit_record(
            actor=actor, verb=verb, target=target or Ticket.objects.create(), **values
        )


def test_an_entry_names_actor_verb_object_and_values():
    user = UserFactory(username="karin")
    ticket = Ticket.objects.create(title="Printer")
    entry = _record(
        user, "updated", ticket, before={"title": "Printer"}, after={"title": "Skrivare"}
    )
    assert (entry.actor, entry.actor_username, entry.verb) == (user, "karin", "updated")
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "testapp.ticket",
        str(ticket.pk),
        "Printer",
    )
    assert (entry.before, entry.after, entry.flow_run) == (
        {"title": "Printer"},
        {"title": "Skrivare"},
        None,
    )


def test_an_entry_written_inside_a_flow_names_the_flow_run():
    run = FlowRun.objects.create(flow_name="revalidate_org_numbers")
    with acting_for_flow_run(run.pk):
        entry = _record(None)
    assert (entry.flow_run, entry.actor, entry.actor_username) == (run, None, "")


def test_the_entry_keeps_the_username_after_the_user_is_deleted():
    user = UserFactory(username="gone")
    entry = _record(user)
    user.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_username) == (None, "gone")


@pytest.mark.django_db(transaction=True)
def test_an_entry_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=None, verb="updated", target=Ticket.objects.create())


class AbortedWriteError(Exception):
    pass


def _write_then_fail() -> None:
    with transaction.atomic():
        audit_record(actor=None, verb="updated", target=Ticket.objects.create())
        raise AbortedWriteError


def test_a_rolled_back_write_leaves_no_entry():
    with pytest.raises(AbortedWriteError):
        _write_then_fail()
    assert not AuditEntry.objects.exists()
    assert not Ticket.objects.exists()


class TestEndpoint:
    def test_only_the_coordinator_reads_the_trail(self, client_for, coordinator):
        _record(coordinator)
        assert client_for(None).get("/api/audit").status_code == 401
        assert client_for(UserFactory()).get("/api/audit").status_code == 403
        body = client_for(coordinator).get("/api/audit").json()
        assert body["count"] == 1
        assert body["items"][0]["actor"] == coordinator.username

    def test_filters_by_object_actor_verb_and_time(self, client_for, coordinator):
        other = UserFactory(username="someone")
        first, second = Ticket.objects.create(), Ticket.objects.create()
        _record(coordinator, "created", first)
        _record(other, "updated", first)
        _record(other, "updated", second)
        old = _record(other, "deleted", second)
        AuditEntry.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=9))
        client = client_for(coordinator)

        def ids(query: str) -> list[str]:
            response = client.get(f"/api/audit?{query}")
            assert response.status_code == 200, response.content
            return [(item["verb"], item["object_id"]) for item in response.json()["items"]]

        assert ids(f"object_type=testapp.ticket&object_id={first.pk}") == [
            ("updated", str(first.pk)),
            ("created", str(first.pk)),
        ]
        assert ids("actor=someone&verb=updated") == [
            ("updated", str(second.pk)),
            ("updated", str(first.pk)),
        ]
        since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
        assert ("deleted", str(second.pk)) not in ids(f"since={since}")
        assert ids("object_type=hubs.hub") == []
        assert client.get("/api/audit?object_type=nodot").status_code == 422

    def test_the_list_is_paginated(self, client_for, coordinator):
        for _ in range(3):
            _record(coordinator)
        body = client_for(coordinator).get("/api/audit?limit=2&offset=2").json()
        assert (body["count"], len(body["items"])) == (3, 1)
