"""A hub's establishment: its phase machine, its checklist items and its readiness.

The phases and their checklists come from the playbook, section "Etablering och finansering"
(phase 1 Förberedelser, phase 2 Uppstart, phase 3 Drift); their estimated durations from
"Faser och tidsuppskattningar vid etablering" (phase_time.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField

from governance.hubs import guards
from governance.hubs.choices import (
    ACTIVE_PHASES,
    READINESS_ASPECT_HELP,
    County,
    ItemStatus,
    Phase,
    PremisesStatus,
    ReadinessAspect,
)
from governance.lifecycle.transitions import logged_transition
from governance.organisations.models import Organisation
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, limited_text_field

READINESS_MAX_SCORE = 3
# Who may move a hub between phases is decided in rules.py.
MOVE_HUB = "hubs.move_hub"


class Hub(ConcurrentTransitionMixin, models.Model):
    """A local Samverket hub, from proposal through its establishment phases to operations."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    municipality = models.CharField(_("kommun"), max_length=100)
    county = models.CharField(_("län"), max_length=20, choices=County.choices)
    principal = models.ForeignKey(
        Organisation,
        verbose_name=_("huvudman"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="principal_of_hubs",
    )
    premises_address = models.CharField(_("lokalens adress"), max_length=300, blank=True)
    premises_status = models.CharField(
        _("lokal"), max_length=20, choices=PremisesStatus.choices, default=PremisesStatus.NONE
    )
    phase = FSMField(
        _("fas"), choices=Phase.choices, default=Phase.PROPOSED, protected=True, db_index=True
    )
    phase_entered_on = models.DateField(_("i fasen sedan"), default=timezone.localdate)
    paused_from = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    preparation_planned_on = models.DateField(
        _("planerad start förberedelser"), null=True, blank=True
    )
    startup_planned_on = models.DateField(_("planerad start uppstart"), null=True, blank=True)
    operations_planned_on = models.DateField(_("planerad start drift"), null=True, blank=True)
    preparation_started_on = models.DateField(_("förberedelser startade"), null=True, blank=True)
    startup_started_on = models.DateField(_("uppstart startade"), null=True, blank=True)
    operations_started_on = models.DateField(_("drift startade"), null=True, blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    notes = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("anteckningar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hubb")
        verbose_name_plural = _("hubbar")

    def __str__(self) -> str:
        return self.name

    def _enter(self, phase: str) -> None:
        today = timezone.localdate()
        self.phase_entered_on = today
        started_field = f"{phase}_started_on"
        if getattr(self, started_field) is None:
            setattr(self, started_field, today)

    @logged_transition(
        field=phase,
        source=Phase.PROPOSED,
        target=Phase.PREPARATION,
        label=_("Starta förberedelser"),
        permission=MOVE_HUB,
    )
    def start_preparation(self) -> None:
        self._enter(Phase.PREPARATION)

    @logged_transition(
        field=phase,
        source=Phase.PREPARATION,
        target=Phase.STARTUP,
        label=_("Starta uppstart"),
        conditions=guards.LEAVE_PREPARATION,
        permission=MOVE_HUB,
    )
    def start_up(self) -> None:
        self._enter(Phase.STARTUP)

    @logged_transition(
        field=phase,
        source=Phase.STARTUP,
        target=Phase.OPERATIONS,
        label=_("Gå i drift"),
        conditions=guards.LEAVE_STARTUP,
        permission=MOVE_HUB,
    )
    def start_operations(self) -> None:
        self._enter(Phase.OPERATIONS)

    @logged_transition(
        field=phase,
        source=ACTIVE_PHASES,
        target=Phase.PAUSED,
        label=_("Pausa"),
        permission=MOVE_HUB,
    )
    def pause(self) -> None:
        self.paused_from = self.phase
        self.paused_on = timezone.localdate()

    @logged_transition(
        field=phase,
        source=Phase.PAUSED,
        target=RETURN_VALUE(*ACTIVE_PHASES),
        label=_("Återuppta"),
        permission=MOVE_HUB,
    )
    def resume(self) -> str:
        # Time spent paused does not count towards the playbook's phase durations.
        self.phase_entered_on += timezone.localdate() - self.paused_on
        returning_to = self.paused_from
        self.paused_from = ""
        self.paused_on = None
        return returning_to

    @logged_transition(
        field=phase,
        source=[Phase.PROPOSED, *ACTIVE_PHASES, Phase.PAUSED],
        target=Phase.CLOSED,
        label=_("Avsluta"),
        permission=MOVE_HUB,
    )
    def close(self) -> None:
        self.closed_on = timezone.localdate()


class ChecklistVersion(models.Model):
    """One version of a phase's playbook checklist, kept as it was when first used."""

    phase = models.CharField(max_length=20, choices=Phase.choices)
    sha256 = models.CharField(max_length=64)
    source_file = models.CharField(max_length=200)
    items = models.JSONField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "sha256"], name="unique_checklist_version")
        ]
        verbose_name = _("checklistversion")
        verbose_name_plural = _("checklistversioner")

    def __str__(self) -> str:
        return f"{self.phase} {self.sha256[:8]}"


