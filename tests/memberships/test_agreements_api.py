"""Agreements through the API: intake validation, numbering, overlap, fee lines, transitions,
termination and renewal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from governance.audit.models import AuditEntry
from governance.memberships.models import Agreement
from tests.factories import AgreementFactory, HubFactory, OrganisationFactory
from tests.memberships.conftest import intake

pytestmark = pytest.mark.django_db


def _errors(response) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for entry in response.json()["errors"]:
        errors.setdefault(entry["field"], []).append(entry["message"])
    return errors


def test_intake_creates_a_numbered_draft_with_its_fee_lines(
    api_client, principal_staff, hub, member, adopted_schedule
):
    response = api_client(principal_staff).post(
        "/api/agreements",
        intake(hub, member, start_on="2026-07-01", end_on="2027-06-30"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "SUN-2026-001"  # the hub factory's municipality: Sundsvall
    assert body["state"] == "draft"
    assert body["member"]["name"] == "Bygg & Miljö <Test> AB"
    fees = body["fees"]
    assert fees["schedule_id"] == adopted_schedule.pk
    assert fees["yearly_fee_ore"] == 2_500_000
    assert [(line["year"], line["amount_ore"]) for line in fees["lines"]] == [
        (2026, 1_260_300),
        (2027, 1_239_700),
    ]
    assert fees["total_ore"] == 2_500_000
    assert AuditEntry.objects.filter(verb="created", content_type__model="agreement").exists()


def test_numbers_count_per_hub_and_year(api_client, coordinator, hub, adopted_schedule):
    client = api_client(coordinator)
    numbers = [
        client.post("/api/agreements", intake(hub, OrganisationFactory())).json()["number"]
        for _ in range(3)
    ]
    assert numbers == ["SUN-2026-001", "SUN-2026-002", "SUN-2026-003"]
    other = HubFactory(municipality="Östersund", principal=OrganisationFactory())
    first = client.post("/api/agreements", intake(other, OrganisationFactory())).json()
    assert first["number"] == "OST-2026-001"
    next_year = intake(other, OrganisationFactory(), start_on="2027-01-01", end_on="2027-12-31")
    assert client.post("/api/agreements", next_year).json()["number"] == "OST-2027-001"


def test_every_invalid_field_has_its_own_message(api_client, coordinator, hub, member):
    body = intake(
        hub,
        member,
        member_org_number="202100-2345",
        end_on="2025-12-31",
        member_signatory_email="inte-en-adress",
        member_signatory_phone="ring mig",
        employees=0,
        model="seats",
    )
    response = api_client(coordinator).post("/api/agreements", body)
    assert response.status_code == 422
    errors = _errors(response)
    assert set(errors) == {
        "member_org_number",
        "end_on",
        "member_signatory_email",
        "member_signatory_phone",
        "employees",
        "seats",
    }
    assert errors["end_on"] == ["Slutdatum ska vara efter startdatum."]
    assert errors["seats"] == ["Platsmodellen behöver minst en plats."]
    assert "kontrollsiffra" in errors["member_org_number"][0]
    assert Agreement.objects.count() == 0


def test_open_model_takes_no_seats_and_an_unknown_member_is_named(
    api_client, coordinator, hub, member
):
    response = api_client(coordinator).post(
        "/api/agreements", intake(hub, member, seats=3, member_org_number="212000-2411")
    )
    errors = _errors(response)
    assert errors["seats"] == ["Den öppna modellen har inga platser; lämna fältet tomt."]
    assert "registrera den först" in errors["member_org_number"][0]


def test_an_overlapping_agreement_of_the_same_member_and_hub_is_a_409_naming_it(
    api_client, coordinator, hub, member
):
    client = api_client(coordinator)
    first = client.post("/api/agreements", intake(hub, member)).json()
    response = client.post(
        "/api/agreements", intake(hub, member, start_on="2026-12-01", end_on="2027-11-30")
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "agreement_overlap"
    assert first["number"] in body["message"]
    assert body["other_agreement"] == {"id": first["id"], "number": first["number"]}
    # The next period, another hub and a terminated agreement do not overlap.
    assert (
        client.post(
            "/api/agreements", intake(hub, member, start_on="2027-01-01", end_on="2027-12-31")
        ).status_code
        == 201
    )
    elsewhere = HubFactory(principal=OrganisationFactory())
    assert client.post("/api/agreements", intake(elsewhere, member)).status_code == 201


def test_seat_model_fee_is_seats_times_the_seat_price(
    api_client, coordinator, hub, member, adopted_schedule
):
    response = api_client(coordinator).post(
        "/api/agreements", intake(hub, member, model="seats", seats=3)
    )
    assert response.json()["fees"]["lines"][0]["amount_ore"] == 1_800_000


def test_discount_lines_follow_their_year(api_client, coordinator, hub, member, adopted_schedule):
    body = intake(hub, member, discounts=[{"percent": 50, "year": 2026, "reason": "Tidig medlem"}])
    fees = api_client(coordinator).post("/api/agreements", body).json()["fees"]
    assert [(line["kind"], line["amount_ore"]) for line in fees["lines"]] == [
        ("fee", 2_500_000),
        ("discount", -1_250_000),
    ]
    assert fees["total_ore"] == 1_250_000


def test_without_an_adopted_schedule_the_agreement_says_so(api_client, coordinator, hub, member):
    body = api_client(coordinator).post("/api/agreements", intake(hub, member)).json()
    assert body["fees"] is None
    assert "Ingen fastställd avgiftstrappa" in body["fee_problem"]


def test_a_national_agreement_reads_the_national_ladder_and_is_allocated_to_hubs(
    api_client, coordinator, member
):
    from governance.memberships.selectors import fee_schedules_with_facts
    from tests.factories import FeeScheduleFactory
    from tests.memberships.conftest import adopt

    national = FeeScheduleFactory(hub=None, version=1)
    adopt(national, coordinator)
    assert fee_schedules_with_facts().get(pk=national.pk).state == "adopted"
    owner = OrganisationFactory(name="Nationella ägaren")
    north, south = HubFactory(), HubFactory()
    body = intake(
        None,
        member,
        principal_id=owner.pk,
        employees=None,
        localities=[{"hub_id": north.pk, "employees": 45}, {"hub_id": south.pk, "employees": 15}],
    )
    del body["employees"]
    response = api_client(coordinator).post("/api/agreements", body)
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["number"].startswith("NAT-")
    assert agreement["employees"] == 60  # 45 + 15 → the tier 51–: 50 000 kr
    assert agreement["fees"]["total_ore"] == 5_000_000
    assert agreement["fees"]["allocation"] == [
        {"year": 2026, "hub_id": north.pk, "hub": north.name, "amount_ore": 3_750_000},
        {"year": 2026, "hub_id": south.pk, "hub": south.name, "amount_ore": 1_250_000},
    ]


def test_a_national_agreement_needs_its_principal_and_localities(api_client, coordinator, member):
    body = intake(None, member)
    response = api_client(coordinator).post("/api/agreements", body)
    assert set(_errors(response)) == {"principal_id", "localities"}


def test_update_only_while_draft(api_client, coordinator):
    agreement = AgreementFactory()
    client = api_client(coordinator)
    url = f"/api/agreements/{agreement.pk}"
    assert client.patch(url, {"employees": 60}).json()["employees"] == 60
    client.post(f"{url}/transitions/mark_generated")
    response = client.patch(url, {"employees": 70})
    assert response.status_code == 409
    assert response.json()["state"] == "generated"


def _run(client, agreement, name, comment=""):
    return client.post(f"/api/agreements/{agreement.pk}/transitions/{name}", {"comment": comment})


def test_the_whole_lifecycle_with_every_guard(api_client, coordinator):
    today = timezone.localdate()
    agreement = AgreementFactory(start_on=today, end_on=today + timedelta(days=364))
    client = api_client(coordinator)
    for refused in ("send", "sign", "activate", "expire", "terminate"):
        assert _run(client, agreement, refused).status_code == 409, refused
    assert _run(client, agreement, "mark_generated").status_code == 200
    assert _run(client, agreement, "reopen").status_code == 200
    assert _run(client, agreement, "mark_generated").status_code == 200
    sent = _run(client, agreement, "send")
    assert sent.json()["state"] == "sent"
    agreement.refresh_from_db()
    assert agreement.sent_to == "maria.ek@example.se"
    assert agreement.sent_at is not None

    refused = _run(client, agreement, "sign")
    assert refused.status_code == 409
    assert refused.json()["unmet"] == ["Båda parternas underskrifter är inte registrerade."]
    url = f"/api/agreements/{agreement.pk}/signatures"
    future = client.post(url, {"member_signed_on": str(today + timedelta(days=1))})
    assert future.status_code == 422
    client.post(url, {"member_signed_on": str(today)})
    assert _run(client, agreement, "sign").status_code == 409
    client.post(url, {"principal_signed_on": str(today)})
    assert _run(client, agreement, "sign").json()["state"] == "signed"
    assert _run(client, agreement, "activate").json()["state"] == "active"

    expire = _run(client, agreement, "expire")
    assert expire.status_code == 409
    assert expire.json()["unmet"] == [f"Avtalet gäller till och med {agreement.end_on}."]
    names = list(
        StateLog.objects.filter(object_id=agreement.pk).values_list("transition", flat=True)
    )
    assert names == ["mark_generated", "reopen", "mark_generated", "send", "sign", "activate"]


def test_activate_waits_for_the_start_date_and_expire_for_the_end(api_client, coordinator):
    today = timezone.localdate()
    future = AgreementFactory(
        state="signed", start_on=today + timedelta(days=3), end_on=today + timedelta(days=300)
    )
    response = _run(api_client(coordinator), future, "activate")
    assert response.json()["unmet"] == [f"Avtalet börjar gälla först {future.start_on}."]
    ended = AgreementFactory(
        state="active", start_on=date(2024, 1, 1), end_on=today - timedelta(days=1)
    )
    assert _run(api_client(coordinator), ended, "expire").json()["state"] == "expired"


def test_terminate_needs_a_date_in_the_period_and_a_reason(api_client, coordinator):
    agreement = AgreementFactory(state="active")
    client = api_client(coordinator)
    url = f"/api/agreements/{agreement.pk}/terminate"
    outside = client.post(url, {"terminated_on": "2027-02-01", "reason": "Omorganisation"})
    assert outside.status_code == 422
    response = client.post(url, {"terminated_on": "2026-09-30", "reason": "Omorganisation"})
    assert response.status_code == 200
    assert response.json()["state"] == "terminated"
    assert response.json()["termination_reason"] == "Omorganisation"
    draft = AgreementFactory()
    refused = client.post(
        f"/api/agreements/{draft.pk}/terminate",
        {"terminated_on": "2026-09-30", "reason": "x"},
    )
    assert refused.status_code == 409
    assert refused.json()["allowed"] == ["signed", "active"]


def test_renew_makes_the_next_periods_draft_once(api_client, coordinator):
    agreement = AgreementFactory(state="active")
    client = api_client(coordinator)
    response = client.post(f"/api/agreements/{agreement.pk}/renew")
    assert response.status_code == 201
    renewal = response.json()
    assert (renewal["start_on"], renewal["end_on"], renewal["state"]) == (
        "2027-01-01",
        "2027-12-31",
        "draft",
    )
    assert renewal["renewed_from_id"] == agreement.pk
    again = client.post(f"/api/agreements/{agreement.pk}/renew")
    assert again.status_code == 409
    assert again.json()["code"] == "already_renewed"


def test_renew_from_expired_only_within_90_days(api_client, coordinator):
    today = timezone.localdate()
    recent = AgreementFactory(
        state="expired", start_on=today - timedelta(days=400), end_on=today - timedelta(days=90)
    )
    old = AgreementFactory(
        state="expired", start_on=today - timedelta(days=400), end_on=today - timedelta(days=91)
    )
    client = api_client(coordinator)
    assert client.post(f"/api/agreements/{recent.pk}/renew").status_code == 201
    response = client.post(f"/api/agreements/{old.pk}/renew")
    assert response.status_code == 409
    assert response.json()["code"] == "not_renewable"
    draft = AgreementFactory()
    assert client.post(f"/api/agreements/{draft.pk}/renew").status_code == 409


def test_list_filters(api_client, coordinator, hub):
    soon = AgreementFactory(hub=hub, principal=hub.principal, end_on=date(2026, 3, 31))
    AgreementFactory(hub=hub, principal=hub.principal, state="active")
    AgreementFactory()
    client = api_client(coordinator)
    assert client.get("/api/agreements").json()["count"] == 3
    assert client.get("/api/agreements", {"hub": hub.pk}).json()["count"] == 2
    assert client.get("/api/agreements", {"state": "active"}).json()["count"] == 1
    ending = client.get("/api/agreements", {"ending_before": "2026-06-01"}).json()
    assert [row["id"] for row in ending["items"]] == [soon.pk]
