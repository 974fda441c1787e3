"""Fee schedules and membership agreements.

From the playbook: "Medlemskap" (the open model and its size tiers), "Affärsmodell" (fee levels
agreed with the members' contact persons and the owner group) and "Avtal, upphandling och
administration" (the CM collects the intake data, the principal drafts the agreement and sends
it to the member's avtalsombud, the member returns it signed to the principal's avtalstecknare;
"Medlemsavgiften är inte föremål för upphandling").
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from governance.lifecycle.transitions import logged_transition
from governance.lifecycle.versions import AgreedVersion
from governance.memberships import guards
from governance.memberships.choices import (
    IN_FORCE_STATES,
    AgreementLanguage,
    AgreementState,
    FeeScheduleState,
    MembershipModel,
    SigningAuthority,
)
from governance.memberships.fees import Discount, Tier
from governance.memberships.validators import validate_phone
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import Organisation
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, limited_text_field

# Who may run the transitions is decided in rules.py.
ADOPT_FEE_SCHEDULE = "memberships.adopt_fee_schedule"
MANAGE_AGREEMENT = "memberships.manage_agreement"


class FeeScheduleQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "FeeScheduleQuerySet":
        """The versions that may be in force on ``on``, the one that is first: adopted (or
        superseded, still in force before its successor's date) and effective by then. The
        one rule fee_schedule_in_force and the hub's fact read."""
        return self.filter(state__in=IN_FORCE_STATES, effective_from__lte=on).order_by(
            "-effective_from", "-version"
        )


class FeeSchedule(ConcurrentTransitionMixin, AgreedVersion):
    """One version of a hub's fees, or of the national ones (no hub); versions are numbered per
    hub (or national). The shared fields are ``AgreedVersion``'s; in preparation the levels are
    agreed among the engaged organisations ("komma överens om budget/kostnadsnivåer")."""

    objects = FeeScheduleQuerySet.as_manager()

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_schedules",
        help_text=_("Tom för den nationella avgiftstrappan."),
    )
    effective_from = models.DateField(_("gäller från"))
    seat_price_ore = models.PositiveBigIntegerField(
        _("årspris per plats (öre)"), default=0, help_text=_("För platsmodellen.")
    )
    state = FSMField(
        _("läge"),
        choices=FeeScheduleState.choices,
        default=FeeScheduleState.DRAFT,
        protected=True,
        db_index=True,
    )

    class Meta:
        ordering = ["hub__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "version"], name="unique_fee_schedule_version"),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(hub__isnull=True),
                name="unique_national_fee_schedule_version",
            ),
        ]
        verbose_name = _("avgiftstrappa")
        verbose_name_plural = _("avgiftstrappor")

    def __str__(self) -> str:
        scope = self.hub or _("Nationell")
        return f"{scope} v{self.version}"

    @property
    def is_national(self) -> bool:
        return self.hub_id is None

    def tier_values(self) -> list[Tier]:
        return [tier.as_value() for tier in self.tiers.all()]

    @logged_transition(
        field=state,
        source=FeeScheduleState.DRAFT,
        target=FeeScheduleState.ADOPTED,
        label=_("Fastställ"),
        conditions=guards.ADOPT,
        permission=ADOPT_FEE_SCHEDULE,
    )
    def adopt(self) -> None:
        self.adopted_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=FeeScheduleState.ADOPTED,
        target=FeeScheduleState.SUPERSEDED,
        label=_("Ersätt"),
        conditions=guards.SUPERSEDE,
        permission=ADOPT_FEE_SCHEDULE,
    )
    def supersede(self) -> None:
        self.superseded_on = timezone.localdate()


