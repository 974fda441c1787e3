"""Who may do what with organisations: every role × every action, through the API.

A hub role is held in the hub the organisation is principal of, unless the role says where:
"… of a member" is held in a hub where the organisation's people work, "… elsewhere" in a hub
that has nothing to do with the organisation."""

import json

import pytest

from tests.factories import (
    HubFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    valid_org_number,
)

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
    "principal_staff of a member",
    "principal_staff elsewhere",
]

# action: the roles allowed; everyone else signed in gets 403, anonymous gets 401.
ALLOWED = {
    "list": {"", *ROLES[2:]},
    "read": {"", *ROLES[2:]},
    # A principal registers the organisations that are to join its hub.
    "create": {
        "national_coordinator",
        "community_manager",
        *(r for r in ROLES[2:] if r.startswith("principal_staff")),
    },
    "update": {"national_coordinator", "principal_staff", "principal_staff of a member"},
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
    return client.post("/api/organisations/revalidate", content_type="application/json").status_code


def _user_for(role: str | None, organisation):
    if role is None:
        return None
    if not role:
        return UserFactory()
    if role == "national_coordinator":
        return UserFactory(roles=[role])
    if role == "principal_staff of a member":
        hub = HubFactory()
        member_staff = UserFactory(roles=[("community_manager", hub)])
        PersonFactory(user=member_staff, organisation=organisation)
        return UserFactory(roles=[("principal_staff", hub)])
    if role.endswith(" elsewhere"):
        return UserFactory(roles=[(role.split()[0], HubFactory())])
    return UserFactory(roles=[(role, HubFactory(principal=organisation))])


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_organisation_permission_matrix(client_for, role, action):
    organisation = OrganisationFactory()
    user = _user_for(role, organisation)
    status = _call(client_for(user), action, organisation)
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status == SUCCESS[action]
    else:
        assert status == 403
