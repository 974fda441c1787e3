"""Who may do what with hubs, through the API: every role × every action."""

import json

import pytest

from tests.factories import HubFactory, UserFactory

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
