"""Two coordinators pressing the same button at once: one transition wins, one gets 409."""

import threading

import pytest
from django.db import close_old_connections, connection
from django_fsm_log.models import StateLog

from governance.errors import ConflictError
from governance.hubs import services
from governance.hubs.models import Hub
from tests.factories import HubFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def test_racing_transitions_run_once():
    hub = HubFactory()
    coordinators = [UserFactory(roles=["national_coordinator"]) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press(actor) -> None:
        try:
            start.wait()
            services.hub_transition(actor=actor, hub_id=hub.pk, name="start_preparation")
            outcomes.append("moved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=press, args=(actor,)) for actor in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "moved"]
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"
    assert StateLog.objects.for_(hub).count() == 1
    assert Hub.objects.get(pk=hub.pk).checklist_items.filter(phase="preparation").count() >= 15