class FeeTier(models.Model):
    """One step of a ladder: a yearly fee for organisations of ``from``–``to`` employees at the
    locality; an empty kind is the general ladder."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveIntegerField()
    organisation_kind = models.CharField(
        _("organisationstyp"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    employees_from = models.PositiveIntegerField(_("anställda från"))
    employees_to = models.PositiveIntegerField(_("anställda till"), null=True, blank=True)
    yearly_fee_ore = models.PositiveBigIntegerField(_("årsavgift (öre)"))

    class Meta:
        ordering = ["schedule", "position"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "position"], name="unique_tier_position")
        ]
        verbose_name = _("avgiftsnivå")
        verbose_name_plural = _("avgiftsnivåer")

    def __str__(self) -> str:
        return f"{self.schedule}: {self.employees_from}–{self.employees_to or ''}"

    def as_value(self) -> Tier:
        return Tier(
            self.employees_from, self.employees_to, self.yearly_fee_ore, self.organisation_kind
        )


class Agreement(ConcurrentTransitionMixin, models.Model):
    """A membership agreement between a principal and a member organisation, for one hub or
    national (every hub)."""

    number = models.CharField(
        _("avtalsnummer"),
        max_length=20,
        unique=True,
        help_text=_("Löpnummer per hubb och år, t.ex. OST-2026-007."),
    )
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Tom för ett nationellt avtal, som gäller i alla hubbar."),
    )
    principal = models.ForeignKey(
        Organisation,
        verbose_name=_("huvudman"),
        on_delete=models.PROTECT,
        related_name="agreements_as_principal",
    )
    member = models.ForeignKey(
        Organisation,
        verbose_name=_("medlemsorganisation"),
        on_delete=models.PROTECT,
        related_name="agreements_as_member",
    )
    model = models.CharField(_("medlemsmodell"), max_length=10, choices=MembershipModel.choices)
    seats = models.PositiveIntegerField(
        _("antal platser"), null=True, blank=True, help_text=_("Bara i platsmodellen.")
    )
    employees = models.PositiveIntegerField(
        _("anställda på orten"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "Avgör nivån i den öppna modellen; för ett nationellt avtal summan på orterna."
        ),
    )
    language = models.CharField(
        _("språk"), max_length=2, choices=AgreementLanguage.choices, default="sv"
    )
    start_on = models.DateField(_("startdatum"))
    end_on = models.DateField(_("slutdatum"))
    member_signatory_name = models.CharField(_("avtalsombud"), max_length=200)
    member_signatory_title = models.CharField(_("avtalsombudets titel"), max_length=200)
    member_signatory_email = models.EmailField(_("avtalsombudets e-post"))
    member_signatory_phone = models.CharField(
        _("avtalsombudets telefon"), max_length=40, validators=[validate_phone]
    )
    member_signatory_authority = models.CharField(
        _("avtalsombudets behörighet"), max_length=30, choices=SigningAuthority.choices
    )
    principal_signatory_name = models.CharField(_("avtalstecknare"), max_length=200)
    principal_signatory_title = models.CharField(_("avtalstecknarens titel"), max_length=200)
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("kontaktpersonens e-post"))
    contact_phone = models.CharField(
        _("kontaktpersonens telefon"), max_length=40, validators=[validate_phone], blank=True
    )
    registration_number = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("Huvudmannens diarienummer.")
    )
    invoice_reference = models.CharField(_("fakturareferens"), max_length=100)
    invoice_address = models.CharField(_("fakturaadress"), max_length=300)
    notes = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("anteckningar"), blank=True)
    state = FSMField(
        _("läge"),
        choices=AgreementState.choices,
        default=AgreementState.DRAFT,
        protected=True,
        db_index=True,
    )
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    sent_to = models.EmailField(_("skickat till"), blank=True)
    member_signed_on = models.DateField(_("undertecknat av medlemmen"), null=True, blank=True)
    principal_signed_on = models.DateField(_("undertecknat av huvudmannen"), null=True, blank=True)
    terminated_on = models.DateField(_("uppsagt per"), null=True, blank=True)
    termination_reason = limited_text_field(
        REASON_MAX_LENGTH, verbose_name=_("skäl till uppsägning"), blank=True
    )
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("förnyelse av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_on", "number"]
        indexes = [models.Index(fields=["member", "hub", "start_on", "end_on"])]
        verbose_name = _("medlemsavtal")
        verbose_name_plural = _("medlemsavtal")

    def __str__(self) -> str:
        return f"{self.number} {self.member.name}"

    @property
    def is_national(self) -> bool:
        return self.hub_id is None

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.start_on and self.end_on and self.end_on <= self.start_on:
            errors["end_on"] = ValidationError(
                _("Slutdatum ska vara efter startdatum."), code="end_before_start"
            )
        if self.model == MembershipModel.SEATS and not self.seats:
            errors["seats"] = ValidationError(
                _("Platsmodellen behöver minst en plats."), code="seats_required"
            )
        elif self.model == MembershipModel.OPEN and self.seats is not None:
            errors["seats"] = ValidationError(
                _("Den öppna modellen har inga platser; lämna fältet tomt."), code="seats_not_used"
            )
        if errors:
            raise ValidationError(errors)

    def discount_values(self) -> list[Discount]:
        return [Discount(row.percent, row.reason, row.year) for row in self.discounts.all()]

    @logged_transition(
        field=state,
        source=AgreementState.DRAFT,
        target=AgreementState.GENERATED,
        label=_("Markera dokumentet som skapat"),
        permission=MANAGE_AGREEMENT,
    )
    def mark_generated(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=AgreementState.GENERATED,
        target=AgreementState.DRAFT,
        label=_("Öppna för ändring"),
        permission=MANAGE_AGREEMENT,
    )
    def reopen(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=AgreementState.GENERATED,
        target=AgreementState.SENT,
        label=_("Markera som skickat till avtalsombudet"),
        permission=MANAGE_AGREEMENT,
    )
    def send(self) -> None:
        self.sent_at = timezone.now()
        self.sent_to = self.member_signatory_email

    @logged_transition(
        field=state,
        source=AgreementState.SENT,
        target=AgreementState.SIGNED,
        label=_("Markera som undertecknat"),
        conditions=guards.SIGN,
        permission=MANAGE_AGREEMENT,
    )
    def sign(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=AgreementState.SIGNED,
        target=AgreementState.ACTIVE,
        label=_("Börja gälla"),
        conditions=guards.ACTIVATE,
        permission=MANAGE_AGREEMENT,
    )
    def activate(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=AgreementState.ACTIVE,
        target=AgreementState.EXPIRED,
        label=_("Löp ut"),
        conditions=guards.EXPIRE,
        permission=MANAGE_AGREEMENT,
    )
    def expire(self) -> None:
        pass

    @logged_transition(
        field=state,
        source=[AgreementState.SIGNED, AgreementState.ACTIVE],
        target=AgreementState.TERMINATED,
        label=_("Säg upp"),
        conditions=guards.TERMINATE,
        permission=MANAGE_AGREEMENT,
    )
    def terminate(self) -> None:
        pass


class AgreementDiscount(models.Model):
    """A discount on an agreement's fee, with its reason (the pilot subsidised its first member
    organisations)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="discounts")
    percent = models.PositiveSmallIntegerField(
        _("procent"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    year = models.PositiveSmallIntegerField(
        _("år"), null=True, blank=True, help_text=_("Tomt: varje år av perioden.")
    )
    reason = models.CharField(_("skäl"), max_length=300)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("rabatt")
        verbose_name_plural = _("rabatter")

    def __str__(self) -> str:
        return f"{self.agreement.number}: {self.percent} %"


class AgreementLocality(models.Model):
    """A national agreement's member employees at one hub's locality: the fee's basis and the
    key by which its revenue is allocated to the hubs."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="localities")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="+")
    employees = models.PositiveIntegerField(_("anställda"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["agreement", "hub__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "hub"], name="unique_agreement_locality")
        ]
        verbose_name = _("ort i nationellt avtal")
        verbose_name_plural = _("orter i nationella avtal")

    def __str__(self) -> str:
        return f"{self.agreement.number}: {self.hub} {self.employees}"


class AgreementTemplate(models.Model):
    """One version of the Word template for a language: the checked-in file, or one the
    coordinator uploaded. The newest version of the agreement's language is used."""

    language = models.CharField(_("språk"), max_length=2, choices=AgreementLanguage.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fil"), upload_to="agreement-templates/", max_length=300)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("källa"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "version"], name="unique_agreement_template_version"
            )
        ]
        verbose_name = _("avtalsmall")
        verbose_name_plural = _("avtalsmallar")

    def __str__(self) -> str:
        return f"{self.get_language_display()} v{self.version}"


class AgreementDocument(models.Model):
    """One generated version of an agreement's document; never overwritten, every version kept.

    ``fee_lines`` are the lines as the document shows them: frozen when it was generated."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fil"), upload_to="agreements/", max_length=300)
    sha256 = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64, db_index=True)
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="+")
    fee_lines = models.JSONField()
    flow_run = models.ForeignKey(
        "flowruns.FlowRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The optional PDF copy (LibreOffice), or why there is none.
    pdf = models.FileField(_("PDF-kopia"), upload_to="agreements/", max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_note = models.CharField(_("om PDF-kopian"), max_length=300, blank=True)

    class Meta:
        ordering = ["agreement", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="unique_agreement_document_version"
            )
        ]
        verbose_name = _("avtalsdokument")
        verbose_name_plural = _("avtalsdokument")

    def __str__(self) -> str:
        return f"{self.agreement.number} v{self.version}"


class InvoiceMark(models.Model):
    """One agreement's fee for one calendar year as the principal's finance handles it:
    invoiced (who, when) and paid (who, when)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="invoices")
    year = models.PositiveSmallIntegerField(_("år"))
    invoiced_at = models.DateTimeField(_("fakturerad"), null=True, blank=True)
    invoiced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("betald"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="unique_invoice_mark")
        ]
        verbose_name = _("fakturamarkering")
        verbose_name_plural = _("fakturamarkeringar")

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.year}"