class HubChecklistItem(models.Model):
    """One playbook checklist item as a hub works through it."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="checklist_items")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    key = models.SlugField(max_length=80)
    position = models.PositiveIntegerField()
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    description_sv = models.TextField()
    description_en = models.TextField()
    responsible_role = models.CharField(max_length=40)
    required = models.BooleanField()
    target_week = models.PositiveIntegerField(null=True, blank=True)
    playbook_ref = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    not_applicable_reason = limited_text_field(REASON_MAX_LENGTH, blank=True)
    note = limited_text_field(NOTE_MAX_LENGTH, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["hub", "phase", "position"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "key"], name="unique_hub_checklist_key"),
        ]
        indexes = [models.Index(fields=["hub", "phase", "required", "status"])]
        verbose_name = _("checklistpunkt")
        verbose_name_plural = _("checklistpunkter")

    def __str__(self) -> str:
        return f"{self.hub}: {self.key}"

    def clean(self) -> None:
        if self.status == ItemStatus.NOT_APPLICABLE and not self.not_applicable_reason.strip():
            raise ValidationError(
                {
                    "not_applicable_reason": ValidationError(
                        _("Ange varför punkten inte är tillämplig."), code="required"
                    )
                }
            )

    @classmethod
    def from_version(
        cls, hub: Hub, version: ChecklistVersion, item: dict, *, position: int
    ) -> "HubChecklistItem":
        """An unsaved open item for ``hub`` from one item of a checklist version."""
        return cls(
            hub=hub,
            version=version,
            phase=version.phase,
            key=item["key"],
            position=position,
            title_sv=item["title"]["sv"],
            title_en=item["title"]["en"],
            description_sv=item["description"]["sv"],
            description_en=item["description"]["en"],
            responsible_role=item["responsible_role"],
            required=item["required"],
            target_week=item["target_week"],
            playbook_ref=item["playbook_ref"],
        )


# The aspects in the playbook's words, then the score's scale, which is the platform's own.
ASPECT_HELP_TEXT = format_lazy(
    "{} " + " ".join(["{} – {}"] * len(ReadinessAspect)),
    _(
        "Playbookens fyra aspekter (”Etablering och finansering”) som påverkar om etableringen "
        "blir lätt eller svår:"
    ),
    *(text for aspect in ReadinessAspect for text in (aspect.label, READINESS_ASPECT_HELP[aspect])),
)
SCORE_HELP_TEXT = _(
    "0–3 på plattformens egen skala (playbooken nämner aspekterna men ger ingen skala): "
    "0 saknas, 1 osäkert eller svagt, 2 delvis på plats, 3 på plats."
)


class ReadinessScore(models.Model):
    """A hub's score, 0–3, on one readiness aspect, with a note on why."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="readiness_scores")
    aspect = models.CharField(
        max_length=20, choices=ReadinessAspect.choices, help_text=ASPECT_HELP_TEXT
    )
    score = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(READINESS_MAX_SCORE)], help_text=SCORE_HELP_TEXT
    )
    note = limited_text_field(NOTE_MAX_LENGTH, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "aspect"], name="unique_readiness_aspect"),
            models.CheckConstraint(
                condition=models.Q(score__lte=READINESS_MAX_SCORE), name="readiness_score_at_most_3"
            ),
        ]
        verbose_name = _("beredskapsbedömning")
        verbose_name_plural = _("beredskapsbedömningar")

    def __str__(self) -> str:
        return f"{self.hub}: {self.aspect} {self.score}"
