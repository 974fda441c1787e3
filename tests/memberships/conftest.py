from datetime import date

import pytest

from governance.memberships import services
from governance.memberships.selectors import fee_schedules_with_facts
from tests.factories import FeeScheduleFactory, HubFactory, OrganisationFactory, UserFactory


@pytest.fixture
def hub(db):
    return HubFactory(principal=OrganisationFactory(name="Länsstyrelsen i Test län"))


@pytest.fixture
def principal_staff(hub):
    return UserFactory(roles=[("principal_staff", hub)])


@pytest.fixture
def member(db):
    return OrganisationFactory(name="Bygg & Miljö <Test> AB", kind="public_company")


def adopt(schedule, actor) -> None:
    """Adopt a draft through the service, recording the organisations' agreement first."""
    schedule.agreed_by.set([OrganisationFactory()])
    schedule.agreed_on, schedule.decision_reference = date(2025, 12, 1), "Dnr 1/2025"
    schedule.save()
    services.fee_schedule_transition(actor=actor, feeschedule_id=schedule.pk, name="adopt")


@pytest.fixture
def adopted_schedule(hub, coordinator):
    """The hub's adopted fees from 2026: 1–10 employees 10 000 kr, 11–50 25 000 kr, 51–
    50 000 kr; 6 000 kr a seat."""
    schedule = FeeScheduleFactory(hub=hub, version=1)
    adopt(schedule, coordinator)
    return fee_schedules_with_facts().get(pk=schedule.pk)


def intake(hub, member, **overrides) -> dict:
    """A valid intake body for POST /api/agreements."""
    return {
        "hub_id": hub.pk if hub else None,
        "member_org_number": member.org_number_display,
        "model": "open",
        "employees": 25,
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
        "member_signatory_name": "Maria Ek",
        "member_signatory_title": "Avdelningschef",
        "member_signatory_email": "maria.ek@example.se",
        "member_signatory_phone": "063-14 30 00",
        "member_signatory_authority": "delegation",
        "principal_signatory_name": "Anders Berg",
        "principal_signatory_title": "Verksamhetsansvarig",
        "contact_name": "Per Ek",
        "contact_email": "per.ek@example.se",
        "invoice_reference": "Ref 4711",
        "invoice_address": "Box 1, 831 00 Östersund",
        **overrides,
    }


@pytest.fixture
def hub_in(coordinator):
    """The hubs tests' helper: a hub moved by the real services into the given phase."""
    from tests.hubs.conftest import hub_in as make

    return make.__wrapped__(coordinator)
