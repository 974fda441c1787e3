"""Every membership service leaves its audit entry, with the values before and after."""

from datetime import date

import pytest

from governance.audit.models import AuditEntry
from governance.memberships import services
from tests.factories import AgreementFactory, HubFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _entries(obj, verb):
    return AuditEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk), verb=verb
    )


def test_fee_schedule_writes_are_audited(coordinator):
    hub = HubFactory()
    schedule = services.fee_schedule_create(
        actor=coordinator,
        hub_id=hub.pk,
        effective_from=date(2026, 1, 1),
        tiers=[{"employees_from": 1, "employees_to": None, "yearly_fee_ore": 100_000}],
    )
    [created] = _entries(schedule, "created")
    assert created.after["tiers"] == [
        {
            "employees_from": 1,
            "employees_to": None,
            "yearly_fee_ore": 100_000,
            "organisation_kind": "",
        }
    ]
    agreed_by = OrganisationFactory()
    services.fee_schedule_update(
        actor=coordinator,
        fee_schedule_id=schedule.pk,
        seat_price_ore=500_000,
        agreed_by=[agreed_by.pk],
        agreed_on=date(2025, 12, 1),
        decision_reference="Dnr 1",
    )
    [updated] = _entries(schedule, "updated")
    assert updated.before["seat_price_ore"] == 0
    assert updated.after["seat_price_ore"] == 500_000
    assert updated.after["agreed_by"] == [agreed_by.pk]
    services.fee_schedule_transition(actor=coordinator, feeschedule_id=schedule.pk, name="adopt")
    [moved] = _entries(schedule, "transition")
    assert (moved.before, moved.after) == ({"state": "draft"}, {"state": "adopted"})


def test_agreement_writes_are_audited(coordinator):
    agreement = AgreementFactory(state="sent")
    services.agreement_signatures_record(
        actor=coordinator, agreement_id=agreement.pk, member_signed_on=date(2025, 12, 20)
    )
    [signed] = _entries(agreement, "signatures_recorded")
    assert signed.after == {"member_signed_on": "2025-12-20"}
    active = AgreementFactory(state="active")
    services.agreement_terminate(
        actor=coordinator, agreement_id=active.pk, terminated_on=date(2026, 6, 30), reason="Flytt"
    )
    assert _entries(active, "updated").get().after["termination_reason"] == "Flytt"
    assert _entries(active, "transition").get().after == {"state": "terminated"}
    renewable = AgreementFactory(state="active")
    renewal = services.agreement_renew(actor=coordinator, agreement_id=renewable.pk)
    assert _entries(renewable, "renewed").get().details == {"renewal": renewal.number}
    assert _entries(renewal, "created").exists()
    draft = AgreementFactory()
    services.agreement_update(
        actor=coordinator,
        agreement_id=draft.pk,
        employees=99,
        discounts=[{"percent": 20, "year": None, "reason": "Pilot"}],
    )
    [updated] = _entries(draft, "updated")
    assert updated.before == {"employees": 25, "discounts": []}
    assert updated.after == {
        "employees": 99,
        "discounts": [{"percent": 20, "year": None, "reason": "Pilot"}],
    }