class SeatHolder(models.Model):
    """Who holds one of a seat-model agreement's individual memberships, and since when; a
    holder swapped out keeps the row with ``until`` (the pilot found swapping "en krånglig
    process": here it is one logged action)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="seat_holders")
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    since = models.DateField(_("från"), default=timezone.localdate)
    until = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "since", "pk"]
        verbose_name = _("platsinnehavare")
        verbose_name_plural = _("platsinnehavare")

    def __str__(self) -> str:
        return f"{self.agreement.number}: {self.name}"


class SignedCopy(models.Model):
    """The signed agreement as the member returned it (playbook "Avtal, upphandling och
    administration": "Avtalet returneras undertecknat till huvudmannens avtalstecknare"): a PDF
    or an image, checked by its content, stored with its SHA-256. Uploading it records the
    member's signature; every upload is kept, the newest is the one shown."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signed_copies")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fil"), upload_to="signed-copies/", max_length=300)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("filtyp"), max_length=40)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    signed_on = models.DateField(_("undertecknat"))
    signatory = models.CharField(_("undertecknat av"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        ordering = ["agreement", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"], name="unique_signed_copy_version"
            )
        ]
        verbose_name = _("undertecknat exemplar")
        verbose_name_plural = _("undertecknade exemplar")

    def __str__(self) -> str:
        return f"{self.agreement.number} ({self.signatory}, {self.signed_on})"
