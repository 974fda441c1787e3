"""Forms of the boards' pages for the hub's principal staff (opening and running a vote, the
minutes' adjusters, calling a meeting, its agenda, attendance, motions and invitation): they
parse what a person typed and offer the choices the page knows; the services decide (voting.py,
meetings.py, minutes.py), and a refusal is put back on the form next to its fields
(``governance.web.service_errors``)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from governance.boards.choices import Capacity, Venue, VoteChoice
from governance.text_limits import REASON_MAX_LENGTH

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker (a phone's own), in the hub's local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _deadline(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )


def person_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


class VoteOpenForm(forms.Form):
    """Open a vote: the deadline and where it is decided."""

    deadline = _deadline(_("Sista svarsdag"))
    venue = forms.ChoiceField(
        label=_("Beslutas"), choices=Venue.choices, initial=Venue.CORRESPONDENCE
    )


class VoteExtendForm(forms.Form):
    """Move the deadline later."""

    deadline = _deadline(_("Ny sista svarsdag"))


class VoteCloseForm(forms.Form):
    """Close the vote early (no fields: it carries the service's refusal)."""


class VoteRecordForm(forms.Form):
    """Record a seat's vote as the seat gives it at a meeting."""

    seat_id = forms.TypedChoiceField(label=_("Plats"), coerce=int)
    choice = forms.ChoiceField(
        label=_("Röst"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivering (frivillig)"), required=False, max_length=REASON_MAX_LENGTH
    )

    def __init__(self, *args: Any, seats: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat_id"].choices = [("", _("Välj plats")), *seats]


class AdjustersForm(forms.Form):
    """The minutes' two adjusters, among the body's current seat holders."""

    user_ids = forms.TypedMultipleChoiceField(
        label=_("Justerare (välj två)"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_ids"].choices = [(person.pk, person_name(person)) for person in people]


class AgendaAddForm(forms.Form):
    """Put one of the body's routed matters (or one under review) on the agenda."""

    matter_id = forms.TypedChoiceField(label=_("Ärende"), coerce=int)

    def __init__(self, *args: Any, matters: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter_id"].choices = [
            ("", _("Välj ärende")),
            *((matter.pk, matter.title) for matter in matters),
        ]


class AttendanceForm(forms.Form):
    """Who was present: a seat's representative or substitute, or an adjunct without a vote.
    One choice, ``capacity:seat:user``; the service checks that it holds."""

    attendee = forms.ChoiceField(label=_("Närvarande"))

    def __init__(
        self, *args: Any, holders: Iterable[Any], adjuncts: Iterable[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        seated = [
            (
                f"{holder.kind}:{holder.seat_id}:{holder.user_id}",
                f"{holder.seat.organisation.name}: {person_name(holder.user)} "
                f"({holder.get_kind_display().lower()})",
            )
            for holder in holders
        ]
        others = [(f"{Capacity.ADJUNCT}::{user.pk}", person_name(user)) for user in adjuncts]
        groups = [
            (_("Ledamöter och ersättare"), seated),
            (_("Adjungerade utan rösträtt"), others),
        ]
        self.fields["attendee"].choices = [
            ("", _("Välj person")),
            *((label, group) for label, group in groups if group),
        ]

    def entry(self) -> dict[str, Any]:
        """The service's arguments: ``user_id``, ``capacity`` and ``seat_id`` (None for an
        adjunct)."""
        capacity, seat, user = self.cleaned_data["attendee"].split(":")
        return {
            "user_id": int(user),
            "capacity": capacity,
            "seat_id": int(seat) if seat else None,
        }


class InviteForm(forms.Form):
    """Send (or send again) the invitation (no fields: it carries a refusal)."""


class MeetingForm(forms.Form):
    """Call a meeting (kalla till sammanträde): when, and a place or a link."""

    starts_at = _deadline(_("Börjar"))
    ends_at = _deadline(_("Slutar"))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Länk till mötet"), max_length=500, required=False, assume_scheme="https"
    )


class AgendaRemoveForm(forms.Form):
    """Take a matter off the agenda (one button per agenda item)."""

    matter_id = forms.IntegerField(label=_("Ärende"), widget=forms.HiddenInput)


class MotionForm(forms.Form):
    """A motion (yrkande) on a matter on the meeting's agenda, and who made it; the seat
    is given when a seat holder made it."""

    matter_id = forms.TypedChoiceField(label=_("Ärende"), coerce=int)
    text = forms.CharField(
        label=_("Yrkande"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    moved_by = forms.CharField(label=_("Yrkat av"), max_length=200)
    seat_id = forms.TypedChoiceField(
        label=_("Plats (frivillig)"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        matters: Iterable[Any],
        seats: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter_id"].choices = [
            ("", _("Välj ärende")),
            *((matter.pk, matter.title) for matter in matters),
        ]
        self.fields["seat_id"].choices = [("", _("Ingen plats")), *seats]
