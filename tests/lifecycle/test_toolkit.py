"""The lifecycle toolkit on a machine without business rules (tests/testapp)."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from governance.audit.models import AuditEntry
from governance.errors import ConflictError
from governance.lifecycle.guards import MissingFactError
from governance.lifecycle.selectors import available_transition_names, transitions_view
from governance.lifecycle.services import UnknownTransitionError, transition_run
from tests.factories import UserFactory
from tests.testapp import models
from tests.testapp.models import Task, Ticket, tickets_with_facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def finisher():
    member = UserFactory()
    member.groups.add(Group.objects.get_or_create(name="finishers")[0])
    return member


@pytest.fixture(autouse=True)
def _count_guard_calls():
    models.CALLS.clear()


def _ticket(state: str = "new", title: str = "Printer", open_tasks: int = 0) -> Ticket:
    ticket = Ticket.objects.create(title=title)
    Ticket.objects.filter(pk=ticket.pk).update(state=state)
    Task.objects.bulk_create(Task(ticket=ticket) for _ in range(open_tasks))
    return tickets_with_facts().get(pk=ticket.pk)


def _run(ticket: Ticket, name: str, actor, comment: str = "") -> Ticket:
    return transition_run(
        tickets_with_facts(), pk=ticket.pk, name=name, actor=actor, comment=comment
    )


def test_a_transition_moves_the_state_and_logs_who_and_the_comment(user):
    ticket = _run(_ticket(title=" Printer "), "open", user, comment="Reported by phone")
    assert Ticket.objects.get(pk=ticket.pk).state == "open"
    assert Ticket.objects.get(pk=ticket.pk).title == "Printer"
    log = StateLog.objects.for_(ticket).get()
    assert (log.source_state, log.state, log.transition, log.by, log.description) == (
        "new",
        "open",
        "open",
        user,
        "Reported by phone",
    )


def test_a_transition_writes_one_audit_entry_with_before_and_after(user):
    ticket = _run(_ticket(), "open", user, comment="ok")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.verb, entry.object_type, entry.object_id) == (
        user,
        "transition",
        "testapp.ticket",
        str(ticket.pk),
    )
    assert (entry.before, entry.after) == ({"state": "new"}, {"state": "open"})
    assert entry.details == {"transition": "open", "comment": "ok"}


def test_each_guard_is_evaluated_once_per_run(finisher):
    ticket = _ticket("open")
    _run(ticket, "finish", finisher)
    assert models.CALLS == {"has_title": 1, "tasks_done": 1}


def test_the_transitions_view_evaluates_each_guard_once(finisher):
    # has_title guards both "archive" and "finish", which both run from "open".
    ticket = tickets_with_facts().get(pk=_ticket("open").pk)
    transitions_view(ticket, finisher)
    assert models.CALLS == {"has_title": 1, "tasks_done": 1}


def test_unmet_guards_refuse_with_409_naming_each_condition(finisher):
    ticket = _ticket("open", title="", open_tasks=2)
    with pytest.raises(ConflictError) as refused:
        _run(ticket, "finish", finisher)
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.details == {
        "state": "open",
        "allowed": ["reset"],
        "unmet": ["The ticket has no title.", "2 tasks are still open."],
    }
    assert Ticket.objects.get(pk=ticket.pk).state == "open"
    assert not StateLog.objects.exists()
    assert not AuditEntry.objects.exists()


def test_permission_is_checked_before_the_state(user):
    ticket = _ticket("open")
    with pytest.raises(PermissionDenied) as refused:
        _run(ticket, "finish", user)
    assert str(refused.value) == "testapp.finish_ticket"
    assert Ticket.objects.get(pk=ticket.pk).state == "open"


def test_a_refused_state_names_the_state_and_allowed_transitions(user):
    ticket = _ticket("done")
    with pytest.raises(ConflictError) as refused:
        _run(ticket, "open", user)
    assert refused.value.details == {
        "state": "done",
        "allowed": ["archive", "reset"],
        "unmet": [],
    }
    assert "Open" in refused.value.message


@pytest.mark.parametrize("state", ["new", "open", "done", "archived"])
def test_a_star_source_runs_from_every_state(user, state):
    ticket = _run(_ticket(state), "archive", user)
    assert Ticket.objects.get(pk=ticket.pk).state == "archived"


@pytest.mark.parametrize(("state", "runs"), [("new", False), ("open", True), ("done", True)])
def test_a_plus_source_runs_from_every_other_state(user, state, runs):
    ticket = _ticket(state)
    assert ("reset" in available_transition_names(ticket, user)) is runs
    if runs:
        _run(ticket, "reset", user)
        assert Ticket.objects.get(pk=ticket.pk).state == "new"
    else:
        with pytest.raises(ConflictError):
            _run(ticket, "reset", user)


def test_an_unknown_transition_is_not_found(user):
    with pytest.raises(UnknownTransitionError):
        _run(_ticket(), "delete", user)


def test_a_guard_that_needs_a_fact_fails_loudly_without_it(finisher):
    ticket = Ticket.objects.get(pk=_ticket("open").pk)  # loaded without tickets_with_facts()
    with pytest.raises(MissingFactError, match="open_tasks"):
        available_transition_names(ticket, finisher)


def test_the_view_lists_available_blocked_with_reasons_and_history(finisher, user):
    ticket = _ticket("new")
    _run(ticket, "open", user, comment="go")
    Task.objects.create(ticket=ticket)
    view = transitions_view(tickets_with_facts().get(pk=ticket.pk), finisher)
    assert (view["state"], view["state_display"]) == ("open", "Öppen")
    assert [t["name"] for t in view["available"]] == ["archive", "reset"]
    assert view["blocked"] == [
        {
            "name": "finish",
            "label": "Finish",
            "target": "done",
            "unmet": ["1 tasks are still open."],
        }
    ]
    assert [(h["transition"], h["by"], h["comment"]) for h in view["history"]] == [
        ("open", user.username, "go")
    ]


def test_the_view_hides_what_the_role_may_not_run(user):
    view = transitions_view(tickets_with_facts().get(pk=_ticket("open").pk), user)
    assert "finish" not in [t["name"] for t in view["available"] + view["blocked"]]


@pytest.mark.urls("tests.testapp.urls")
class TestEndpoints:
    def test_get_transitions(self, client_for, finisher):
        ticket = _ticket("open")
        body = client_for(finisher).get(f"/test-api/tickets/{ticket.pk}/transitions").json()
        assert body["state"] == "open"
        assert [t["name"] for t in body["available"]] == ["archive", "finish", "reset"]

    def test_post_runs_and_answers_the_new_view(self, client_for, user):
        ticket = _ticket("new")
        response = client_for(user).post(
            f"/test-api/tickets/{ticket.pk}/transitions/open",
            json.dumps({"comment": "now"}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "open"
        assert response.json()["history"][-1]["comment"] == "now"

    def test_409_body(self, client_for, finisher):
        ticket = _ticket("open", open_tasks=1)
        response = client_for(finisher).generic(
            "POST", f"/test-api/tickets/{ticket.pk}/transitions/finish"
        )
        assert response.status_code == 409
        assert response.json() == {
            "code": "transition_not_allowed",
            "message": response.json()["message"],
            "state": "open",
            "allowed": ["archive", "reset"],
            "unmet": ["1 tasks are still open."],
        }

    def test_403_and_404(self, client_for, user):
        ticket = _ticket("open")
        client = client_for(user)
        url = f"/test-api/tickets/{ticket.pk}/transitions"
        assert client.generic("POST", f"{url}/finish").status_code == 403
        assert client.generic("POST", f"{url}/nope").status_code == 404
        assert client.get("/test-api/tickets/999999/transitions").status_code == 404
        assert client_for(None).get(f"/test-api/tickets/{ticket.pk}/transitions").status_code == 401
