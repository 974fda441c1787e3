"""The matters' and meetings' pages with the Django test client."""

from datetime import UTC, datetime, timedelta

from governance.boards.choices import MatterState
from governance.boards.models import Matter, Meeting


def signed_in(client, user):
    client.force_login(user)
    return client


def test_raise_a_matter_see_it_by_state_and_submit_it(seated, client):
    signed_in(client, seated.community_manager)
    page = client.get(f"/boards/hubs/{seated.hub.pk}/matters/new/")
    assert page.status_code == 200
    assert b'value="principal"' not in page.content
    answer = client.post(
        f"/boards/hubs/{seated.hub.pk}/matters/new/",
        {
            "title": "Kodkväll",
            "text": "Varje torsdag",
            "origin": "community",
            "kind": "collaboration",
            "addressed_body": "creative_board",
            "budget_impact": 0,
        },
    )
    matter = Matter.objects.get(title="Kodkväll")
    assert answer.status_code == 302
    page = client.get(f"/boards/matters/{matter.pk}/")
    assert "Kodkväll" in page.content.decode()
    assert "Lämna in" in page.content.decode()
    client.post(f"/boards/matters/{matter.pk}/transitions/submit/")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.SUBMITTED
    Matter.objects.filter(pk=matter.pk).update(board=seated.creative_board)
    listing = client.get(f"/boards/{seated.creative_board.pk}/matters/")
    assert "Kodkväll" in listing.content.decode()


def test_outsiders_see_nothing(seated, client):
    signed_in(client, seated.outsider)
    assert client.get(f"/boards/{seated.owner_group.pk}/matters/").status_code == 403
    assert client.get(f"/boards/hubs/{seated.hub.pk}/matters/new/").status_code == 403
    assert client.get(f"/boards/{seated.owner_group.pk}/meetings/").status_code == 403


def test_meetings_show_the_agenda_and_the_ics_link(seated, client):
    starts = datetime(2026, 10, 1, 9, tzinfo=UTC)
    meeting = Meeting.objects.create(
        board=seated.owner_group,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Hubben",
        convened_by=seated.principal,
    )
    signed_in(client, seated.owners[0])
    listing = client.get(f"/boards/{seated.owner_group.pk}/meetings/")
    assert f"/boards/meetings/{meeting.pk}/" in listing.content.decode()
    page = client.get(f"/boards/meetings/{meeting.pk}/")
    assert f"/meetings/{meeting.pk}.ics" in page.content.decode()
