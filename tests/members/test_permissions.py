"""Who may do what with members, through the API: roles × actions. The hub's CM manages its
members; the coordinator too; the hub's principal staff read; a member reads their own and
downloads their own data; everyone else 403, anonymous 401."""

import pytest

from tests.factories import HubFactory, PersonFactory, UserFactory
from tests.members.conftest import ANSWERS, register, walk

pytestmark = pytest.mark.django_db

COORDINATOR = "national_coordinator"
ROLES = [
    None,
    "no role",
    COORDINATOR,
    "community_manager",
    "principal_staff",
    "establishment_team",
    "owner_group_rep",
    "community_manager elsewhere",
    "principal_staff elsewhere",
    "the member",
    "employee of the member's organisation",
]
MANAGERS = {COORDINATOR, "community_manager"}
READERS = MANAGERS | {"principal_staff", "the member"}
ALLOWED = {
    "list": MANAGERS
    | {"principal_staff", "community_manager elsewhere", "principal_staff elsewhere"},
    "read": READERS,
    "read_transitions": READERS,
    "read_onboarding": READERS,
    "create": MANAGERS,
    "run_transition": MANAGERS,
    "change_onboarding": MANAGERS,
    "export": MANAGERS | {"the member"},
}


def _user_for(role, hub, member):
    if role is None:
        return None
    if role == "no role":
        return UserFactory()
    if role == COORDINATOR:
        return UserFactory(roles=[COORDINATOR])
    if role == "the member":
        return member.user
    if role == "employee of the member's organisation":
        return PersonFactory(organisation=member.organisation).user
    if role.endswith(" elsewhere"):
        return UserFactory(roles=[(role.split()[0], HubFactory())])
    return UserFactory(roles=[(role, hub)])


def _call(client, action: str, member, hub, employer) -> tuple[int, int]:
    base = f"/api/members/{member.pk}"
    calls = {
        "list": lambda: (client.get("/api/members").status_code, 200),
        "read": lambda: (client.get(base).status_code, 200),
        "read_transitions": lambda: (client.get(f"{base}/transitions").status_code, 200),
        "read_onboarding": lambda: (client.get(f"{base}/onboarding").status_code, 200),
        "create": lambda: (
            client.post(
                "/api/members",
                {
                    "hub_id": hub.pk,
                    "org_number": employer.org_number_display,
                    "name": "Ny Person",
                    "email": "ny@example.se",
                    **ANSWERS,
                },
            ).status_code,
            201,
        ),
        "run_transition": lambda: (client.post(f"{base}/transitions/leave").status_code, 200),
        "change_onboarding": lambda: (
            client.patch(f"{base}/onboarding/name_tag", {"done": True}).status_code,
            200,
        ),
        "export": lambda: (client.get(f"{base}/personal-data").status_code, 200),
    }
    return calls[action]()


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(api_client, hub, employer, agreement, role, action):
    cm = UserFactory(roles=[("community_manager", hub)])
    member = walk(cm, register(cm, hub, employer), "approve")
    member.user = UserFactory()
    member.save(update_fields=["user"])
    user = _user_for(role, hub, member)
    status, success = _call(api_client(user), action, member, hub, employer)
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status == success
    else:
        assert status == 403
