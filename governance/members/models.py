"""Individual members of a hub: the application, its decision, the onboarding and leaving.

Playbook, "Medlemskap": "var anställd i en medlemsorganisation kunde själv ansöka om och
motivera ett individuellt medlemskap", answering two questions; "Övrig medlemsadministration":
the CM's onboarding of every new member.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from governance.lifecycle.transitions import logged_transition
from governance.members import guards
from governance.members.choices import MemberState, OnboardingStep
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, limited_text_field

# Who may run the transitions is decided in rules.py.
MANAGE_MEMBER = "members.manage_member"
ANONYMISED_NAME = "Anonymiserad medlem"


class Member(ConcurrentTransitionMixin, models.Model):
    """A person applying for, holding or having held an individual membership of one hub."""

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hubb"), on_delete=models.PROTECT, related_name="members"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("arbetsgivare"),
        on_delete=models.PROTECT,
        related_name="individual_members",
    )
    agreement = models.ForeignKey(
        "memberships.Agreement",
        verbose_name=_("medlemsavtal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="individual_members",
        help_text=_("Avtalet som gav medlemskapet, satt vid godkännandet."),
    )
    seat_holder = models.OneToOneField(
        "memberships.SeatHolder",
        verbose_name=_("plats"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
        help_text=_("I platsmodellen: medlemmens plats i avtalet."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership",
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    goals = limited_text_field(
        NOTE_MAX_LENGTH,
        verbose_name=_("Vad siktar du och din organisation på att få ut av ett medlemskap?"),
        blank=True,
    )
    contribution = limited_text_field(
        NOTE_MAX_LENGTH, verbose_name=_("Vad hoppas du/ni kunna bidra med?"), blank=True
    )
    state = FSMField(
        _("läge"),
        choices=MemberState.choices,
        default=MemberState.APPLIED,
        protected=True,
        db_index=True,
    )
    email_confirmed_at = models.DateTimeField(_("e-post bekräftad"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    decline_reason = limited_text_field(
        REASON_MAX_LENGTH, verbose_name=_("skäl till avslag"), blank=True
    )
    onboarded_on = models.DateField(_("introducerad"), null=True, blank=True)
    left_on = models.DateField(_("avslutad"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymiserad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "-created_at", "pk"]
        indexes = [models.Index(fields=["hub", "state"]), models.Index(fields=["left_on"])]
        verbose_name = _("individuell medlem")
        verbose_name_plural = _("individuella medlemmar")

    def __str__(self) -> str:
        return f"{self.name} ({self.hub.name})"

    @logged_transition(
        field=state,
        source=MemberState.APPLIED,
        target=MemberState.APPROVED,
        label=_("Godkänn"),
        conditions=guards.APPROVE,
        permission=MANAGE_MEMBER,
    )
    def approve(self) -> None:
        self.decided_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=MemberState.APPLIED,
        target=MemberState.DECLINED,
        label=_("Avslå"),
        conditions=guards.DECLINE,
        permission=MANAGE_MEMBER,
    )
    def decline(self) -> None:
        self.decided_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=MemberState.APPROVED,
        target=MemberState.ONBOARDED,
        label=_("Markera som introducerad"),
        conditions=guards.ONBOARD,
        permission=MANAGE_MEMBER,
    )
    def onboard(self) -> None:
        self.onboarded_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=[MemberState.APPROVED, MemberState.ONBOARDED],
        target=MemberState.LEFT,
        label=_("Avsluta medlemskapet"),
        permission=MANAGE_MEMBER,
    )
    def leave(self) -> None:
        self.left_on = timezone.localdate()


class OnboardingItem(models.Model):
    """One step of a member's onboarding: done or not, by whom and when."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="onboarding")
    step = models.CharField(_("steg"), max_length=30, choices=OnboardingStep.choices)
    done = models.BooleanField(_("gjort"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("ändrat"), null=True, blank=True)

    class Meta:
        ordering = ["member", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "step"], name="one_onboarding_item_per_step")
        ]
        verbose_name = _("introduktionssteg")
        verbose_name_plural = _("introduktionssteg")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.get_step_display()}"
