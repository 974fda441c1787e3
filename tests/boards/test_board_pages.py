"""The principal staff's forms on the boards' pages: opening a vote on the matter's page,
extending, closing early and recording votes on the vote's page, naming the minutes' adjusters,
the board page's holder select and links, and a meeting's agenda, attendance and invitation.
Each calls the service; a refusal is shown next to its form (200, never a 500); a user without
the permission sees no form and a forged POST gets 403."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from governance.boards.choices import MatterState
from governance.boards.decisions import decision_record
from governance.boards.minutes import minutes_adjusters_set, minutes_approve
from governance.boards.models import AgendaItem, Attendance, Matter, Meeting, SeatHolder, Vote
from tests.boards.helpers_decisions import matter_in, voting_matter
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


# --- 1. The matter's page ------------------------------------------------------------------


def test_principal_staff_open_a_vote_on_the_matter_page(seated, client_for):
    matter = matter_in(seated.owner_group, MatterState.ROUTED, title="Lokaler")
    client = client_for(seated.principal)
    url = f"/boards/matters/{matter.pk}/"
    page = client.get(url).content.decode()
    assert 'data-action="open-vote"' in page
    assert 'type="datetime-local"' in page
    deadline = timezone.now() + timedelta(days=5)
    response = client.post(
        f"{url}vote/open/", {"deadline": _local(deadline), "venue": "correspondence"}
    )
    assert response.status_code == 302
    assert response.url == f"/boards/matters/{matter.pk}/vote/"
    matter.refresh_from_db()
    assert matter.state == MatterState.VOTING
    assert matter.venue == "correspondence"
    page = client.get(url).content.decode()
    assert "Till omröstningen" in page
    assert f'href="/boards/matters/{matter.pk}/vote/"' in page
    assert 'data-action="open-vote"' not in page


def test_a_deadline_in_the_past_is_refused_next_to_the_form(seated, client_for):
    matter = matter_in(seated.owner_group, MatterState.IN_REVIEW)
    response = client_for(seated.principal).post(
        f"/boards/matters/{matter.pk}/vote/open/",
        {"deadline": _local(timezone.now() - timedelta(hours=1)), "venue": "meeting"},
    )
    assert response.status_code == 200
    assert "Sista svarsdag måste ligga i framtiden." in response.content.decode()
    assert Matter.objects.get(pk=matter.pk).state == MatterState.IN_REVIEW


def test_a_seat_holder_sees_no_open_vote_form_and_a_forged_post_gets_403(seated, client_for):
    matter = matter_in(seated.owner_group, MatterState.IN_REVIEW)
    client = client_for(seated.owners[0])
    page = client.get(f"/boards/matters/{matter.pk}/")
    assert page.status_code == 200
    assert b'data-action="open-vote"' not in page.content
    response = client.post(
        f"/boards/matters/{matter.pk}/vote/open/",
        {"deadline": _local(timezone.now() + timedelta(days=2)), "venue": "meeting"},
    )
    assert response.status_code == 403
    assert Matter.objects.get(pk=matter.pk).state == MatterState.IN_REVIEW


def test_a_decided_matter_links_its_paragraph_in_the_minutes(seated, client_for):
    matter = matter_in(seated.owner_group, title="Lokaler")
    decision = decision_record(actor=seated.principal, matter_id=matter.pk, outcome="adopted")
    page = client_for(seated.owners[1]).get(f"/boards/matters/{matter.pk}/").content.decode()
    assert f'href="/boards/minutes/{decision.minutes_id}/#p{decision.number}"' in page
    assert f"§{decision.number}" in page


# --- 2. The vote's page ----------------------------------------------------------------------


def test_principal_staff_extend_the_deadline(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.principal)
    url = f"/boards/matters/{matter.pk}/vote/"
    page = client.get(url).content.decode()
    for action in ("extend", "close", "record"):
        assert f'data-action="{action}"' in page
    later = matter.vote_deadline + timedelta(days=3)
    response = client.post(f"{url}extend/", {"deadline": _local(later)})
    assert response.status_code == 302
    assert _local(Matter.objects.get(pk=matter.pk).vote_deadline) == _local(later)
    earlier = client.post(f"{url}extend/", {"deadline": _local(timezone.now())})
    assert earlier.status_code == 200
    assert "måste ligga efter den nuvarande" in earlier.content.decode()


def test_closing_early_is_refused_on_the_page_until_every_seat_has_voted(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.principal)
    url = f"/boards/matters/{matter.pk}/vote/"
    refused = client.post(f"{url}close/")
    assert refused.status_code == 200
    assert "Alla platser har inte röstat" in refused.content.decode()
    for seat in seated.owner_seats:
        response = client.post(f"{url}record/", {"seat_id": seat.pk, "choice": "yes"})
        assert response.status_code == 302
    assert Vote.objects.filter(matter=matter).count() == 3
    assert client.post(f"{url}close/").status_code == 302
    matter.refresh_from_db()
    assert matter.vote_closed_at is not None
    assert matter.state == MatterState.ADOPTED


def test_recording_a_vote_needs_a_choice_and_a_seat_of_the_body(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.principal)
    response = client.post(
        f"/boards/matters/{matter.pk}/vote/record/",
        {"seat_id": seated.board_seats[0].pk, "choice": "yes"},
    )
    assert response.status_code == 200
    assert not Vote.objects.exists()


def test_a_seat_holder_sees_no_staff_forms_and_forged_posts_get_403(seated, client_for):
    matter = voting_matter(seated, now=timezone.now())
    client = client_for(seated.owners[0])
    url = f"/boards/matters/{matter.pk}/vote/"
    page = client.get(url).content.decode()
    for action in ("extend", "close", "record"):
        assert f'data-action="{action}"' not in page
    later = _local(matter.vote_deadline + timedelta(days=3))
    assert client.post(f"{url}extend/", {"deadline": later}).status_code == 403
    assert client.post(f"{url}close/").status_code == 403
    forged = {"seat_id": seated.owner_seats[1].pk, "choice": "no"}
    assert client.post(f"{url}record/", forged).status_code == 403
    assert not Vote.objects.exists()


# --- 3. The minutes' adjusters ---------------------------------------------------------------


def _minutes(seated):
    matter = matter_in(seated.owner_group, title="Lokaler")
    return decision_record(actor=seated.principal, matter_id=matter.pk, outcome="adopted").minutes


def test_principal_staff_name_the_adjusters_among_the_seat_holders(seated, client_for):
    minutes = _minutes(seated)
    client = client_for(seated.principal)
    url = f"/boards/minutes/{minutes.pk}/"
    page = client.get(url).content.decode()
    assert 'data-action="adjusters"' in page
    for person in [*seated.owners, seated.substitute]:
        assert person.get_full_name() in page
    assert seated.board_members[0].get_full_name() not in page
    chosen = [seated.owners[0].pk, seated.substitute.pk]
    response = client.post(f"{url}adjusters/", {"user_ids": chosen})
    assert response.status_code == 302
    assert sorted(minutes.adjusters.values_list("user_id", flat=True)) == sorted(chosen)


def test_one_adjuster_is_refused_next_to_the_form(seated, client_for):
    minutes = _minutes(seated)
    response = client_for(seated.principal).post(
        f"/boards/minutes/{minutes.pk}/adjusters/", {"user_ids": [seated.owners[0].pk]}
    )
    assert response.status_code == 200
    assert "Ange två olika justerare." in response.content.decode()
    assert not minutes.adjusters.exists()


def test_adjusting_begun_hides_the_form_and_a_late_post_is_refused(seated, client_for):
    minutes = _minutes(seated)
    minutes_adjusters_set(
        actor=seated.principal,
        minutes_id=minutes.pk,
        user_ids=[seated.owners[0].pk, seated.owners[1].pk],
    )
    minutes_approve(actor=seated.owners[0], minutes_id=minutes.pk)
    client = client_for(seated.principal)
    assert b'data-action="adjusters"' not in client.get(f"/boards/minutes/{minutes.pk}/").content
    response = client.post(
        f"/boards/minutes/{minutes.pk}/adjusters/",
        {"user_ids": [seated.owners[1].pk, seated.owners[2].pk]},
    )
    assert response.status_code == 200
    assert "Justeringen har börjat" in response.content.decode()


def test_a_seat_holder_sees_no_adjusters_form_and_a_forged_post_gets_403(seated, client_for):
    minutes = _minutes(seated)
    client = client_for(seated.owners[0])
    page = client.get(f"/boards/minutes/{minutes.pk}/")
    assert page.status_code == 200
    assert b'data-action="adjusters"' not in page.content
    response = client.post(
        f"/boards/minutes/{minutes.pk}/adjusters/",
        {"user_ids": [seated.owners[0].pk, seated.owners[1].pk]},
    )
    assert response.status_code == 403
    assert not minutes.adjusters.exists()


# --- 4. The board page -------------------------------------------------------------------------


def test_the_board_page_names_a_holder_from_the_organisations_people(seated, client_for):
    seat = seated.owner_seats[2]
    colleague = UserFactory(first_name="Greta", last_name="Garbo")
    PersonFactory(user=colleague, organisation=seat.organisation, title="Ekonomichef")
    stranger = UserFactory(first_name="Sven", last_name="Utomstående")
    PersonFactory(user=stranger, organisation=seated.organisations[0])
    client = client_for(seated.principal)
    page = client.get(f"/boards/{seated.owner_group.pk}/").content.decode()
    assert "Användarens id" not in page
    article = page[page.index(f'id="seat-{seat.pk}"') :]
    article = article[: article.index("</article>")]
    assert f'<option value="{colleague.pk}">Greta Garbo, Ekonomichef</option>' in article
    assert "Sven Utomstående" not in article
    for name in ("matters", "meetings", "minutes"):
        assert f'href="/boards/{seated.owner_group.pk}/{name}/"' in page
    assert f'href="/boards/hubs/{seated.hub.pk}/matters/new/"' in page
    response = client.post(
        f"/boards/{seated.owner_group.pk}/seats/{seat.pk}/holders/",
        {"user_id": colleague.pk, "kind": "substitute", "title": "Ekonomichef"},
    )
    assert response.status_code == 302
    assert SeatHolder.objects.filter(seat=seat, user=colleague, to_on__isnull=True).exists()


def test_a_seat_holder_sees_the_links_but_no_holder_select(seated, client_for):
    page = client_for(seated.owners[0]).get(f"/boards/{seated.owner_group.pk}/").content.decode()
    assert 'name="user_id"' not in page
    assert f'href="/boards/{seated.owner_group.pk}/minutes/"' in page


def test_the_matters_list_links_back_to_the_board_page(seated, client_for):
    page = client_for(seated.owners[0]).get(f"/boards/{seated.owner_group.pk}/matters/")
    assert f'href="/boards/{seated.owner_group.pk}/"' in page.content.decode()


# --- 5. The meeting's page ---------------------------------------------------------------------


def _meeting(seated) -> Meeting:
    starts = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        board=seated.owner_group,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Kommunhuset",
        convened_by=seated.principal,
    )


def test_principal_staff_add_a_matter_to_the_agenda(seated, client_for):
    meeting = _meeting(seated)
    routed = matter_in(seated.owner_group, MatterState.ROUTED, title="Budget 2027")
    other_body = matter_in(seated.creative_board, MatterState.ROUTED, title="Annat organ")
    draft = matter_in(seated.owner_group, MatterState.DRAFT, title="Ett utkast")
    client = client_for(seated.principal)
    url = f"/boards/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    assert "Budget 2027" in page
    assert "Annat organ" not in page
    assert "Ett utkast" not in page
    assert client.post(f"{url}agenda/", {"matter_id": routed.pk}).status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, matter=routed, position=1).exists()
    for refused in (other_body, draft):
        response = client.post(f"{url}agenda/", {"matter_id": refused.pk})
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert meeting.agenda.count() == 1


def test_principal_staff_record_attendance_by_seat_or_as_adjunct(seated, client_for):
    meeting = _meeting(seated)
    client = client_for(seated.principal)
    url = f"/boards/meetings/{meeting.pk}/attendance/"
    seat = seated.owner_seats[0]
    page = client.get(f"/boards/meetings/{meeting.pk}/").content.decode()
    assert f'value="representative:{seat.pk}:{seated.owners[0].pk}"' in page
    assert f'value="adjunct::{seated.community_manager.pk}"' in page
    for value in (
        f"substitute:{seat.pk}:{seated.substitute.pk}",
        f"adjunct::{seated.community_manager.pk}",
    ):
        assert client.post(url, {"attendee": value}).status_code == 302
    assert Attendance.objects.filter(meeting=meeting, seat=seat, capacity="substitute").exists()
    assert Attendance.objects.filter(
        meeting=meeting, user=seated.community_manager, capacity="adjunct"
    ).exists()
    # A value the select does not offer is refused on the form, never a 500.
    forged = client.post(url, {"attendee": f"representative:{seat.pk}:{seated.owners[1].pk}"})
    assert forged.status_code == 200
    assert "error-summary" in forged.content.decode()
    assert meeting.attendance.count() == 2


def test_principal_staff_send_the_invitation(seated, client_for):
    for n, person in enumerate([*seated.owners, seated.substitute, seated.community_manager]):
        person.email = f"person{n}@example.se"
        person.save()
    meeting = _meeting(seated)
    client = client_for(seated.principal)
    response = client.post(f"/boards/meetings/{meeting.pk}/invite/")
    assert response.status_code == 302
    (sent,) = mail.outbox
    assert len(sent.to) == 5
    assert sent.attachments[0][0] == "kallelse.ics"
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    assert "Skicka kallelsen igen" in client.get(f"/boards/meetings/{meeting.pk}/").content.decode()


def test_a_seat_holder_sees_no_meeting_forms_and_forged_posts_get_403(seated, client_for):
    meeting = _meeting(seated)
    routed = matter_in(seated.owner_group, MatterState.ROUTED)
    client = client_for(seated.owners[0])
    url = f"/boards/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    for action in ("agenda-add", "attendance", "invite"):
        assert f'data-action="{action}"' not in page
    assert client.post(f"{url}agenda/", {"matter_id": routed.pk}).status_code == 403
    value = f"representative:{seated.owner_seats[0].pk}:{seated.owners[0].pk}"
    assert client.post(f"{url}attendance/", {"attendee": value}).status_code == 403
    assert client.post(f"{url}invite/").status_code == 403
    assert not meeting.agenda.exists()
    assert not meeting.attendance.exists()
    assert mail.outbox == []


# --- 6. Calling a meeting, striking from the agenda, motions, to whom the invitation went -------


def test_principal_staff_call_a_meeting_and_land_on_its_page(seated, client_for):
    client = client_for(seated.principal)
    url = f"/boards/{seated.owner_group.pk}/meetings/"
    assert 'data-action="meeting-create"' in client.get(url).content.decode()
    starts = timezone.now() + timedelta(days=10)
    response = client.post(
        f"{url}new/",
        {
            "starts_at": _local(starts),
            "ends_at": _local(starts + timedelta(hours=2)),
            "place": "Kommunhuset",
            "link": "",
        },
    )
    created = Meeting.objects.get(board=seated.owner_group)
    assert response.status_code == 302
    assert response["Location"] == f"/boards/meetings/{created.pk}/"
    assert created.place == "Kommunhuset"
    assert created.convened_by == seated.principal


def test_a_meeting_without_place_or_link_or_ending_first_is_refused_on_the_form(seated, client_for):
    client = client_for(seated.principal)
    url = f"/boards/{seated.owner_group.pk}/meetings/new/"
    starts = timezone.now() + timedelta(days=10)
    for ends, place in ((starts + timedelta(hours=1), ""), (starts - timedelta(hours=1), "Hubben")):
        response = client.post(
            url, {"starts_at": _local(starts), "ends_at": _local(ends), "place": place}
        )
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_seat_holder_sees_no_call_form_and_a_forged_post_gets_403(seated, client_for):
    client = client_for(seated.owners[0])
    url = f"/boards/{seated.owner_group.pk}/meetings/"
    assert 'data-action="meeting-create"' not in client.get(url).content.decode()
    starts = timezone.now() + timedelta(days=10)
    forged = {
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=1)),
        "place": "Hubben",
    }
    assert client.post(f"{url}new/", forged).status_code == 403
    assert not Meeting.objects.exists()


def test_principal_staff_strike_a_matter_from_the_agenda(seated, client_for):
    meeting = _meeting(seated)
    first = matter_in(seated.owner_group, MatterState.ROUTED, title="Budget 2027")
    second = matter_in(seated.owner_group, MatterState.ROUTED, title="Lokaler")
    for n, matter in enumerate((first, second), start=1):
        AgendaItem.objects.create(meeting=meeting, matter=matter, position=n)
    client = client_for(seated.principal)
    url = f"/boards/meetings/{meeting.pk}/"
    assert 'data-action="agenda-remove"' in client.get(url).content.decode()
    assert client.post(f"{url}agenda/remove/", {"matter_id": first.pk}).status_code == 302
    assert list(meeting.agenda.values_list("matter", "position")) == [(second.pk, 1)]
    refused = client.post(f"{url}agenda/remove/", {"matter_id": first.pk})
    assert refused.status_code == 200
    assert "Ärendet står inte på dagordningen." in refused.content.decode()


def test_principal_staff_record_motions_listed_per_agenda_matter(seated, client_for):
    meeting = _meeting(seated)
    budget = matter_in(seated.owner_group, MatterState.ROUTED, title="Budget 2027")
    elsewhere = matter_in(seated.owner_group, MatterState.ROUTED, title="Inte på dagordningen")
    AgendaItem.objects.create(meeting=meeting, matter=budget, position=1)
    client = client_for(seated.principal)
    url = f"/boards/meetings/{meeting.pk}/"
    seat = seated.owner_seats[1]
    motion = {
        "matter_id": budget.pk,
        "text": "Att anta budgeten med en ändring",
        "moved_by": "Anna Andersson",
        "seat_id": seat.pk,
    }
    assert client.post(f"{url}motions/", motion).status_code == 302
    assert (
        client.post(f"{url}motions/", {**motion, "text": "Avslag", "seat_id": ""}).status_code
        == 302
    )
    assert list(budget.motions.values_list("position", "text", "seat")) == [
        (1, "Att anta budgeten med en ändring", seat.pk),
        (2, "Avslag", None),
    ]
    page = client.get(url).content.decode()
    assert "Att anta budgeten med en ändring" in page
    assert "Anna Andersson" in page
    assert seat.organisation.name in page
    # A matter not on the agenda, or no text, is refused on the form, never a 500.
    for refused in ({**motion, "matter_id": elsewhere.pk}, {**motion, "text": ""}):
        response = client.post(f"{url}motions/", refused)
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert not elsewhere.motions.exists()


def test_a_motion_on_a_decided_matter_is_refused_next_to_the_form(seated, client_for):
    meeting = _meeting(seated)
    matter = matter_in(seated.owner_group, MatterState.ROUTED, title="Budget 2027")
    AgendaItem.objects.create(meeting=meeting, matter=matter, position=1)
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.ADOPTED)
    client = client_for(seated.principal)
    response = client.post(
        f"/boards/meetings/{meeting.pk}/motions/",
        {"matter_id": matter.pk, "text": "Bifall", "moved_by": "Anna"},
    )
    assert response.status_code == 200
    assert "Yrkanden görs bara på ärenden som ska beslutas." in response.content.decode()
    assert not matter.motions.exists()


def test_a_seat_holder_sees_no_strike_or_motion_form_and_forged_posts_get_403(seated, client_for):
    meeting = _meeting(seated)
    matter = matter_in(seated.owner_group, MatterState.ROUTED)
    AgendaItem.objects.create(meeting=meeting, matter=matter, position=1)
    client = client_for(seated.owners[0])
    url = f"/boards/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    for action in ("agenda-remove", "motion"):
        assert f'data-action="{action}"' not in page
    assert client.post(f"{url}agenda/remove/", {"matter_id": matter.pk}).status_code == 403
    motion = {"matter_id": matter.pk, "text": "Bifall", "moved_by": "Anna"}
    assert client.post(f"{url}motions/", motion).status_code == 403
    assert meeting.agenda.count() == 1
    assert not matter.motions.exists()


def test_the_invitation_says_to_how_many_it_went_or_that_nobody_got_it(seated, client_for):
    meeting = _meeting(seated)
    client = client_for(seated.principal)
    url = f"/boards/meetings/{meeting.pk}/invite/"
    page = client.post(url, follow=True).content.decode()
    assert "Kallelsen gick inte ut till någon" in page
    assert "Kallelsen är skickad" not in page
    assert mail.outbox == []
    for n, person in enumerate([seated.owners[0], seated.community_manager]):
        person.email = f"person{n}@example.se"
        person.save()
    page = client.post(url, follow=True).content.decode()
    assert "Kallelsen är skickad till 2 personer." in page
    (sent,) = mail.outbox
    assert len(sent.to) == 2
