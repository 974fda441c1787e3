"""The nightly walk of the agreements' calendar, on given dates, and its scheduled flow."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from flows.agreements import nightly_agreement_calendar
from governance.audit.context import acting_for_flow_run
from governance.audit.models import AuditEntry
from governance.flowruns.models import FlowRun
from governance.memberships.calendar import agreements_calendar_advance
from governance.memberships.models import Agreement
from tests.factories import AgreementFactory

SIGNED = {"state": "signed", "member_signed_on": date(2026, 12, 1)}


def _night(day: date, *, clock: date | None = None) -> dict:
    """The service on ``day`` as the nightly flow runs it, this process's clock at ``clock``
    (by default the same day)."""
    run = FlowRun.objects.create(flow_name="nightly_agreement_calendar", state="running")
    with acting_for_flow_run(run.pk), time_machine.travel(clock or day, tick=False):
        return agreements_calendar_advance(today=day)


def _state(agreement: Agreement) -> str:
    return Agreement.objects.values_list("state", flat=True).get(pk=agreement.pk)


@pytest.mark.django_db
def test_a_signed_agreement_becomes_active_on_its_start_date_not_before():
    agreement = AgreementFactory(
        **SIGNED,
        principal_signed_on=date(2026, 12, 2),
        start_on=date(2027, 1, 1),
        end_on=date(2027, 12, 31),
    )

    assert _night(date(2026, 12, 31))["activated"] == []
    assert _state(agreement) == "signed"
    night = _night(date(2027, 1, 1))

    assert night["activated"] == [{"id": agreement.pk, "number": agreement.number}]
    assert _state(agreement) == "active"


@pytest.mark.django_db
def test_an_active_agreement_expires_the_day_after_its_end_date():
    agreement = AgreementFactory(state="active", end_on=date(2026, 12, 31))

    _night(date(2026, 12, 31))
    assert _state(agreement) == "active"
    night = _night(date(2027, 1, 1))

    assert night["expired"] == [{"id": agreement.pk, "number": agreement.number}]
    assert _state(agreement) == "expired"


@pytest.mark.django_db
def test_a_signed_agreement_whose_period_has_passed_becomes_active_then_expires_in_one_night():
    agreement = AgreementFactory(**SIGNED, principal_signed_on=date(2026, 12, 2))

    night = _night(date(2027, 1, 2))

    assert [row["id"] for row in night["activated"]] == [agreement.pk]
    assert [row["id"] for row in night["expired"]] == [agreement.pk]
    assert _state(agreement) == "expired"


@pytest.mark.django_db
def test_agreements_ending_within_60_days_without_a_renewal_are_listed():
    ending = AgreementFactory(state="active", end_on=date(2026, 12, 31))
    AgreementFactory(state="active", end_on=date(2027, 3, 1))  # 61 days away
    renewed = AgreementFactory(state="active", end_on=date(2026, 12, 15))
    AgreementFactory(renewed_from=renewed, start_on=date(2026, 12, 16), end_on=date(2027, 12, 15))

    night = _night(date(2026, 12, 30))

    assert night["to_renew"] == [
        {
            "id": ending.pk,
            "number": ending.number,
            "member": ending.member.name,
            "end_on": "2026-12-31",
        }
    ]


@pytest.mark.django_db
def test_each_move_is_audited_as_the_flow_run_without_a_person():
    agreement = AgreementFactory(state="active", end_on=date(2026, 12, 31))

    _night(date(2027, 1, 1))

    entry = AuditEntry.objects.get(verb="transition", object_id=str(agreement.pk))
    run = FlowRun.objects.get(flow_name="nightly_agreement_calendar")
    assert (entry.actor, entry.flow_run_id) == (None, run.pk)
    assert (entry.before, entry.after) == ({"state": "active"}, {"state": "expired"})


@pytest.mark.django_db
def test_outside_a_flow_run_nobody_moves_an_agreement_without_a_person():
    agreement = AgreementFactory(state="active", end_on=date(2026, 12, 31))

    with time_machine.travel(date(2027, 1, 1), tick=False), pytest.raises(PermissionDenied):
        agreements_calendar_advance(today=date(2027, 1, 1))
    assert _state(agreement) == "active"


@pytest.mark.django_db
def test_a_move_its_guard_refuses_is_reported_and_the_others_complete():
    early = AgreementFactory(
        **SIGNED, principal_signed_on=date(2026, 12, 2), start_on=date(2027, 1, 1)
    )
    due = AgreementFactory(state="active", end_on=date(2026, 12, 15))

    # The day given is later than this process's clock: the start-date guard still decides.
    night = _night(date(2027, 1, 1), clock=date(2026, 12, 20))

    assert night["activated"] == [
        {
            "id": early.pk,
            "number": early.number,
            "refused": "Avtalet börjar gälla först 2027-01-01.",
        }
    ]
    assert _state(early) == "signed"
    assert [row["id"] for row in night["expired"]] == [due.pk]
    assert _state(due) == "expired"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_started_by_its_schedule_records_its_own_run():
    agreement = AgreementFactory(state="active", end_on=date(2026, 12, 31))

    with time_machine.travel(date(2027, 1, 1), tick=False):
        nightly_agreement_calendar()

    run = FlowRun.objects.get(flow_name="nightly_agreement_calendar")
    assert (run.state, run.requested_by, run.attempts) == ("completed", None, 1)
    assert run.prefect_flow_run_id is not None
    assert run.result["day"] == "2027-01-01"
    assert run.result["expired"] == [{"id": agreement.pk, "number": agreement.number}]
    assert _state(agreement) == "expired"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_takes_the_day_as_a_parameter_when_dispatched():
    from governance.workflows import dispatch

    agreement = AgreementFactory(state="active", end_on=date(2026, 12, 31))

    with time_machine.travel(date(2027, 1, 1), tick=False):
        run = dispatch("nightly_agreement_calendar", on="2027-01-01")

    run.refresh_from_db()
    assert run.state == "completed", run.error
    assert run.result["day"] == "2027-01-01"
    assert _state(agreement) == "expired"
