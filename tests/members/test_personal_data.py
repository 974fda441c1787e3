"""A member's data: the export of everything stored about them, and the erasure of those who
left longer ago than MEMBER_RETENTION_DAYS, which keeps the rows, the agreements and the audit
entries but not the personal values."""

import json
from datetime import date, timedelta

import pytest
from django_fsm_log.models import StateLog

from governance.audit.context import acting_for_flow_run
from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.members.models import Member
from governance.members.selectors import audit_entries_about
from governance.members.services import members_erase_departed, personal_data_export
from governance.memberships.models import Agreement, SeatHolder
from tests.factories import AgreementFactory
from tests.members.conftest import apply, register, seat_agreement, walk

pytestmark = pytest.mark.django_db

LEFT_ON = date(2025, 3, 31)


def test_the_export_holds_the_application_states_onboarding_and_audit(cm, hub, employer, agreement):
    member = walk(cm, register(cm, hub, employer), "approve", "onboard", comment="Välkommen")
    data = json.loads(json.dumps(personal_data_export(actor=cm, member_id=member.pk)))
    assert data["member"]["name"] == "Anna Ek"
    assert data["member"]["email"] == "anna@example.se"
    assert data["member"]["employer"]["org_number"] == employer.org_number_display
    assert data["member"]["agreement"] == agreement.number
    assert data["answers"]["goals"]["answer"] == "Nya kontakter."
    assert data["answers"]["contribution"]["question"] == "Vad hoppas du/ni kunna bidra med?"
    assert [(row["from"], row["to"]) for row in data["states"]] == [
        ("applied", "approved"),
        ("approved", "onboarded"),
    ]
    assert all(row["done"] and row["changed_by"] == cm.username for row in data["onboarding"])
    verbs = [row["verb"] for row in data["audit"]]
    assert verbs[0] == "member_applied"
    assert verbs.count("onboarding_item_changed") == 4
    assert verbs.count("transition") == 2


def _departed(cm, hub, employer, *, seats: bool = False) -> Member:
    if seats:
        seat_agreement(hub, employer, seats=3)
    member = walk(cm, register(cm, hub, employer), "approve", "leave", comment="Anna Ek slutar")
    Member.objects.filter(pk=member.pk).update(left_on=LEFT_ON)
    return member


def _erase(day: date) -> dict:
    run = FlowRun.objects.create(flow_name="erase_departed_members", state="running")
    with acting_for_flow_run(run.pk):
        return members_erase_departed(today=day)


def _texts(entries) -> str:
    return json.dumps(
        [[e.object_repr, e.before, e.after, e.details] for e in entries], ensure_ascii=False
    )


def test_a_member_is_kept_until_the_retention_period_has_passed(cm, hub, employer, settings):
    settings.MEMBER_RETENTION_DAYS = 365
    AgreementFactory(hub=hub, principal=hub.principal, member=employer, state="active")
    member = _departed(cm, hub, employer)
    assert _erase(LEFT_ON + timedelta(days=365))["erased"] == []
    assert _erase(LEFT_ON + timedelta(days=366))["erased"] == [member.pk]


def test_erasure_keeps_rows_agreement_and_audit_but_removes_personal_values(
    cm, hub, employer, settings
):
    member = _departed(cm, hub, employer, seats=True)
    entries_before = audit_entries_about(member).count()
    assert "anna@example.se" in _texts(audit_entries_about(member))

    result = _erase(LEFT_ON + timedelta(days=settings.MEMBER_RETENTION_DAYS + 1))

    assert result["erased"] == [member.pk]
    erased = Member.objects.get(pk=member.pk)
    assert (erased.name, erased.email, erased.goals, erased.contribution) == (
        "Anonymiserad medlem",
        "",
        "",
        "",
    )
    assert (erased.state, erased.left_on, erased.agreement_id) == (
        "left",
        LEFT_ON,
        member.agreement_id,
    )
    assert Agreement.objects.filter(pk=member.agreement_id).exists()
    holder = SeatHolder.objects.get(pk=member.seat_holder_id)
    assert (holder.name, holder.email) == ("Anonymiserad medlem", "")
    assert holder.until is not None  # the seat's history stays
    kept = audit_entries_about(erased)
    assert kept.count() == entries_before + 1  # none removed; the erasure recorded
    texts = _texts(kept)
    for personal in ("Anna Ek", "anna@example.se", "Nya kontakter.", "En frukostträff"):
        assert personal not in texts
    assert [e.verb for e in kept if e.verb == "transition"] == ["transition", "transition"]
    assert all(log.description == "" for log in StateLog.objects.for_(erased))
    assert AuditEntry.objects.filter(verb="member_anonymised", object_id=str(member.pk)).exists()


def test_erasure_leaves_current_members_alone(cm, hub, employer, agreement):
    current = walk(cm, register(cm, hub, employer), "approve")
    assert _erase(date(2040, 1, 1))["erased"] == []
    assert Member.objects.get(pk=current.pk).name == "Anna Ek"


def test_never_confirmed_applications_are_erased_after_the_period(hub, employer, agreement):
    unconfirmed = apply(hub, employer)
    assert _erase(date(2040, 1, 1))["erased"] == [unconfirmed.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_the_nightly_flow_erases_on_the_given_day(cm, hub, employer, agreement):
    from governance.workflows import dispatch

    member = _departed(cm, hub, employer)
    run = dispatch("erase_departed_members", on="2040-01-01")
    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result == {"on": "2040-01-01", "erased": [member.pk], "count": 1}
    assert Member.objects.get(pk=member.pk).name == "Anonymiserad medlem"
    entry = AuditEntry.objects.get(verb="member_anonymised")
    assert (entry.flow_run_id, entry.actor) == (run.pk, None)
