"""Roles × actions for matters and meetings: who may read, raise, route, manage and note."""

import pytest

from governance.boards.models import Matter

ROLES = ["principal", "owner", "substitute", "board_member", "community_manager", "coordinator",
         "outsider"]  # fmt: skip

EXPECTED = {
    "boards.view_matter": {"principal", "owner", "substitute", "board_member",
                           "community_manager", "coordinator"},
    "boards.view_board": {"principal", "owner", "substitute", "board_member",
                          "community_manager", "coordinator"},
    "boards.create_matter": {"principal", "owner", "substitute", "board_member",
                             "community_manager", "coordinator"},
    "boards.route_matter": {"principal", "coordinator"},
    "boards.manage_matter": {"principal"},
    "boards.manage_meetings": {"principal"},
    "boards.add_progress_note": {"principal", "community_manager"},  # CM is the author here
    "boards.withdraw_matter": {"community_manager"},
}  # fmt: skip


def user_of(seated, coordinator, role):
    return {
        "principal": seated.principal,
        "owner": seated.owners[0],
        "substitute": seated.substitute,
        "board_member": seated.board_members[0],
        "community_manager": seated.community_manager,
        "coordinator": coordinator,
        "outsider": seated.outsider,
    }[role]


@pytest.mark.parametrize("permission", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(seated, coordinator, permission, role):
    matter = Matter.objects.create(
        hub=seated.hub,
        board=seated.owner_group,
        title="T",
        text="T",
        origin="community",
        kind="other",
        author=seated.community_manager,
    )
    target = seated.hub if permission == "boards.create_matter" else matter
    if permission in {"boards.view_board", "boards.manage_meetings"}:
        target = seated.owner_group
    user = user_of(seated, coordinator, role)
    assert user.has_perm(permission, target) is (role in EXPECTED[permission])
