"""The vote and minutes pages: casting and changing a vote, declaring a conflict, a forged POST
without a seat, the minutes with adjusting, and the start page's slot."""

import pytest
from django.utils import timezone

from governance.boards.decisions import decision_record
from governance.boards.minutes import minutes_adjusters_set
from governance.boards.models import Conflict, Vote
from tests.boards.helpers_decisions import matter_in, voting_matter

pytestmark = pytest.mark.django_db


def test_casting_and_changing_a_vote_on_the_page(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.owners[0])
    url = f"/boards/matters/{matter.pk}/vote/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-action="vote"' in page.content
    client.post(url, {"choice": "yes"})
    client.post(url, {"choice": "no", "reason": "Dyrt"})
    vote = Vote.objects.get(matter=matter)
    assert (vote.choice, vote.reason) == ("no", "Dyrt")
    assert "Ändra rösten" in client.get(url).content.decode()


def test_a_creative_board_member_sees_no_button_and_a_forged_post_gets_403(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.board_members[0])
    url = f"/boards/matters/{matter.pk}/vote/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-action="vote"' not in page.content
    assert client.post(url, {"choice": "yes"}).status_code == 403
    assert client_for(seated.outsider).get(url).status_code == 403
    assert not Vote.objects.exists()


def test_declaring_a_conflict_on_the_page(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.owners[1])
    client.post(f"/boards/matters/{matter.pk}/vote/conflict/", {"reason": "Part"})
    assert Conflict.objects.filter(matter=matter, seat=seated.owner_seats[1]).exists()
    assert "anmält jäv" in client.get(f"/boards/matters/{matter.pk}/vote/").content.decode()


def test_minutes_pages_and_adjusting(seated, client_for):
    decision = decision_record(
        actor=seated.principal,
        matter_id=matter_in(seated.owner_group, title="Lokaler").pk,
        outcome="adopted",
    )
    minutes = decision.minutes
    minutes_adjusters_set(
        actor=seated.principal,
        minutes_id=minutes.pk,
        user_ids=[seated.owners[0].pk, seated.owners[1].pk],
    )
    listing = client_for(seated.owners[2]).get(f"/boards/{seated.owner_group.pk}/minutes/")
    assert minutes.title in listing.content.decode()
    page = client_for(seated.owners[0]).get(f"/boards/minutes/{minutes.pk}/")
    assert "§1 Lokaler" in page.content.decode()
    assert "Justera protokollet" in page.content.decode()
    for owner in seated.owners[:2]:
        client_for(owner).post(f"/boards/minutes/{minutes.pk}/approve/")
    minutes.refresh_from_db()
    assert minutes.state == "approved"


def test_the_start_page_lists_votes_waiting_for_me(seated, client_for):
    matter = voting_matter(seated, now=timezone.now(), title="Avgifter 2027")
    assert "Avgifter 2027" in client_for(seated.owners[2]).get("/").content.decode()
    assert "Avgifter 2027" not in client_for(seated.board_members[2]).get("/").content.decode()
    assert matter
