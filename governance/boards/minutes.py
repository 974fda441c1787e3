"""Minutes (protokoll): a body's numbered paragraphs, adjusted (justering) by two named
adjusters, after which nothing in them changes; the .docx and the votes' CSV.

Playbook "Förvaltningsorganisation för de enskilda hubbarna": the principal's staff facilitate
both bodies ("strategisk processledning (facilitering av ägargruppen och creative boarden)"),
so they keep the minutes and name the adjusters; the adjusters are seat holders of the body.
A paragraph adjusted at once (omedelbar justering) is locked at once.
"""

import csv
import io
from datetime import datetime
from pathlib import Path

from babel.dates import format_date
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from governance.audit.services import audit_record
from governance.boards.choices import Body, MinutesState, Venue, VoteChoice
from governance.boards.models import Board, Decision, Matter, Minutes, MinutesAdjuster
from governance.boards.selectors import current_holdings
from governance.errors import ConflictError
from governance.memberships.documents import render_docx
from governance.permissions import require_permission
from governance.spreadsheets import as_cell

MINUTES_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "minutes" / "protokoll-sv.docx"
# Every top-level name the minutes template may use (checked by the tests, as the agreements'
# template is on upload).
MINUTES_CONTEXT_VARIABLES = frozenset(
    {"title", "body", "hub", "year", "state", "place", "keeper", "adjusters", "paragraphs"}
)


def _keeper_for(matter: Matter, actor: User | None) -> User:
    """Who keeps the minutes: the recording person, or (for a vote the flow closes) whoever
    opened the vote, or the matter's author."""
    if actor is not None:
        return actor
    opened = StateLog.objects.for_(matter).filter(transition="open_vote").order_by("-pk").first()
    return opened.by if opened and opened.by else matter.author


def minutes_for_decision(*, board: Board, matter: Matter, actor: User | None, year: int) -> Minutes:
    """The minutes a decision goes into: the meeting's when decided at a meeting (the matter's
    latest agenda item), otherwise the body's open per-capsulam minutes of the year — one not
    yet approved by anyone — created as needed. The caller holds the body's row lock."""
    meeting = None
    if matter.venue == Venue.MEETING:
        item = matter.agenda_items.select_related("meeting").order_by("-meeting__starts_at").first()
        meeting = item.meeting if item else None
    if meeting is not None:
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            starts = timezone.localtime(meeting.starts_at)
            minutes = _minutes_create(
                board=board,
                meeting=meeting,
                year=starts.year,
                title=_("Protokoll %(body)s %(date)s")
                % {"body": board, "date": starts.strftime("%Y-%m-%d")},
                keeper=_keeper_for(matter, actor),
                actor=actor,
            )
        return minutes
    minutes = (
        Minutes.objects.filter(
            board=board, meeting__isnull=True, year=year, state=MinutesState.DRAFT
        )
        .exclude(adjusters__approved_at__isnull=False)
        .order_by("-created_at")
        .first()
    )
    if minutes is None:
        count = Minutes.objects.filter(board=board, meeting__isnull=True, year=year).count()
        minutes = _minutes_create(
            board=board,
            meeting=None,
            year=year,
            title=_("Protokoll per capsulam %(body)s %(year)d:%(n)d")
            % {"body": board, "year": year, "n": count + 1},
            keeper=_keeper_for(matter, actor),
            actor=actor,
        )
    return minutes


def _minutes_create(**fields) -> Minutes:
    actor = fields.pop("actor")
    minutes = Minutes.objects.create(**fields)
    audit_record(
        actor=actor,
        verb="created",
        target=minutes,
        after={
            "title": minutes.title,
            "year": minutes.year,
            "meeting": fields["meeting"] and fields["meeting"].pk,
        },
    )
    return minutes


def require_editable(minutes: Minutes, decision: Decision | None = None) -> None:
    """Adjusted minutes, and a paragraph adjusted at once, never change (409)."""
    if minutes.state == MinutesState.APPROVED or (decision and decision.adjusted_at_once):
        raise ConflictError(
            "minutes_adjusted",
            _("Protokollet är justerat och kan inte ändras."),
            state=minutes.state,
            allowed=[],
        )


def _locked(minutes_id: int) -> Minutes:
    return (
        Minutes.objects.select_for_update(of=("self",)).select_related("board").get(pk=minutes_id)
    )


@transaction.atomic
def minutes_adjusters_set(*, actor: User, minutes_id: int, user_ids: list[int]) -> Minutes:
    """The keeper (the principal's staff) names the two adjusters, seat holders of the body,
    before anyone has approved."""
    minutes = _locked(minutes_id)
    require_permission(actor, "boards.keep_minutes", minutes)
    require_editable(minutes)
    ids = list(dict.fromkeys(user_ids))
    if len(ids) != 2:
        raise ValidationError({"user_ids": _("Ange två olika justerare.")})
    if minutes.adjusters.filter(approved_at__isnull=False).exists():
        raise ConflictError(
            "adjusting_started",
            _("Justeringen har börjat; justerarna kan inte bytas."),
            state=minutes.state,
            allowed=[],
        )
    users = list(User.objects.filter(pk__in=ids))
    today = timezone.localdate()
    for user in users:
        if not current_holdings(user, today).filter(seat__board_id=minutes.board_id).exists():
            raise ValidationError({"user_ids": _("En justerare måste ha en plats i organet.")})
    if len(users) != 2:
        raise ValidationError({"user_ids": _("Någon av justerarna finns inte.")})
    before = sorted(minutes.adjusters.values_list("user_id", flat=True))
    minutes.adjusters.all().delete()
    for user in users:
        MinutesAdjuster.objects.create(minutes=minutes, user=user)
    audit_record(
        actor=actor,
        verb="adjusters_set",
        target=minutes,
        before={"adjusters": before},
        after={"adjusters": sorted(ids)},
    )
    return minutes


