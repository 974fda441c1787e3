"""Hub endpoints: bodies, errors, filters, and the overview's fixed number of queries."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.hubs.choices import ItemStatus
from governance.hubs.models import Hub, HubChecklistItem
from tests.factories import HubFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _send(client, method, url, body=None, **headers):
    return getattr(client, method)(
        url, json.dumps(body or {}), content_type="application/json", **headers
    )


def test_create_hub_and_read_it_back(client_for, coordinator):
    principal = OrganisationFactory(name="Luleå kommun")
    created = _send(
        client_for(coordinator),
        "post",
        "/api/hubs",
        {
            "name": "Samverket Luleå",
            "municipality": "Luleå",
            "county": "norrbotten",
            "principal_id": principal.pk,
            "preparation_planned_on": "2027-02-01",
        },
    )
    assert created.status_code == 201, created.content
    body = client_for(coordinator).get(f"/api/hubs/{created.json()['id']}").json()
    assert body["phase"] == "proposed"
    assert body["county_display"] == "Norrbottens län"
    assert body["principal"]["name"] == "Luleå kommun"
    assert body["preparation_planned_on"] == "2027-02-01"
    assert body["available_transitions"] == ["close", "start_preparation"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "municipality": "Gävle", "county": "gavleborg"}, "name"),
        ({"name": "Gävle", "municipality": "Gävle", "county": "gotham"}, "county"),
        ({"name": "Gävle", "municipality": "Gävle"}, "county"),
        (
            {"name": "Gävle", "municipality": "Gävle", "county": "gavleborg", "principal_id": 999},
            "principal_id",
        ),
        (
            {
                "name": "Gävle",
                "municipality": "Gävle",
                "county": "gavleborg",
                "preparation_planned_on": "2027-02-30",
            },
            "preparation_planned_on",
        ),
    ],
)
def test_create_hub_invalid_input_names_the_field(client_for, coordinator, body, field):
    response = _send(client_for(coordinator), "post", "/api/hubs", body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Hub.objects.exists()


def test_duplicate_hub_name_is_422(client_for, coordinator):
    HubFactory(name="Samverket Gävle")
    response = _send(
        client_for(coordinator),
        "post",
        "/api/hubs",
        {"name": "Samverket Gävle", "municipality": "Gävle", "county": "gavleborg"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_refused_transition_is_409_with_state_allowed_and_reasons(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    response = _send(client_for(coordinator), "post", f"/api/hubs/{hub.pk}/transitions/start_up")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["state"] == "preparation"
    assert sorted(body["allowed"]) == ["close", "pause"]
    # Required items, principal, premises at least contracted, community manager; a fee
    # schedule, a budget and a forecast whose need the budget's financing covers.
    assert len(body["unmet"]) == 7
    assert Hub.objects.get(pk=hub.pk).phase == "preparation"


def test_transition_from_the_wrong_state_is_409_without_reasons(client_for, coordinator):
    hub = HubFactory()
    response = _send(client_for(coordinator), "post", f"/api/hubs/{hub.pk}/transitions/resume")
    assert response.status_code == 409
    assert response.json()["state"] == "proposed"
    assert response.json()["unmet"] == []


def test_unknown_transition_is_404(client_for, coordinator):
    hub = HubFactory()
    response = _send(client_for(coordinator), "post", f"/api/hubs/{hub.pk}/transitions/explode")
    assert response.status_code == 404


def test_transitions_endpoint_shows_blocked_reasons_and_history(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    body = client_for(coordinator).get(f"/api/hubs/{hub.pk}/transitions").json()
    assert body["state"] == "preparation"
    assert {t["name"] for t in body["available"]} == {"pause", "close"}
    assert body["blocked"][0]["name"] == "start_up"
    assert len(body["blocked"][0]["unmet"]) == 7
    assert [entry["transition"] for entry in body["history"]] == ["start_preparation"]
    assert body["history"][0]["by"] == coordinator.username


def test_transitions_endpoint_shows_nothing_to_run_for_a_reader(client_for, hub_in):
    hub = hub_in("preparation")
    body = client_for(UserFactory()).get(f"/api/hubs/{hub.pk}/transitions").json()
    assert body["available"] == []
    assert body["blocked"] == []


def test_run_transition_with_comment(client_for, coordinator):
    hub = HubFactory()
    response = _send(
        client_for(coordinator),
        "post",
        f"/api/hubs/{hub.pk}/transitions/start_preparation",
        {"comment": "Styrgruppen sa ja"},
    )
    assert response.status_code == 200
    assert response.json()["state"] == "preparation"
    assert response.json()["history"][-1]["comment"] == "Styrgruppen sa ja"


def test_checklist_in_swedish_and_english(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    client = client_for(coordinator)
    swedish = client.get(f"/api/hubs/{hub.pk}/checklist").json()
    english = client.get(f"/api/hubs/{hub.pk}/checklist", HTTP_ACCEPT_LANGUAGE="en").json()
    first = hub.checklist_items.order_by("position").first()
    assert swedish["items"][0]["title"] == first.title_sv
    assert english["items"][0]["title"] == first.title_en
    assert swedish["progress"]["total"] == hub.checklist_items.count()
    assert swedish["phase"] == "preparation"


def test_checklist_target_date_counts_weeks_from_phase_start(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    item = hub.checklist_items.exclude(target_week=None).first()
    items = client_for(coordinator).get(f"/api/hubs/{hub.pk}/checklist").json()["items"]
    row = next(row for row in items if row["key"] == item.key)
    expected = hub.preparation_started_on + timedelta(weeks=item.target_week)
    assert row["target_date"] == expected.isoformat()


def test_patch_checklist_item_and_bad_status(client_for, hub_in):
    hub = hub_in("preparation")
    team = UserFactory(roles=[("establishment_team", hub)])
    key = hub.checklist_items.first().key
    client = client_for(team)
    ok = _send(client, "patch", f"/api/hubs/{hub.pk}/checklist/{key}", {"status": "done"})
    assert ok.status_code == 200
    assert ok.json()["changed_by"] == team.username
    bad = _send(client, "patch", f"/api/hubs/{hub.pk}/checklist/{key}", {"status": "finished"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"
    missing = _send(client, "patch", f"/api/hubs/{hub.pk}/checklist/nope", {"status": "done"})
    assert missing.status_code == 404
    assert HubChecklistItem.objects.get(hub=hub, key=key).status == ItemStatus.DONE


def test_not_applicable_without_reason_is_422_naming_the_field(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    key = hub.checklist_items.first().key
    response = _send(
        client_for(coordinator),
        "patch",
        f"/api/hubs/{hub.pk}/checklist/{key}",
        {"status": "not_applicable"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "not_applicable_reason"


def test_readiness_scores_are_0_to_3_and_shown_with_the_hub(client_for, coordinator):
    hub = HubFactory()
    client = client_for(coordinator)
    url = f"/api/hubs/{hub.pk}/readiness"
    too_high = _send(client, "put", url, {"scores": [{"aspect": "premises", "score": 4}]})
    assert too_high.status_code == 422
    assert too_high.json()["errors"][0]["field"] == "scores.0.score"
    response = _send(
        client,
        "put",
        url,
        {
            "scores": [
                {"aspect": "premises", "score": 2, "note": "Två lokaler"},
                {"aspect": "principal", "score": 3},
            ]
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["readiness"] == {
        "scores": {"relationships": None, "premises": 2, "people": None, "principal": 3},
        "total": 5,
        "max": 12,
    }
    detail = {row["aspect"]: row for row in body["readiness_detail"]}
    assert detail["premises"]["note"] == "Två lokaler"


def test_assign_and_remove_a_community_manager(client_for, coordinator):
    hub = HubFactory()
    cm = UserFactory()
    client = client_for(coordinator)
    added = _send(
        client,
        "post",
        f"/api/hubs/{hub.pk}/people",
        {"user_id": cm.pk, "role": "community_manager"},
    )
    assert added.status_code == 201
    person = added.json()["people"][0]
    assert (person["username"], person["role"]) == (cm.username, "community_manager")
    national = _send(
        client,
        "post",
        f"/api/hubs/{hub.pk}/people",
        {"user_id": cm.pk, "role": "national_coordinator"},
    )
    assert national.status_code == 422
    removed = client.delete(f"/api/hubs/{hub.pk}/people/{person['assignment_id']}")
    assert removed.status_code == 204
    assert client.get(f"/api/hubs/{hub.pk}").json()["people"] == []


def _hubs_at_different_stages(count: int) -> None:
    organisation = OrganisationFactory()
    for n in range(count):
        hub = HubFactory(principal=organisation)
        phase = ["proposed", "preparation", "startup", "operations"][n % 4]
        Hub.objects.filter(pk=hub.pk).update(
            phase=phase, phase_entered_on=timezone.localdate() - timedelta(days=40 * n)
        )
        HubChecklistItem.objects.bulk_create(
            HubChecklistItem(
                hub=hub,
                version_id=_version().pk,
                phase=phase,
                key=f"item-{i}",
                position=i,
                title_sv="Punkt",
                title_en="Item",
                description_sv="",
                description_en="",
                responsible_role="establishment_team",
                required=i % 2 == 0,
                playbook_ref="Etablering och finansering",
                status=ItemStatus.DONE if i < 3 else ItemStatus.OPEN,
            )
            for i in range(6)
        )


def _version():
    from governance.hubs.models import ChecklistVersion

    version, _ = ChecklistVersion.objects.get_or_create(
        phase="preparation", sha256="0" * 64, defaults={"source_file": "x", "items": []}
    )
    return version


def _overview_queries(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/overview")
    assert response.status_code == 200
    return len(queries), response.json()


def test_overview_runs_the_same_number_of_queries_for_5_and_200_hubs(client_for, coordinator):
    client = client_for(coordinator)
    _hubs_at_different_stages(5)
    at_5, body_5 = _overview_queries(client)
    _hubs_at_different_stages(195)
    at_200, body_200 = _overview_queries(client)
    assert len(body_5["hubs"]) == 5
    assert len(body_200["hubs"]) == 200
    assert at_5 == at_200


def test_overview_rows_carry_progress_time_and_next_steps(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    Hub.objects.filter(pk=hub.pk).update(
        phase_entered_on=timezone.localdate() - timedelta(days=200)
    )
    key = hub.checklist_items.filter(required=True).first().key
    _send(
        client_for(coordinator), "patch", f"/api/hubs/{hub.pk}/checklist/{key}", {"status": "done"}
    )
    body = client_for(coordinator).get("/api/overview").json()
    assert body["counts_by_phase"]["preparation"] == 1
    row = body["hubs"][0]
    required = hub.checklist_items.filter(required=True).count()
    assert row["checklist"] == {
        "required_done": 1,
        "required_total": required,
        "done": 1,
        "total": hub.checklist_items.count(),
    }
    assert row["days_in_phase"] == 200
    assert row["time_status"] == "at_risk"
    assert sorted(row["available_transitions"]) == ["close", "pause"]


def test_hub_list_filters_by_phase_county_and_time_status(client_for, coordinator):
    late = HubFactory(county="jamtland")
    fresh = HubFactory(county="norrbotten")
    Hub.objects.filter(pk=late.pk).update(
        phase="startup", phase_entered_on=timezone.localdate() - timedelta(days=400)
    )
    Hub.objects.filter(pk=fresh.pk).update(phase="preparation")
    client = client_for(coordinator)

    def names(query: str) -> list[int]:
        return [row["id"] for row in client.get(f"/api/hubs?{query}").json()["items"]]

    assert names("time_status=overdue") == [late.pk]
    assert names("time_status=on_track") == [fresh.pk]
    assert names("phase=startup") == [late.pk]
    assert names("county=norrbotten") == [fresh.pk]
    assert client.get("/api/hubs?time_status=late").status_code == 422
    assert client.get("/api/hubs?limit=1").json()["count"] == 2
    assert len(client.get("/api/hubs?limit=1").json()["items"]) == 1


def test_hub_detail_lists_everyone_with_a_role_in_it(client_for, coordinator):
    hub = HubFactory()
    for role in ["principal_staff", "establishment_team", "community_manager", "owner_group_rep"]:
        UserFactory(roles=[(role, hub)])
    UserFactory(roles=[("establishment_team", HubFactory())])
    people = client_for(coordinator).get(f"/api/hubs/{hub.pk}").json()["people"]
    # The owner-group representative holds a seat, not a stored role: the boards list them.
    assert sorted(person["role"] for person in people) == [
        "community_manager",
        "establishment_team",
        "principal_staff",
    ]


def test_refusal_reasons_in_english_name_the_items_in_english(client_for, coordinator, hub_in):
    hub = hub_in("preparation")
    response = _send(
        client_for(coordinator),
        "post",
        f"/api/hubs/{hub.pk}/transitions/start_up",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    first_open = hub.checklist_items.filter(required=True).order_by("position").first()
    unmet = response.json()["unmet"]
    required = hub.checklist_items.filter(required=True).count()
    assert unmet[0].startswith(f"{required} required items of the phase's checklist are not done")
    assert first_open.title_en in unmet[0]
    assert first_open.title_sv not in unmet[0]
    assert unmet[1] == "No principal organisation (huvudman) has been set for the hub."
