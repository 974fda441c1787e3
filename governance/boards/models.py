"""Owner groups and creative boards: their seats, meetings, matters (ärenden), votes, decisions
and minutes.

Playbook "Organisation och ägarskap": every member organisation has a seat in the hub's owner
group, which "sätter budget och kostnadsnivåer", and the creative board has "full frihet att
skapa nya sätt att samverka". Seats come from organisation memberships (open model, hub or
national scope); one seat per organisation, on equal terms. Money is öre in integer fields.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from governance.boards import guards
from governance.boards.choices import (
    UNDECIDED_STATES,
    Body,
    Capacity,
    DecisionMethod,
    HolderKind,
    Majority,
    MatterKind,
    MatterOrigin,
    MatterState,
    MinutesState,
    Venue,
    VoteChoice,
)
from governance.lifecycle.transitions import logged_transition
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, limited_text_field

# Who may run the transitions is decided in rules.py.
SUBMIT_MATTER = "boards.submit_matter"
ROUTE_MATTER = "boards.route_matter"
MANAGE_MATTER = "boards.manage_matter"
WITHDRAW_MATTER = "boards.withdraw_matter"


class Board(models.Model):
    """One of a hub's two bodies, with its own rules for quorum and majority (board settings,
    not playbook rules)."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hubb"), on_delete=models.PROTECT, related_name="boards"
    )
    body = models.CharField(_("organ"), max_length=20, choices=Body.choices)
    quorum_percent = models.PositiveSmallIntegerField(
        _("beslutsförhet (procent)"),
        default=50,
        help_text=_("Beslutsför när fler än så många procent av platserna deltar."),
    )
    majority = models.CharField(
        _("majoritet"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    results_visible_during_vote = models.BooleanField(
        _("resultatet syns medan omröstningen pågår"), default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hub__name", "body"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "body"], name="unique_body_per_hub"),
            models.CheckConstraint(
                condition=Q(quorum_percent__lt=100), name="quorum_percent_below_100"
            ),
        ]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.hub.name}"


class Seat(models.Model):
    """One member organisation's seat in a body, open while its organisation membership covers
    the hub; closed seats stay as history."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="seats")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="board_seats",
    )
    opened_on = models.DateField(_("från"))
    closed_on = models.DateField(_("till"), null=True, blank=True)
    closed_reason = models.CharField(_("varför platsen upphörde"), max_length=300, blank=True)

    class Meta:
        ordering = ["board", "organisation__name", "-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "organisation"],
                condition=Q(closed_on__isnull=True),
                name="one_open_seat_per_organisation",
            )
        ]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return f"{self.board}: {self.organisation.name}"


class SeatHolderQuerySet(models.QuerySet):
    def current(self, on: date) -> "SeatHolderQuerySet":
        """The holdings (representative or substitute) in force on ``on``, in seats open then:
        the one rule of who holds a seat that every reader asks."""
        return self.filter(
            Q(to_on__isnull=True) | Q(to_on__gte=on),
            Q(seat__closed_on__isnull=True) | Q(seat__closed_on__gte=on),
            from_on__lte=on,
            seat__opened_on__lte=on,
        )


class SeatHolder(models.Model):
    """Who holds a seat, representative or substitute (ersättare), from and to; the history of
    who held it stays."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="holders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seat_holdings"
    )
    kind = models.CharField(_("uppdrag"), max_length=20, choices=HolderKind.choices)
    title = models.CharField(
        _("befattning"),
        max_length=200,
        help_text=_("Ägargruppens ledamot kommer från organisationens högsta ledning."),
    )
    from_on = models.DateField(_("från"))
    to_on = models.DateField(_("till"), null=True, blank=True)

    objects = SeatHolderQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "kind", "-from_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(to_on__isnull=True, kind=HolderKind.REPRESENTATIVE),
                name="one_current_representative_per_seat",
            ),
            models.UniqueConstraint(
                fields=["seat", "user"],
                condition=Q(to_on__isnull=True),
                name="one_current_holding_per_user_and_seat",
            ),
        ]
        verbose_name = _("ledamot eller ersättare")
        verbose_name_plural = _("ledamöter och ersättare")

    def __str__(self) -> str:
        return f"{self.seat}: {self.user} ({self.get_kind_display()})"