@transaction.atomic
def minutes_approve(*, actor: User, minutes_id: int, now: datetime | None = None) -> Minutes:
    """An adjuster approves (justerar); when both have, the minutes are approved and locked."""
    now = now or timezone.now()
    minutes = _locked(minutes_id)
    require_editable(minutes)
    adjuster = minutes.adjusters.filter(user=actor).first()
    if adjuster is None:
        raise PermissionDenied("boards.adjust_minutes")
    if minutes.adjusters.count() != 2:
        raise ConflictError(
            "adjusters_missing",
            _("Två justerare måste vara utsedda."),
            state=minutes.state,
            allowed=[],
        )
    if adjuster.approved_at is not None:
        raise ConflictError(
            "already_approved", _("Du har redan justerat."), state=minutes.state, allowed=[]
        )
    adjuster.approved_at = now
    adjuster.save(update_fields=["approved_at"])
    audit_record(actor=actor, verb="minutes_adjusted_by", target=minutes, after={"user": actor.pk})
    if not minutes.adjusters.filter(approved_at__isnull=True).exists():
        minutes.state, minutes.approved_at = MinutesState.APPROVED, now
        minutes.save(update_fields=["state", "approved_at"])
        audit_record(
            actor=actor,
            verb="minutes_approved",
            target=minutes,
            before={"state": MinutesState.DRAFT},
            after={"state": MinutesState.APPROVED, "approved_at": now.isoformat()},
        )
    return minutes


# --- Exports ------------------------------------------------------------------------------


def _choice(choice: str | None) -> str:
    return str(VoteChoice(choice).label) if choice else ""


def paragraph_lines(decision: Decision) -> dict:
    """What a paragraph says, in words: the matter, how it was decided, the tally and each
    seat's vote, the conflicts declared and the dissents."""
    tally = decision.tally or {}
    if decision.method == "vote":
        how = _(
            "Efter omröstning: %(yes)d ja, %(no)d nej, %(abstain)d avstår av %(eligible)d "
            "röstberättigade platser; %(quorum)s."
        ) % {
            "yes": tally.get("yes", 0),
            "no": tally.get("no", 0),
            "abstain": tally.get("abstain", 0),
            "eligible": tally.get("eligible", 0),
            "quorum": _("beslutsfört") if tally.get("quorum_reached") else _("inte beslutsfört"),
        }
    else:
        how = _("I enighet, utan omröstning.")
    votes = [
        f"{s['organisation']}: {_choice(s['choice']) or _('röstade inte')}"
        + (f" ({s['reason']})" if s.get("reason") else "")
        for s in tally.get("seats", [])
        if not s.get("conflict")
    ]
    motion = decision.matter.motions.filter(carried=True).first()
    return {
        "number": decision.number,
        "matter": decision.matter.title,
        "outcome": decision.get_outcome_display(),
        "text": decision.text,
        "how": how,
        "votes": votes,
        "motion": f"{motion.moved_by}: {motion.text}" if motion else "",
        "conflicts": [f"{c['organisation']}: {c['reason']}" for c in decision.conflicts],
        "dissents": [
            f"{d.seat.organisation.name} ({d.user.get_full_name() or d.user.username}): {d.reason}"
            for d in decision.dissents.select_related("seat__organisation", "user")
        ],
        "adjusted_at_once": _("Paragrafen justerades omedelbart.")
        if decision.adjusted_at_once
        else "",
    }


def minutes_context(minutes: Minutes) -> dict:
    board = minutes.board
    place = ""
    if minutes.meeting_id:
        meeting = minutes.meeting
        day = format_date(timezone.localtime(meeting.starts_at).date(), "long", locale="sv_SE")
        place = f"{day}, {meeting.place or meeting.link}"
    return {
        "title": minutes.title,
        "body": str(Body(board.body).label),
        "hub": board.hub.name,
        "year": minutes.year,
        "state": minutes.get_state_display(),
        "place": place,
        "keeper": minutes.keeper.get_full_name() or minutes.keeper.username,
        "adjusters": [
            {
                "name": a.user.get_full_name() or a.user.username,
                "approved": format_date(
                    timezone.localtime(a.approved_at).date(), "long", locale="sv_SE"
                )
                if a.approved_at
                else "",
            }
            for a in minutes.adjusters.select_related("user")
        ],
        "paragraphs": [
            paragraph_lines(decision)
            for decision in minutes.decisions.select_related("matter").order_by("number")
        ],
    }


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document from ``templates/minutes/`` (rendered as the agreements
    are: autoescaped, StrictUndefined)."""
    return render_docx(MINUTES_TEMPLATE, minutes_context(minutes))


CSV_COLUMNS = [
    "Paragraf",
    "Ärende",
    "Beslut",
    "Organisation",
    "Röst",
    "Motivering",
    "Röstade som",
    "Jäv",
]


def votes_csv(minutes: Minutes) -> bytes:
    """The votes of the minutes' paragraphs, one row per seat per matter; Swedish headers;
    UTF-8 with a byte-order mark (so Excel reads it as UTF-8), as the other CSV exports."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for decision in minutes.decisions.select_related("matter").order_by("number"):
        for seat in (decision.tally or {}).get("seats", []):
            writer.writerow(
                [
                    f"§{decision.number}",
                    as_cell(decision.matter.title),
                    decision.get_outcome_display(),
                    as_cell(seat["organisation"]),
                    _choice(seat["choice"]),
                    as_cell(seat.get("reason", "")),
                    seat.get("cast_as", ""),
                    "jäv" if seat.get("conflict") else "",
                ]
            )
    return ("\ufeff" + output.getvalue()).encode()
