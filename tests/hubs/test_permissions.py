"""Who may do what with hubs, through the API: every role × every action."""

import json

import pytest

from tests.factories import HubFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

COORDINATOR = "national_coordinator"
HUB_ROLES = [
    "principal_staff",
    "establishment_team",
    "community_manager",
    "owner_group_rep",
    "creative_board_rep",
]
# A role held in the hub acted on, in another hub, or a national one; None = not signed in.
ROLES = [
    None,
    "no role",
    COORDINATOR,
    *HUB_ROLES,
    "principal_staff elsewhere",
    "establishment_team elsewhere",
]
READERS = {"no role", COORDINATOR, *HUB_ROLES, *ROLES[-2:]}
HUB_WORKERS = {COORDINATOR, "principal_staff", "establishment_team"}

ALLOWED = {
    "overview": READERS,
    "list": READERS,
    "read": READERS,
    "read_transitions": READERS,
    "read_checklist": READERS,
    "create": {COORDINATOR},
    "update": HUB_WORKERS,
    "choose_principal": {COORDINATOR},
    "run_transition": {COORDINATOR},
    "tick_item": HUB_WORKERS,
    "waive_required_item": {COORDINATOR},
    "pull_items": {COORDINATOR},
    "readiness": HUB_WORKERS,
    "assign_role": {COORDINATOR},
}


def _json(client, method: str, url: str, body: dict | None = None) -> int:
    send = getattr(client, method)
    return send(url, json.dumps(body or {}), content_type="application/json").status_code


def _call(client, action: str, hub, user_id: int) -> tuple[int, int]:
    """Run the action; return (status, the status that means success)."""
    base = f"/api/hubs/{hub.pk}"
    optional = hub.checklist_items.filter(required=False).first().key
    required = hub.checklist_items.filter(required=True).first().key
    calls = {
        "overview": lambda: (client.get("/api/overview").status_code, 200),
        "list": lambda: (client.get("/api/hubs").status_code, 200),
        "read": lambda: (client.get(base).status_code, 200),
        "read_transitions": lambda: (client.get(f"{base}/transitions").status_code, 200),
        "read_checklist": lambda: (client.get(f"{base}/checklist").status_code, 200),
        "create": lambda: (
            _json(
                client,
                "post",
                "/api/hubs",
                {"name": "Gävle", "municipality": "Gävle", "county": "gavleborg"},
            ),
            201,
        ),
        "update": lambda: (_json(client, "patch", base, {"notes": "Möte bokat"}), 200),
        "choose_principal": lambda: (
            _json(client, "patch", base, {"principal_id": OrganisationFactory().pk}),
            200,
        ),
        "run_transition": lambda: (_json(client, "post", f"{base}/transitions/pause"), 200),
        "tick_item": lambda: (
            _json(client, "patch", f"{base}/checklist/{optional}", {"status": "done"}),
            200,
        ),
        "waive_required_item": lambda: (
            _json(
                client,
                "patch",
                f"{base}/checklist/{required}",
                {"status": "not_applicable", "not_applicable_reason": "Redan klart nationellt"},
            ),
            200,
        ),
        "pull_items": lambda: (
            _json(client, "post", f"{base}/checklist/pull", {"phase": "preparation"}),
            200,
        ),
        "readiness": lambda: (
            _json(
                client,
                "put",
                f"{base}/readiness",
                {"scores": [{"aspect": "premises", "score": 2, "note": "Två lokaler"}]},
            ),
            200,
        ),
        "assign_role": lambda: (
            _json(
                client, "post", f"{base}/people", {"user_id": user_id, "role": "establishment_team"}
            ),
            201,
        ),
    }
    return calls[action]()


def _user_for(role, hub):
    if role is None:
        return None
    if role == "no role":
        return UserFactory()
    if role == COORDINATOR:
        return UserFactory(roles=[COORDINATOR])
    if role.endswith(" elsewhere"):
        return UserFactory(roles=[(role.split()[0], HubFactory())])
    return UserFactory(roles=[(role, hub)])


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_hub_permission_matrix(client_for, hub_in, role, action):
    hub = hub_in("preparation")
    status, success = _call(client_for(_user_for(role, hub)), action, hub, UserFactory().pk)
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status == success
    else:
        assert status == 403


def test_a_refused_principal_choice_changes_nothing(client_for, hub_in):
    hub = hub_in("preparation")
    team_member = UserFactory(roles=[("establishment_team", hub)])
    before = hub.principal_id
    status = _json(
        client_for(team_member),
        "patch",
        f"/api/hubs/{hub.pk}",
        {"principal_id": OrganisationFactory().pk, "notes": "Ny huvudman"},
    )
    assert status == 403
    hub.refresh_from_db()
    assert (hub.principal_id, hub.notes) == (before, "")


def test_the_hub_workers_may_send_the_principal_it_already_has(client_for, hub_in):
    hub = hub_in("preparation")
    team_member = UserFactory(roles=[("establishment_team", hub)])
    body = {"principal_id": hub.principal_id, "notes": "Oförändrad huvudman"}
    assert _json(client_for(team_member), "patch", f"/api/hubs/{hub.pk}", body) == 200


PEOPLE_SEERS = {COORDINATOR, *HUB_ROLES}


@pytest.mark.parametrize("role", ROLES[1:])
def test_who_holds_the_roles_is_shown_to_the_coordinator_and_the_hubs_own_people(
    client_for, hub_in, coordinator, role
):
    hub = hub_in("preparation")
    team_member = UserFactory(roles=[("establishment_team", hub)])
    client = client_for(_user_for(role, hub))
    ticked = hub.checklist_items.filter(required=False).first()
    _json(
        client_for(team_member),
        "patch",
        f"/api/hubs/{hub.pk}/checklist/{ticked.key}",
        {"status": "done"},
    )
    _json(client_for(coordinator), "post", f"/api/hubs/{hub.pk}/transitions/pause")

    details = client.get(f"/api/hubs/{hub.pk}").json()
    checklist = client.get(f"/api/hubs/{hub.pk}/checklist").json()
    history = client.get(f"/api/hubs/{hub.pk}/transitions").json()["history"]

    assert "establishment_team" in details["filled_roles"]
    changed_by = {item["key"]: item["changed_by"] for item in checklist["items"]}
    if role in PEOPLE_SEERS:
        assert team_member.username in {person["username"] for person in details["people"]}
        assert changed_by[ticked.key] == team_member.username
        assert history[-1]["by"] == coordinator.username
    else:
        assert details["people"] is None
        assert team_member.username not in json.dumps([details, checklist, history])
        assert changed_by[ticked.key] is None
        assert history[-1]["by"] is None