class Meeting(models.Model):
    """A meeting of one body, convened by the hub's principal staff."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    link = models.URLField(_("länk"), max_length=500, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invitation_sequence = models.PositiveIntegerField(
        default=0, help_text=_("Ökar när en ändrad kallelse skickas (iCalendar SEQUENCE).")
    )
    invited_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="ends_after_start"
            )
        ]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")

    def __str__(self) -> str:
        return f"{self.board} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Matter(ConcurrentTransitionMixin, models.Model):
    """A matter (ärende) for one body: a budget, fee levels, a strategic wish, a collaboration
    initiative. Activities the community starts are never matters: they need nobody's
    approval."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hubb"), on_delete=models.PROTECT, related_name="matters"
    )
    board = models.ForeignKey(
        Board,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        help_text=_("Sätts när ärendet fördelas."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    text = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("beskrivning"))
    origin = models.CharField(_("ursprung"), max_length=20, choices=MatterOrigin.choices)
    kind = models.CharField(_("typ"), max_length=20, choices=MatterKind.choices)
    addressed_body = models.CharField(
        _("ställt till"),
        max_length=20,
        choices=Body.choices,
        blank=True,
        help_text=_("Communityns inspel: det organ CM vänder sig till (tomt: flödet föreslår)."),
    )
    budget_impact_ore = models.BigIntegerField(_("budgetpåverkan (öre)"), default=0)
    budget = models.ForeignKey(
        "forecasts.Budget",
        verbose_name=_("budgetförslag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    fee_schedule = models.ForeignKey(
        "memberships.FeeSchedule",
        verbose_name=_("förslag till avgiftsnivåer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("författare"),
        on_delete=models.PROTECT,
        related_name="authored_matters",
    )
    state = FSMField(
        _("läge"),
        choices=MatterState.choices,
        default=MatterState.DRAFT,
        protected=True,
        db_index=True,
    )
    venue = models.CharField(_("beslutas"), max_length=20, choices=Venue.choices, blank=True)
    route_reason = limited_text_field(
        REASON_MAX_LENGTH, verbose_name=_("skäl för fördelningen"), blank=True
    )
    vote_opened_at = models.DateTimeField(_("omröstningen öppnad"), null=True, blank=True)
    vote_deadline = models.DateTimeField(_("sista svarsdag"), null=True, blank=True)
    vote_closed_at = models.DateTimeField(_("omröstningen stängd"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inlämnat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["board", "state"]), models.Index(fields=["hub", "state"])]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self) -> str:
        return self.title

    @logged_transition(
        field=state,
        source=MatterState.DRAFT,
        target=MatterState.SUBMITTED,
        label=_("Lämna in"),
        conditions=guards.SUBMIT,
        permission=SUBMIT_MATTER,
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @logged_transition(
        field=state,
        source=MatterState.SUBMITTED,
        target=MatterState.ROUTED,
        label=_("Fördela"),
        conditions=guards.ROUTE,
        permission=ROUTE_MATTER,
    )
    def route(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=MatterState.ROUTED,
        target=MatterState.IN_REVIEW,
        label=_("Ta upp för beredning"),
        conditions=guards.REVIEW,
        permission=MANAGE_MATTER,
    )
    def review(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=[MatterState.ROUTED, MatterState.IN_REVIEW],
        target=MatterState.VOTING,
        label=_("Öppna omröstning"),
        conditions=guards.OPEN_VOTE,
        permission=MANAGE_MATTER,
    )
    def open_vote(self) -> None:
        self.vote_opened_at = timezone.now()

    @logged_transition(
        field=state,
        source=[MatterState.IN_REVIEW, MatterState.VOTING],
        target=MatterState.ADOPTED,
        label=_("Bifall"),
        conditions=guards.ADOPT,
        permission=MANAGE_MATTER,
    )
    def adopt(self) -> None:
        self.decided_at = timezone.now()

    @logged_transition(
        field=state,
        source=[MatterState.IN_REVIEW, MatterState.VOTING],
        target=MatterState.REJECTED,
        label=_("Avslå"),
        conditions=guards.REJECT,
        permission=MANAGE_MATTER,
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @logged_transition(
        field=state,
        source=MatterState.IN_REVIEW,
        target=MatterState.NOTED,
        label=_("Anteckna"),
        conditions=guards.NOTE,
        permission=MANAGE_MATTER,
    )
    def note(self) -> None:
        self.decided_at = timezone.now()

    @logged_transition(
        field=state,
        source=MatterState.ADOPTED,
        target=MatterState.IMPLEMENTED,
        label=_("Markera som genomfört"),
        conditions=guards.IMPLEMENT,
        permission=MANAGE_MATTER,
    )
    def implement(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=list(UNDECIDED_STATES),
        target=MatterState.WITHDRAWN,
        label=_("Återkalla"),
        conditions=guards.WITHDRAW,
        permission=WITHDRAW_MATTER,
    )
    def withdraw(self) -> None:
        pass


class MatterRoute(models.Model):
    """Each step of a matter's route, with the reason in words (the routing flow's record)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="routes")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    reason = limited_text_field(REASON_MAX_LENGTH, verbose_name=_("skäl"))
    proposed = models.BooleanField(
        _("föreslaget av flödet"),
        default=False,
        help_text=_("Inget organ var angivet: flödet föreslog ett efter ärendets typ."),
    )
    flow_run = models.ForeignKey(
        "flowruns.FlowRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    routed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["matter", "routed_at", "pk"]
        verbose_name = _("fördelning")
        verbose_name_plural = _("fördelningar")

    def __str__(self) -> str:
        return f"{self.matter}: {self.board}"


class AgendaItem(models.Model):
    """A matter on a meeting's agenda (dagordning), in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(_("punkt"))

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "matter"], name="matter_once_per_agenda"),
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position"),
        ]
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("dagordning")

    def __str__(self) -> str:
        return f"{self.meeting} {self.position}. {self.matter}"


class Attendance(models.Model):
    """Who attended a meeting: a seat's representative or substitute, or someone without a
    vote (the community manager, adjungerad; the principal's staff)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    capacity = models.CharField(_("närvarande som"), max_length=20, choices=Capacity.choices)

    class Meta:
        ordering = ["meeting", "capacity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attends_once"),
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                condition=Q(seat__isnull=False),
                name="seat_present_once",
            ),
        ]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.user} ({self.get_capacity_display()})"


class ProgressNote(models.Model):
    """How an adopted matter is being implemented."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="progress_notes")
    text = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("anteckning"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["matter", "written_at", "pk"]
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")

    def __str__(self) -> str:
        return f"{self.matter} {self.written_at:%Y-%m-%d}"


class Motion(models.Model):
    """A motion (yrkande) made on a matter; the decision says which one carried."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="motions")
    position = models.PositiveIntegerField(_("ordning"))
    text = limited_text_field(REASON_MAX_LENGTH, verbose_name=_("yrkande"))
    moved_by = models.CharField(_("yrkat av"), max_length=200)
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    carried = models.BooleanField(_("bifallet"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["matter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "position"], name="unique_motion_position"),
            models.UniqueConstraint(
                fields=["matter"], condition=Q(carried=True), name="one_motion_carries"
            ),
        ]
        verbose_name = _("yrkande")
        verbose_name_plural = _("yrkanden")

    def __str__(self) -> str:
        return f"{self.matter}: {self.moved_by}"


class Vote(models.Model):
    """One seat's vote on a matter: one per seat (per organisation), on equal terms; changeable
    until the vote closes."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("röst"), max_length=10, choices=VoteChoice.choices)
    reason = limited_text_field(REASON_MAX_LENGTH, verbose_name=_("motivering"), blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cast_as = models.CharField(_("röstade som"), max_length=20, choices=Capacity.choices)
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["matter", "seat__organisation__name"]
        constraints = [models.UniqueConstraint(fields=["matter", "seat"], name="one_vote_per_seat")]
        verbose_name = _("röst")
        verbose_name_plural = _("röster")

    def __str__(self) -> str:
        return f"{self.matter}: {self.seat.organisation.name} {self.choice}"


class Conflict(models.Model):
    """A declared conflict of interest (jäv): that seat neither votes nor counts for quorum on
    the matter, and the minutes say so."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="conflicts")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="conflicts")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = limited_text_field(REASON_MAX_LENGTH, verbose_name=_("skäl"))
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["matter", "declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "seat"], name="one_conflict_per_seat")
        ]
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")

    def __str__(self) -> str:
        return f"{self.matter}: {self.seat.organisation.name}"


class Minutes(models.Model):
    """A body's minutes (protokoll): of a meeting, or of decisions by correspondence. Two named
    adjusters approve them (justering); after that they cannot change."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="minutes")
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("rubrik"), max_length=200)
    state = models.CharField(
        _("läge"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("protokollförare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "-year", "-created_at"]
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self) -> str:
        return self.title


class MinutesAdjuster(models.Model):
    """One of the two named adjusters (justerare) and when they approved."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="adjusters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    class Meta:
        ordering = ["minutes", "pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "user"], name="adjuster_once")]
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")

    def __str__(self) -> str:
        return f"{self.minutes}: {self.user}"


class Decision(models.Model):
    """A decision: one numbered paragraph (§1, §2 … per body and year) of the minutes, with how
    it was decided, the tally and each seat's vote, the conflicts declared and the dissents."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="decisions")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    matter = models.OneToOneField(Matter, on_delete=models.PROTECT, related_name="decision")
    method = models.CharField(_("beslutsform"), max_length=20, choices=DecisionMethod.choices)
    outcome = models.CharField(_("beslut"), max_length=20, choices=MatterState.choices)
    text = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("beslutstext"))
    tally = models.JSONField(_("röstsammanräkning"), default=dict, blank=True)
    conflicts = models.JSONField(_("anmält jäv"), default=list, blank=True)
    adjusted_at_once = models.BooleanField(_("omedelbart justerad"), default=False)
    decided_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["board", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "number"], name="paragraph_numbered_once"
            )
        ]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self) -> str:
        return f"{self.board} {self.year} §{self.number}"


class Dissent(models.Model):
    """A reservation against a decision, with its reason."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="dissents")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = limited_text_field(REASON_MAX_LENGTH, verbose_name=_("skäl"))
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "entered_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="one_dissent_per_seat")
        ]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")

    def __str__(self) -> str:
        return f"{self.decision}: {self.seat.organisation.name}"
