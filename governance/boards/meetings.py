"""Meetings of a body: calling them, the agenda (dagordning), attendance, motions (yrkanden)
and the iCalendar invitation, each write checked against rules.py and audited.

Playbook "Förvaltningsorganisation för de enskilda hubbarna": the principal is responsible for
"strategisk processledning (facilitering av ägargruppen och creative boarden)": its staff call
the meetings. "Organisation och ägarskap": the community manager takes part without a vote.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.audit.services import audit_changes, audit_record
from governance.boards.choices import Capacity, MatterState, Venue
from governance.boards.models import AgendaItem, Attendance, Board, Matter, Meeting, Motion, Seat
from governance.boards.notifications import addresses, community_managers, recipients
from governance.boards.rules import COMMUNITY_MANAGER, PRINCIPAL_STAFF
from governance.boards.selectors import current_holdings
from governance.organisations import roles
from governance.permissions import require_permission
from governance.writes import model_create, model_update

MEETING_FIELDS = ["starts_at", "ends_at", "place", "link"]
AGENDA_STATES = (MatterState.ROUTED, MatterState.IN_REVIEW)
MOTION_STATES = (MatterState.ROUTED, MatterState.IN_REVIEW, MatterState.VOTING)


def _place_or_link(meeting: Meeting) -> None:
    if not (meeting.place.strip() or meeting.link.strip()):
        raise ValidationError({"place": _("Ange en plats eller en länk till mötet.")})


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    board_id: int,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    link: str = "",
) -> Meeting:
    """Call a meeting of the body (the hub's principal staff): when, and a place or a link."""
    board = Board.objects.filter(pk=board_id).first()
    if board is None:
        raise ValidationError({"board_id": _("Det finns inget organ med detta id.")})
    require_permission(actor, "boards.manage_meetings", board)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjat.")})
    if not (place.strip() or link.strip()):
        raise ValidationError({"place": _("Ange en plats eller en länk till mötet.")})
    meeting, changes = model_create(
        Meeting,
        data={
            "board": board.pk,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "link": link,
            "convened_by": actor.pk,
        },
        fields=[*MEETING_FIELDS, "board", "convened_by"],
    )
    audit_changes(actor=actor, verb="created", target=meeting, changes=changes)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting_id: int, **fields: Any) -> Meeting:
    """Change when or where; a sent invitation goes out again with a higher SEQUENCE on the
    next ``meeting_invite``."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    starts_at = fields.get("starts_at", meeting.starts_at)
    ends_at = fields.get("ends_at", meeting.ends_at)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjat.")})
    changes = model_update(meeting, data=fields, fields=MEETING_FIELDS)
    _place_or_link(meeting)
    audit_changes(actor=actor, verb="updated", target=meeting, changes=changes)
    return meeting


def agenda_append(*, actor: User | None, meeting: Meeting, matter: Matter) -> AgendaItem:
    """Put the matter last on the agenda (inside the caller's transaction; no permission check:
    the caller's). Already there: the item it has."""
    existing = AgendaItem.objects.filter(meeting=meeting, matter=matter).first()
    if existing:
        return existing
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(meeting=meeting, matter=matter, position=last + 1)
    if not matter.venue:
        Matter.objects.filter(pk=matter.pk).update(venue=Venue.MEETING)
        matter.venue = Venue.MEETING
    audit_record(
        actor=actor,
        verb="agenda_added",
        target=meeting,
        after={"matter": matter.pk, "position": item.position},
    )
    return item


@transaction.atomic
def agenda_add(*, actor: User, meeting_id: int, matter_id: int) -> AgendaItem:
    """Put a routed matter (or one under review) of the same body on the agenda."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    matter = Matter.objects.filter(pk=matter_id).first()
    if matter is None or matter.board_id != meeting.board_id:
        raise ValidationError({"matter_id": _("Ärendet hör inte till detta organ.")})
    if matter.state not in AGENDA_STATES:
        raise ValidationError(
            {"matter_id": _("Bara fördelade ärenden och ärenden under beredning tas upp.")}
        )
    return agenda_append(actor=actor, meeting=meeting, matter=matter)


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    # Two steps: the positions are unique per meeting at every moment.
    offset = len(items) + (meeting.agenda.aggregate(last=Max("position"))["last"] or 0)
    for index, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=offset + index)
    for index, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=index)
        item.position = index


@transaction.atomic
def agenda_remove(*, actor: User, meeting_id: int, matter_id: int) -> None:
    """Take a matter off the agenda; the others close up."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    item = meeting.agenda.filter(matter_id=matter_id).first()
    if item is None:
        raise ValidationError({"matter_id": _("Ärendet står inte på dagordningen.")})
    item.delete()
    _renumber(meeting, list(meeting.agenda.order_by("position")))
    audit_record(actor=actor, verb="agenda_removed", target=meeting, before={"matter": matter_id})


@transaction.atomic
def agenda_reorder(*, actor: User, meeting_id: int, matter_ids: list[int]) -> list[AgendaItem]:
    """The agenda in the given order of its matters (every matter on it, once)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    items = {item.matter_id: item for item in meeting.agenda.all()}
    if sorted(matter_ids) != sorted(items):
        raise ValidationError(
            {"matter_ids": _("Ange varje ärende på dagordningen en gång, i den nya ordningen.")}
        )
    before = [i.matter_id for i in sorted(items.values(), key=lambda i: i.position)]
    ordered = [items[matter_id] for matter_id in matter_ids]
    _renumber(meeting, ordered)
    audit_record(
        actor=actor,
        verb="agenda_reordered",
        target=meeting,
        before={"agenda": before},
        after={"agenda": list(matter_ids)},
    )
    return ordered


@transaction.atomic
def attendance_record(
    *, actor: User, meeting_id: int, user_id: int, capacity: str, seat_id: int | None = None
) -> Attendance:
    """Who was present: a seat by its representative or substitute (who must hold that seat on
    the meeting's day), or, without a vote (adjungerad), the CM or the principal's staff."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise ValidationError({"user_id": _("Det finns ingen användare med detta id.")})
    if capacity not in Capacity.values:
        raise ValidationError({"capacity": _("Okänt uppdrag.")})
    if capacity == Capacity.ADJUNCT:
        if seat_id is not None:
            raise ValidationError({"seat_id": _("Den som är adjungerad har ingen plats.")})
        if not roles.hub_roles(person, meeting.board.hub_id) & {COMMUNITY_MANAGER, PRINCIPAL_STAFF}:
            raise ValidationError(
                {"user_id": _("Adjungerade utan rösträtt är CM och huvudmannens personal.")}
            )
    else:
        seat = Seat.objects.filter(pk=seat_id, board=meeting.board).first()
        if seat is None:
            raise ValidationError({"seat_id": _("Platsen hör inte till detta organ.")})
        on = timezone.localtime(meeting.starts_at).date()
        if not current_holdings(person, on).filter(seat=seat, kind=capacity).exists():
            raise ValidationError(
                {"user_id": _("Personen har inte den platsen i det uppdraget på mötesdagen.")}
            )
    attendance, changes = model_create(
        Attendance,
        data={"meeting": meeting.pk, "user": person.pk, "seat": seat_id, "capacity": capacity},
        fields=["meeting", "user", "seat", "capacity"],
    )
    audit_changes(actor=actor, verb="created", target=attendance, changes=changes)
    return attendance


@transaction.atomic
def motion_record(
    *, actor: User, matter_id: int, text: str, moved_by: str, seat_id: int | None = None
) -> Motion:
    """A motion (yrkande) on a matter at the meeting, in the order made; the decision later
    says which one carried."""
    matter = (
        Matter.objects.select_for_update(of=("self",)).select_related("board").get(pk=matter_id)
    )
    require_permission(actor, "boards.manage_meetings", matter)
    if matter.state not in MOTION_STATES:
        raise ValidationError({"matter_id": _("Yrkanden görs bara på ärenden som ska beslutas.")})
    if seat_id is not None and not Seat.objects.filter(pk=seat_id, board=matter.board).exists():
        raise ValidationError({"seat_id": _("Platsen hör inte till detta organ.")})
    last = matter.motions.aggregate(last=Max("position"))["last"] or 0
    motion, changes = model_create(
        Motion,
        data={
            "matter": matter.pk,
            "position": last + 1,
            "text": text,
            "moved_by": moved_by,
            "seat": seat_id,
            "recorded_by": actor.pk,
        },
        fields=["matter", "position", "text", "moved_by", "seat", "recorded_by"],
    )
    audit_changes(actor=actor, verb="created", target=motion, changes=changes)
    return motion


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting, so a re-sent invitation updates the same calendar entry."""
    return f"board-meeting-{meeting.pk}@samverket"


def meeting_ics(meeting: Meeting) -> bytes:
    """The iCalendar invitation (METHOD:REQUEST): organiser, every current seat holder of the
    body and the hub's CM as attendees, place or link, the agenda in the description."""
    from icalendar import Calendar, Event, vCalAddress, vText

    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Sammanträde: %(board)s") % {"board": meeting.board}
        agenda = [
            f"{item.position}. {item.matter.title}"
            for item in meeting.agenda.select_related("matter").order_by("position")
        ]
        description = "\n".join([_("Dagordning") + ":", *agenda]) if agenda else ""
    calendar = Calendar()
    calendar.add("prodid", "-//Samverket//Owner groups and creative boards//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.invitation_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.link:
        event.add("location", meeting.link)
    if meeting.link:
        event.add("url", meeting.link)
    organiser = vCalAddress(f"mailto:{meeting.convened_by.email or settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = vText(meeting.convened_by.get_full_name() or str(meeting.convened_by))
    event["organizer"] = organiser
    on = timezone.localtime(meeting.starts_at).date()
    for person in recipients(meeting.board, on):
        if not person.email:
            continue
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.get_full_name() or person.get_username())
        attendee.params["role"] = vText(
            "NON-PARTICIPANT"
            if person in community_managers(meeting.board.hub_id)
            else "REQ-PARTICIPANT"
        )
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def meeting_invite(*, actor: User, meeting_id: int) -> Meeting:
    """Send the invitation (.ics attached, text/calendar) to every seat holder and the CM; a
    re-send is a changed invitation (SEQUENCE one higher). The meeting comes back with
    ``sent_to``: how many addresses the invitation went to (0: nobody of them has an e-mail
    address, and no mail is sent)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("board__hub")
        .get(pk=meeting_id)
    )
    require_permission(actor, "boards.manage_meetings", meeting)
    before = {"invitation_sequence": meeting.invitation_sequence, "invited_at": meeting.invited_at}
    if meeting.invited_at is not None:
        meeting.invitation_sequence += 1
    meeting.invited_at = timezone.now()
    meeting.save(update_fields=["invitation_sequence", "invited_at"])
    on = timezone.localtime(meeting.starts_at).date()
    to = addresses(recipients(meeting.board, on))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Kallelse: %(meeting)s") % {"meeting": meeting}
        body = _("Välkommen till sammanträdet. Kallelsen finns i den bifogade kalenderfilen.")
    message = EmailMessage(subject=subject, body=body, to=to)
    message.attach("kallelse.ics", meeting_ics(meeting), "text/calendar")
    if to:
        message.send()
    audit_record(
        actor=actor,
        verb="invited",
        target=meeting,
        before={**before, "invited_at": str(before["invited_at"] or "")},
        after={
            "invitation_sequence": meeting.invitation_sequence,
            "invited_at": meeting.invited_at.isoformat(),
            "to": to,
        },
    )
    meeting.sent_to = len(to)
    return meeting
