"""The votes', decisions' and minutes' API: roles × actions, and the answers a client reads."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from governance.boards.decisions import decision_record
from governance.boards.models import Minutes, Vote
from governance.boards.voting import vote_cast
from tests.boards.helpers_decisions import matter_in, voting_matter

pytestmark = pytest.mark.django_db

ROLES = [
    None,
    "outsider",
    "owner",
    "substitute",
    "board_member",
    "principal",
    "community_manager",
    "coordinator",
]


def user_of(seated, role):
    from tests.factories import UserFactory

    return {
        None: None,
        "outsider": seated.outsider,
        "owner": seated.owners[1],
        "substitute": seated.substitute,
        "board_member": seated.board_members[1],
        "principal": seated.principal,
        "community_manager": seated.community_manager,
        "coordinator": UserFactory(roles=["national_coordinator"]),
    }[role]


def _open(seated):
    return voting_matter(seated, now=timezone.now())


ACTIONS = {
    "cast": (
        lambda s: _open(s),
        lambda m, s: ("post", f"/api/proposals/{m.pk}/votes", {"choice": "yes", "reason": ""}),
        {"owner", "substitute"},
    ),
    "conflict": (
        lambda s: _open(s),
        lambda m, s: ("post", f"/api/proposals/{m.pk}/conflicts", {"reason": "Part"}),
        {"owner", "substitute"},
    ),
    "result": (
        lambda s: _open(s),
        lambda m, s: ("get", f"/api/proposals/{m.pk}/result", None),
        {"owner", "substitute", "board_member", "principal", "community_manager", "coordinator"},
    ),
    "open": (
        lambda s: matter_in(s.owner_group),
        lambda m, s: (
            "post",
            f"/api/proposals/{m.pk}/vote",
            {"deadline": (timezone.now() + timedelta(days=3)).isoformat()},
        ),
        {"principal"},
    ),
    "extend": (
        lambda s: _open(s),
        lambda m, s: (
            "post",
            f"/api/proposals/{m.pk}/vote/extend",
            {"deadline": (timezone.now() + timedelta(days=30)).isoformat()},
        ),
        {"principal"},
    ),
    "decide": (
        lambda s: matter_in(s.owner_group),
        lambda m, s: ("post", f"/api/proposals/{m.pk}/decision", {"outcome": "adopted"}),
        {"principal"},
    ),
    "minutes": (
        lambda s: (
            decision_record(
                actor=s.principal, matter_id=matter_in(s.owner_group).pk, outcome="noted"
            ).minutes
        ),
        lambda m, s: ("get", f"/api/boards/{m.board_id}/minutes/{m.pk}", None),
        {"owner", "substitute", "board_member", "principal", "community_manager", "coordinator"},
    ),
    "adjusters": (
        lambda s: (
            decision_record(
                actor=s.principal, matter_id=matter_in(s.owner_group).pk, outcome="noted"
            ).minutes
        ),
        lambda m, s: (
            "post",
            f"/api/boards/{m.board_id}/minutes/{m.pk}/adjusters",
            {"user_ids": [s.owners[1].pk, s.owners[2].pk]},
        ),
        {"principal"},
    ),
}
OK = {"get": 200, "post": (200, 201)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_roles_by_actions(seated, api_client, role, action):
    build, request, allowed = ACTIONS[action]
    method, url, body = request(build(seated), seated)
    client = api_client(user_of(seated, role))
    response = client.get(url) if method == "get" else client.post(url, body)
    if role is None:
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code in ((200, 201) if method == "post" else (200,)), response.json()
    else:
        assert response.status_code in (403, 404), response.content


def test_casting_changing_and_the_result(seated, api_client):
    matter = _open(seated)
    client = api_client(seated.owners[0])
    assert client.post(f"/api/proposals/{matter.pk}/votes", {"choice": "yes"}).status_code == 200
    answer = client.post(
        f"/api/proposals/{matter.pk}/votes", {"choice": "no", "reason": "Dyrt"}
    ).json()
    assert (answer["choice"], answer["reason"]) == ("no", "Dyrt")
    assert answer["changed_at"]
    assert Vote.objects.filter(matter=matter).count() == 1
    result = client.get(f"/api/proposals/{matter.pk}/result").json()
    assert (result["no"], result["participating"], result["eligible"]) == (1, 1, 3)
    assert result["not_voted"] == ["Medlem 2", "Medlem 3"]
    refused = client.post(f"/api/proposals/{matter.pk}/votes", {"choice": "maybe"})
    assert refused.status_code == 422


def test_a_conflicted_seat_and_a_closed_vote_get_409(seated, api_client):
    matter = _open(seated)
    client = api_client(seated.owners[0])
    assert (
        client.post(f"/api/proposals/{matter.pk}/conflicts", {"reason": "Part"}).status_code == 201
    )
    answer = client.post(f"/api/proposals/{matter.pk}/votes", {"choice": "yes"})
    assert (answer.status_code, answer.json()["code"]) == (409, "conflict_declared")
    for owner in seated.owners[1:]:
        vote_cast(actor=owner, matter_id=matter.pk, choice="yes")
    principal = api_client(seated.principal)
    closed = principal.post(f"/api/proposals/{matter.pk}/vote/close", {"early": True})
    assert closed.json()["state"] == "adopted"
    late = api_client(seated.owners[1]).post(f"/api/proposals/{matter.pk}/votes", {"choice": "no"})
    assert late.status_code == 409


def test_hidden_results_show_participation_only(seated, api_client):
    seated.owner_group.results_visible_during_vote = False
    seated.owner_group.save()
    matter = _open(seated)
    vote_cast(actor=seated.owners[0], matter_id=matter.pk, choice="yes")
    seen = api_client(seated.owners[1]).get(f"/api/proposals/{matter.pk}/result").json()
    assert (seen["visible"], seen["yes"], seen["participating"]) == (False, None, 1)
    assert api_client(seated.principal).get(f"/api/proposals/{matter.pk}/result").json()["yes"] == 1


def test_decisions_minutes_approval_and_exports(seated, api_client):
    principal = api_client(seated.principal)
    matter = matter_in(seated.owner_group, title="Lokalfrågan")
    decision = principal.post(
        f"/api/proposals/{matter.pk}/decision", {"outcome": "adopted", "text": "Bifalls."}
    ).json()
    assert decision["reference"].endswith("§1")
    listed = api_client(seated.owners[0]).get("/api/decisions", {"board": seated.owner_group.pk})
    assert [d["id"] for d in listed.json()["items"]] == [decision["id"]]
    assert api_client(seated.outsider).get("/api/decisions").json()["items"] == []
    base = f"/api/boards/{seated.owner_group.pk}/minutes/{decision['minutes_id']}"
    principal.post(f"{base}/adjusters", {"user_ids": [seated.owners[0].pk, seated.owners[1].pk]})
    api_client(seated.owners[0]).post(f"{base}/approve")
    approved = api_client(seated.owners[1]).post(f"{base}/approve").json()
    assert approved["state"] == "approved"
    again = principal.post(f"/api/proposals/{matter.pk}/decision", {"outcome": "adopted"})
    assert again.status_code == 409
    docx = api_client(seated.owners[2]).get(f"{base}.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "§1 Lokalfrågan" in text
    rows = list(
        csv.reader(io.StringIO(principal.get(f"{base}/votes.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][0] == "Paragraf"
    assert Minutes.objects.get(pk=decision["minutes_id"]).state == "approved"
