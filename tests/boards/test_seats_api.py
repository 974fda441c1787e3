"""The seats API and who may use it: roles × actions (issue 13 part "seats")."""

import pytest

from governance.boards.models import SeatHolder
from tests.factories import HubFactory, PersonFactory, UserFactory


def _people(seated):
    return {
        "coordinator": UserFactory(roles=["national_coordinator"]),
        "principal": seated.principal,
        "other_principal": UserFactory(roles=[("principal_staff", HubFactory())]),
        "community_manager": seated.community_manager,
        "representative": seated.owners[0],
        "substitute": seated.substitute,
        "outsider": seated.outsider,
    }


READERS = {"coordinator", "principal", "community_manager", "representative", "substitute"}
MANAGERS = {"coordinator", "principal"}


@pytest.mark.parametrize(
    "who",
    [
        "coordinator",
        "principal",
        "other_principal",
        "community_manager",
        "representative",
        "substitute",
        "outsider",
    ],
)
def test_the_permission_matrix(seated, api_client, who):
    user = _people(seated)[who]
    client = api_client(user)
    board = seated.owner_group
    read = client.get(f"/api/boards/{board.pk}/seats")
    assert read.status_code == (200 if who in READERS else 403)
    assert client.get(f"/api/hubs/{seated.hub.pk}/boards").status_code == read.status_code
    patched = client.patch(f"/api/boards/{board.pk}", {"quorum_percent": 60})
    assert patched.status_code == (200 if who in MANAGERS else 403)
    holder = SeatHolder.objects.filter(seat=seated.owner_seats[2]).first()
    ended = client.post(f"/api/boards/{board.pk}/holders/{holder.pk}/end", {})
    assert ended.status_code == (200 if who in MANAGERS else 403)


def test_anonymous_gets_401(seated, api_client):
    assert api_client(None).get(f"/api/boards/{seated.owner_group.pk}/seats").status_code == 401


def test_boards_of_a_hub_with_settings_and_counts(seated, api_client):
    bodies = api_client(seated.principal).get(f"/api/hubs/{seated.hub.pk}/boards").json()
    assert [b["body"] for b in bodies] == ["owner_group", "creative_board"]
    assert bodies[0]["open_seats"] == 3
    assert bodies[0]["represented_seats"] == 3
    assert bodies[0]["quorum_percent"] == 50


def test_naming_a_holder_and_the_community_notice(seated, api_client):
    board = seated.creative_board
    seat = seated.board_seats[0]
    colleague = UserFactory()
    PersonFactory(user=colleague, organisation=seat.organisation)
    client = api_client(seated.principal)
    created = client.post(
        f"/api/boards/{board.pk}/seats/{seat.pk}/holders",
        {"user_id": colleague.pk, "kind": "substitute", "title": "Strateg"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["hub_member"] is False  # not an individual member: a notice
    stranger = client.post(
        f"/api/boards/{board.pk}/seats/{seat.pk}/holders",
        {"user_id": seated.outsider.pk, "kind": "substitute", "title": "Strateg"},
    )
    assert stranger.status_code == 422
    assert "user_id" in stranger.content.decode()
    twice = client.post(
        f"/api/boards/{board.pk}/seats/{seat.pk}/holders",
        {"user_id": colleague.pk, "kind": "representative", "title": "Strateg"},
    )
    assert twice.status_code == 409


def test_history_includes_ended_holdings(seated, api_client):
    client = api_client(seated.principal)
    board = seated.owner_group
    holder = SeatHolder.objects.filter(seat=seated.owner_seats[1]).first()
    client.post(f"/api/boards/{board.pk}/holders/{holder.pk}/end", {"to_on": "2026-02-01"})
    now = client.get(f"/api/boards/{board.pk}/seats").json()
    assert all(h["id"] != holder.pk for seat in now for h in seat["holders"])
    past = client.get(f"/api/boards/{board.pk}/seats", {"history": "true"}).json()
    assert any(h["id"] == holder.pk for seat in past for h in seat["holders"])


def test_bad_settings_are_422_naming_the_field(seated, api_client):
    response = api_client(seated.principal).patch(
        f"/api/boards/{seated.owner_group.pk}", {"quorum_percent": 100}
    )
    assert response.status_code == 422
    assert "quorum_percent" in response.content.decode()


def test_me_lists_the_board_roles_a_seat_gives(seated, api_client):
    roles = api_client(seated.owners[0]).get("/api/me").json()["roles"]
    assert [(row["role"], row["hub_id"]) for row in roles] == [("owner_group_rep", seated.hub.pk)]
    roles = api_client(seated.principal).get("/api/me").json()["roles"]
    assert [row["role"] for row in roles] == ["principal_staff"]
