"""Who may do what with organisations: every role × every action, through the API."""

import json

import pytest

from tests.factories import OrganisationFactory, UserFactory, valid_org_number

pytestmark = pytest.mark.django_db

ROLES = [
    None,
    "",
    "national_coordinator",
    "principal_staff",
    "establishment_team",
    "community_manager",
    "owner_group_rep",
    "creative_board_rep",
]

# action: the roles allowed; everyone else signed in gets 403, anonymous gets 401.
ALLOWED = {
    "list": {"", *ROLES[2:]},
    "read": {"", *ROLES[2:]},
    "create": {"national_coordinator", "principal_staff", "community_manager"},
    "update": {"national_coordinator", "principal_staff"},
    "revalidate": {"national_coordinator"},
}
SUCCESS = {"list": 200, "read": 200, "create": 201, "update": 200, "revalidate": 202}


def _call(client, action: str, organisation) -> int:
    if action == "list":
        return client.get("/api/organisations").status_code
    if action == "read":
        return client.get(f"/api/organisations/{organisation.pk}").status_code
    if action == "create":
        body = {"name": "Ny", "org_number": valid_org_number(990), "kind": "other"}
        return client.post(
            "/api/organisations", json.dumps(body), content_type="application/json"
        ).status_code
    if action == "update":
        return client.patch(
            f"/api/organisations/{organisation.pk}",
            json.dumps({"name": "Nytt namn"}),
            content_type="application/json",
        ).status_code
    return client.post("/api/organisations/revalidate").status_code


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_organisation_permission_matrix(client_for, role, action):
    organisation = OrganisationFactory()
    user = None if role is None else UserFactory(roles=[role] if role else [])
    status = _call(client_for(user), action, organisation)
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status == SUCCESS[action]
    else:
        assert status == 403
