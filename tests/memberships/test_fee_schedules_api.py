"""Fee schedules through the API: ladders, adoption and supersession, the schedule in force."""

from datetime import date

import pytest

from governance.audit.models import AuditEntry
from governance.memberships.models import FeeSchedule
from governance.memberships.selectors import fee_schedule_in_force
from tests.factories import FeeScheduleFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TIERS = [
    {"employees_from": 1, "employees_to": 10, "yearly_fee_sek": "10000"},
    {"employees_from": 11, "employees_to": 50, "yearly_fee_sek": "25000.50"},
    {"employees_from": 51, "yearly_fee_sek": "50000"},
]


def _body(hub, **overrides) -> dict:
    return {
        "hub_id": hub.pk if hub else None,
        "effective_from": "2026-01-01",
        "seat_price_sek": "6000",
        "tiers": TIERS,
        **overrides,
    }


def test_principal_staff_create_a_draft_with_money_in_ore(api_client, principal_staff, hub):
    response = api_client(principal_staff).post("/api/fee-schedules", _body(hub))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["state"], body["seat_price_ore"]) == (1, "draft", 600_000)
    assert [tier["yearly_fee_ore"] for tier in body["tiers"]] == [1_000_000, 2_500_050, 5_000_000]
    assert body["tiers"][1]["yearly_fee"] == "25\xa0000,50 kr"
    assert AuditEntry.objects.filter(verb="created", content_type__model="feeschedule").exists()


def test_a_broken_ladder_is_a_422_naming_the_tier(api_client, coordinator, hub):
    tiers = [{**TIERS[0]}, {**TIERS[1], "employees_from": 12}, {**TIERS[2]}]
    response = api_client(coordinator).post("/api/fee-schedules", _body(hub, tiers=tiers))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "tiers.1.employees_from",
            "code": "invalid_ladder",
            "message": "Nivå 2 (12–50 anställda): glapp, ingen nivå täcker 11–11 anställda.",
        }
    ]
    assert not FeeSchedule.objects.exists()


def test_adopting_needs_the_recorded_agreement_then_supersedes_the_previous(
    api_client, principal_staff, hub
):
    client = api_client(principal_staff)
    first = client.post("/api/fee-schedules", _body(hub)).json()
    refused = client.post(f"/api/fee-schedules/{first['id']}/transitions/adopt")
    assert refused.status_code == 409
    assert refused.json()["unmet"] == [
        "Ange vilka organisationer som kommit överens om avgifterna, när och en referens."
    ]
    agreed = {
        "agreed_by": [OrganisationFactory().pk, hub.principal_id],
        "agreed_on": "2025-12-01",
        "decision_reference": "Protokoll 2025-12-01 § 4",
    }
    assert client.patch(f"/api/fee-schedules/{first['id']}", agreed).status_code == 200
    adopted = client.post(f"/api/fee-schedules/{first['id']}/transitions/adopt")
    assert adopted.json()["state"] == "adopted"
    assert (
        client.patch(f"/api/fee-schedules/{first['id']}", {"seat_price_sek": "1"}).status_code
        == 409
    )

    second = client.post(
        "/api/fee-schedules", _body(hub, effective_from="2027-01-01", **agreed)
    ).json()
    assert second["version"] == 2
    assert client.post(f"/api/fee-schedules/{second['id']}/transitions/adopt").status_code == 200
    assert FeeSchedule.objects.get(pk=first["id"]).state == "superseded"
    assert fee_schedule_in_force(hub, on=date(2026, 6, 1)).pk == first["id"]
    assert fee_schedule_in_force(hub, on=date(2027, 1, 1)).pk == second["id"]
    assert fee_schedule_in_force(hub, on=date(2025, 12, 31)) is None
    in_force = client.get("/api/fee-schedules/in-force", {"hub": hub.pk, "on": "2026-03-01"})
    assert in_force.json()["id"] == first["id"]
    assert (
        client.get("/api/fee-schedules/in-force", {"hub": hub.pk, "on": "2020-01-01"}).status_code
        == 404
    )


def test_a_version_cannot_take_over_backwards(api_client, coordinator, hub):
    from tests.memberships.conftest import adopt

    adopt(FeeScheduleFactory(hub=hub, version=1, effective_from=date(2026, 1, 1)), coordinator)
    earlier = FeeScheduleFactory(hub=hub, version=2, effective_from=date(2025, 6, 1))
    earlier.agreed_by.set([OrganisationFactory()])
    earlier.agreed_on, earlier.decision_reference = date(2025, 5, 1), "Dnr 2"
    earlier.save()
    response = api_client(coordinator).post(f"/api/fee-schedules/{earlier.pk}/transitions/adopt")
    assert response.status_code == 409
    assert response.json()["unmet"] == [
        "Gäller från måste vara senare än för versionen som gäller nu (2026-01-01)."
    ]


def test_once_the_hub_has_an_owner_group_only_its_decision_adopts(api_client, principal_staff, hub):
    UserFactory(roles=[("owner_group_rep", hub)])
    schedule = FeeScheduleFactory(hub=hub)
    schedule.agreed_by.set([OrganisationFactory()])
    schedule.agreed_on, schedule.decision_reference = date(2025, 5, 1), "Dnr 2"
    schedule.save()
    response = api_client(principal_staff).post(
        f"/api/fee-schedules/{schedule.pk}/transitions/adopt"
    )
    assert response.status_code == 409
    assert response.json()["unmet"] == [
        "Hubben har en ägargrupp: avgifterna fastställs genom ägargruppens beslut."
    ]


def test_superseding_by_hand_needs_a_later_adopted_version(api_client, coordinator, hub):
    from tests.memberships.conftest import adopt

    schedule = FeeScheduleFactory(hub=hub)
    adopt(schedule, coordinator)
    response = api_client(coordinator).post(
        f"/api/fee-schedules/{schedule.pk}/transitions/supersede"
    )
    assert response.status_code == 409
    assert response.json()["unmet"] == ["Ingen senare version är fastställd."]


def test_national_schedules_are_the_coordinators(api_client, coordinator, principal_staff):
    assert api_client(principal_staff).post("/api/fee-schedules", _body(None)).status_code == 403
    created = api_client(coordinator).post("/api/fee-schedules", _body(None)).json()
    # The national owner's own offer: no organisations' agreement to record.
    adopted = api_client(coordinator).post(f"/api/fee-schedules/{created['id']}/transitions/adopt")
    assert adopted.json()["state"] == "adopted"
    listed = api_client(principal_staff).get("/api/fee-schedules", {"national": "true"}).json()
    assert [row["id"] for row in listed["items"]] == [created["id"]]
