"""Meetings: calling them, the agenda, attendance, motions, the .ics parsed back and the
invitation read from the outbox."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from governance.boards.choices import Capacity, MatterState
from governance.boards.meetings import (
    agenda_add,
    agenda_remove,
    agenda_reorder,
    attendance_record,
    meeting_create,
    meeting_ics,
    meeting_invite,
    meeting_update,
    motion_record,
)
from governance.boards.models import Matter

STARTS = datetime(2026, 9, 10, 13, 0, tzinfo=UTC)


@pytest.fixture
def with_emails(seated):
    for n, user in enumerate(
        [*seated.owners, seated.substitute, *seated.board_members, seated.community_manager]
    ):
        user.email = f"person{n}@example.se"
        user.save()
    seated.principal.email = "huvudman@example.se"
    seated.principal.save()
    return seated


def meeting(seated, **fields):
    values = {"starts_at": STARTS, "ends_at": STARTS + timedelta(hours=2), "place": "Hubben"}
    return meeting_create(actor=seated.principal, board_id=seated.owner_group.pk, **values | fields)


def matter_of(board, author, state=MatterState.ROUTED, title="Ärende"):
    return Matter.objects.create(
        hub=board.hub,
        board=board,
        title=title,
        text="Text",
        origin="principal",
        kind="other",
        author=author,
        state=state,
    )


def test_only_principal_staff_call_meetings_with_a_place_or_link(seated):
    with pytest.raises(PermissionDenied):
        meeting_create(
            actor=seated.owners[0],
            board_id=seated.owner_group.pk,
            starts_at=STARTS,
            ends_at=STARTS + timedelta(hours=1),
            place="Hubben",
        )
    with pytest.raises(ValidationError) as refused:
        meeting(seated, place="")
    assert "place" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        meeting(seated, ends_at=STARTS)
    assert "ends_at" in refused.value.message_dict
    online = meeting(seated, place="", link="https://meet.example.se/agargrupp")
    assert online.link
    meeting_update(actor=seated.principal, meeting_id=online.pk, place="Rådhuset")
    with pytest.raises(ValidationError):
        meeting_update(actor=seated.principal, meeting_id=online.pk, place="", link="")


def test_the_agenda_takes_routed_matters_of_the_body_in_order(seated):
    called = meeting(seated)
    first = matter_of(seated.owner_group, seated.principal, title="Först")
    second = matter_of(seated.owner_group, seated.principal, MatterState.IN_REVIEW, "Sedan")
    agenda_add(actor=seated.principal, meeting_id=called.pk, matter_id=first.pk)
    agenda_add(actor=seated.principal, meeting_id=called.pk, matter_id=second.pk)
    assert Matter.objects.get(pk=first.pk).venue == "meeting"
    for wrong in (
        matter_of(seated.creative_board, seated.principal),
        matter_of(seated.owner_group, seated.principal, MatterState.DRAFT),
    ):
        with pytest.raises(ValidationError) as refused:
            agenda_add(actor=seated.principal, meeting_id=called.pk, matter_id=wrong.pk)
        assert "matter_id" in refused.value.message_dict
    agenda_reorder(actor=seated.principal, meeting_id=called.pk, matter_ids=[second.pk, first.pk])
    assert list(called.agenda.values_list("matter", "position")) == [(second.pk, 1), (first.pk, 2)]
    with pytest.raises(ValidationError):
        agenda_reorder(actor=seated.principal, meeting_id=called.pk, matter_ids=[first.pk])
    agenda_remove(actor=seated.principal, meeting_id=called.pk, matter_id=second.pk)
    assert list(called.agenda.values_list("matter", "position")) == [(first.pk, 1)]


def test_attendance_by_seat_holders_and_adjuncts_only(seated):
    called = meeting(seated)
    seat = seated.owner_seats[0]
    attendance_record(
        actor=seated.principal,
        meeting_id=called.pk,
        user_id=seated.substitute.pk,
        capacity=Capacity.SUBSTITUTE,
        seat_id=seat.pk,
    )
    with pytest.raises(ValidationError) as refused:  # the seat is present once
        attendance_record(
            actor=seated.principal,
            meeting_id=called.pk,
            user_id=seated.owners[0].pk,
            capacity=Capacity.REPRESENTATIVE,
            seat_id=seat.pk,
        )
    assert refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # not their seat
        attendance_record(
            actor=seated.principal,
            meeting_id=called.pk,
            user_id=seated.owners[1].pk,
            capacity=Capacity.REPRESENTATIVE,
            seat_id=seated.owner_seats[2].pk,
        )
    assert "user_id" in refused.value.message_dict
    attendance_record(
        actor=seated.principal,
        meeting_id=called.pk,
        user_id=seated.community_manager.pk,
        capacity=Capacity.ADJUNCT,
    )
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            actor=seated.principal,
            meeting_id=called.pk,
            user_id=seated.outsider.pk,
            capacity=Capacity.ADJUNCT,
        )
    assert "user_id" in refused.value.message_dict
    assert called.attendance.count() == 2


def test_motions_are_numbered_in_order(seated):
    matter = matter_of(seated.owner_group, seated.principal, MatterState.IN_REVIEW)
    first = motion_record(
        actor=seated.principal,
        matter_id=matter.pk,
        text="Bifall",
        moved_by="Medlem 1",
        seat_id=seated.owner_seats[0].pk,
    )
    second = motion_record(
        actor=seated.principal, matter_id=matter.pk, text="Avslag", moved_by="Medlem 2"
    )
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(PermissionDenied):
        motion_record(actor=seated.owners[0], matter_id=matter.pk, text="X", moved_by="Jag")


def test_the_ics_parses_back_with_uid_sequence_attendees_and_agenda(with_emails):
    seated = with_emails
    called = meeting(seated, link="https://meet.example.se/m")
    matter = matter_of(seated.owner_group, seated.principal, title="Budget 2027")
    agenda_add(actor=seated.principal, meeting_id=called.pk, matter_id=matter.pk)
    calendar = Calendar.from_ical(meeting_ics(called))
    assert calendar["method"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"board-meeting-{called.pk}@samverket"
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == STARTS
    assert str(event["location"]) == "Hubben"
    assert str(event["url"]) == "https://meet.example.se/m"
    assert "1. Budget 2027" in str(event["description"])
    assert str(event["organizer"]) == "mailto:huvudman@example.se"
    attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
    owner_group_people = [*seated.owners, seated.substitute, seated.community_manager]
    assert attendees == {u.email for u in owner_group_people}


def test_the_invitation_is_mailed_with_the_ics_and_a_resend_bumps_the_sequence(with_emails):
    seated = with_emails
    called = meeting(seated)
    assert meeting_invite(actor=seated.principal, meeting_id=called.pk).sent_to == 5
    (sent,) = mail.outbox
    assert set(sent.to) == {
        u.email for u in [*seated.owners, seated.substitute, seated.community_manager]
    }
    (name, content, mimetype) = sent.attachments[0]
    assert (name, mimetype) == ("kallelse.ics", "text/calendar")
    assert int(Calendar.from_ical(content).walk("VEVENT")[0]["sequence"]) == 0
    meeting_invite(actor=seated.principal, meeting_id=called.pk)
    called.refresh_from_db()
    assert called.invitation_sequence == 1
    assert called.invited_at <= timezone.now()
    assert (
        int(Calendar.from_ical(mail.outbox[1].attachments[0][1]).walk("VEVENT")[0]["sequence"]) == 1
    )


def test_meetings_through_the_api(with_emails, api_client):
    seated = with_emails
    client = api_client(seated.principal)
    board = seated.owner_group.pk
    answer = client.post(
        f"/api/boards/{board}/meetings",
        {"starts_at": STARTS.isoformat(), "ends_at": (STARTS + timedelta(hours=1)).isoformat()},
    )
    assert answer.status_code == 422
    assert "place" in str(answer.json())
    answer = client.post(
        f"/api/boards/{board}/meetings",
        {
            "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=1)).isoformat(),
            "place": "Hubben",
        },
    )
    assert answer.status_code == 201
    meeting_id = answer.json()["id"]
    matter = matter_of(seated.owner_group, seated.principal)
    assert (
        client.post(f"/api/meetings/{meeting_id}/agenda", {"matter_id": matter.pk}).status_code
        == 201
    )
    answer = api_client(seated.owners[0]).get(f"/api/boards/{board}/meetings")
    assert answer.json()[0]["agenda"][0]["matter_id"] == matter.pk
    ics = api_client(seated.owners[0]).get(f"/api/boards/{board}/meetings/{meeting_id}.ics")
    assert ics["Content-Type"] == "text/calendar"
    assert Calendar.from_ical(ics.content).walk("VEVENT")
    assert api_client(seated.outsider).get(f"/api/meetings/{meeting_id}").status_code == 403
    assert (
        api_client(seated.owners[0]).post(f"/api/meetings/{meeting_id}/invite").status_code == 403
    )
    assert client.post(f"/api/meetings/{meeting_id}/invite").json()["invited_at"]
    answer = client.post(
        f"/api/meetings/{meeting_id}/attendance",
        {"user_id": seated.community_manager.pk, "capacity": "adjunct"},
    )
    assert answer.status_code == 201
    answer = client.post(
        f"/api/meetings/{meeting_id}/motions/{matter.pk}",
        {"text": "Bifall", "moved_by": "Medlem 1"},
    )
    assert answer.status_code == 201
