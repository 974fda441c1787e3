"""Forms of the agreement pages: they parse what a person typed; the services decide.

The rules live in the services (intake, signatures, the signed copy, termination): a form only
turns text into values, and a service's ``ValidationError`` is put back on the field of the
same name (``add_service_errors``), so the page keeps what was typed and names each problem.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.hubs.models import Hub
from governance.memberships.fees import sek_to_ore
from governance.memberships.models import Agreement
from governance.memberships.services import AGREEMENT_EDITABLE_FIELDS
from governance.organisations.choices import OrganisationKind
from governance.organisations.models import Organisation
from governance.text_limits import REASON_MAX_LENGTH
from governance.web.forms import DateInput

DATE = DateInput(format="%Y-%m-%d")
DISCOUNT_ROWS = 3
LOCALITY_ROWS = 3
NATIONAL = "national"


class AgreementForm(forms.ModelForm):
    """The intake (``AGREEMENT_EDITABLE_FIELDS``), the member by organisation number and, for a
    new agreement, its hub, or national with its principal (the national owner)."""

    hub = forms.ChoiceField(label=_("Hubb"))
    member_org_number = forms.CharField(
        label=_("Medlemmens organisationsnummer"),
        max_length=20,
        help_text=_("NNNNNN-NNNN; organisationen ska vara registrerad."),
    )
    principal = forms.ModelChoiceField(
        label=_("Huvudman för ett nationellt avtal"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Bara för nationella avtal: den nationella ägaren."),
    )

    class Meta:
        model = Agreement
        fields = AGREEMENT_EDITABLE_FIELDS
        widgets = {
            "start_on": DATE,
            "end_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, hubs: list[Any] | None = None, national: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Scope, member and principal are fixed once the draft exists.
            del self.fields["hub"], self.fields["member_org_number"], self.fields["principal"]
        else:
            choices = [("", "–")] + [(str(hub.pk), hub.name) for hub in hubs or []]
            if national:
                choices.append((NATIONAL, _("Nationellt (gäller i alla hubbar)")))
            else:
                del self.fields["principal"]
            self.fields["hub"].choices = choices
            self.order_fields(["hub", "member_org_number", "principal"])
        # A national agreement's employees are the sum of its localities'; the service decides.
        for name in ("seats", "employees", "contact_phone", "registration_number", "notes"):
            self.fields[name].required = False

    def hub_id(self) -> int | None:
        value = self.cleaned_data["hub"]
        return None if value == NATIONAL else int(value)

    def principal_id(self) -> int | None:
        principal = self.cleaned_data.get("principal")
        return principal.pk if principal is not None and self.hub_id() is None else None

    def _post_clean(self) -> None:
        # The service validates the model (full_clean) and names its errors; the form only
        # parses the fields, so nothing is checked twice or on an instance the form changed.
        pass

    def intake(self) -> dict[str, Any]:
        """What the services take: for a new draft every field, for a draft the changed ones."""
        names = self.changed_data if self.instance.pk else list(self.cleaned_data)
        values = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        values.pop("hub", None)
        values.pop("principal", None)
        for name in ("contact_phone", "registration_number", "notes"):
            if values.get(name) is None and name in values:
                values[name] = ""
        return values


class DiscountForm(forms.Form):
    """One discount: a percentage of a year's fee (or every year's) and its reason."""

    percent = forms.IntegerField(label=_("Rabatt (procent)"), required=False)
    year = forms.IntegerField(label=_("År (tomt: varje år)"), required=False)
    reason = forms.CharField(label=_("Skäl"), required=False, max_length=300)

    def entry(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("percent") is None and not data.get("reason"):
            return None  # an empty row
        return {"percent": data.get("percent"), "year": data.get("year"), "reason": data["reason"]}


DiscountFormSet = forms.formset_factory(DiscountForm, extra=0, max_num=10, absolute_max=10)


def discount_formset(data: Any = None, agreement: Agreement | None = None) -> Any:
    """The discounts as rows, the agreement's own first and empty rows to add more."""
    initial = (
        [
            {"percent": d.percent, "year": d.year, "reason": d.reason}
            for d in agreement.discounts.all()
        ]
        if agreement is not None
        else []
    )
    formset = DiscountFormSet(data, initial=initial, prefix="discounts")
    if data is None:
        formset.extra = DISCOUNT_ROWS
    return formset


class LocalityForm(forms.Form):
    """A national agreement's member employees at one hub's locality."""

    hub = forms.ModelChoiceField(
        label=_("Hubb"), queryset=Hub.objects.order_by("name"), required=False
    )
    employees = forms.IntegerField(label=_("Anställda på orten"), required=False)

    def entry(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("hub") is None and data.get("employees") is None:
            return None  # an empty row
        hub = data.get("hub")
        return {"hub_id": hub.pk if hub else None, "employees": data.get("employees")}


LocalityFormSet = forms.formset_factory(LocalityForm, extra=0, max_num=200, absolute_max=200)


def locality_formset(data: Any = None, agreement: Agreement | None = None) -> Any:
    """A national agreement's localities as rows, with empty rows to add more."""
    initial = (
        [{"hub": row.hub_id, "employees": row.employees} for row in agreement.localities.all()]
        if agreement is not None
        else []
    )
    formset = LocalityFormSet(data, initial=initial, prefix="localities")
    if data is None:
        formset.extra = LOCALITY_ROWS
    return formset


def filled_entries(formset: Any) -> list[dict[str, Any]]:
    """The rows a person filled in, in order (empty ones left out), as the services take them."""
    return [entry for form in formset.forms if (entry := form.entry()) is not None]


class FeeScheduleForm(forms.Form):
    """A new draft version of a hub's (or the national) fees; its ladder is ``TierForm`` rows."""

    hub = forms.ChoiceField(label=_("Hubb"))
    effective_from = forms.DateField(label=_("Gäller från"), widget=DATE)
    seat_price_sek = forms.DecimalField(
        label=_("Pris per plats och år (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,  # "6 000,50" as a Swede writes it
        help_text=_("För platsmodellen."),
    )
    agreed_by = forms.ModelMultipleChoiceField(
        label=_("Organisationer som kommit överens"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    agreed_on = forms.DateField(label=_("Överenskommet den"), widget=DATE, required=False)
    decision_reference = forms.CharField(label=_("Referens"), max_length=200, required=False)

    def __init__(self, *args: Any, hubs: list[Any], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "–")] + [(str(hub.pk), hub.name) for hub in hubs]
        if national:
            choices.append((NATIONAL, _("Nationell")))
        self.fields["hub"].choices = choices

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        price = data["seat_price_sek"]
        return {
            "hub_id": None if data["hub"] == NATIONAL else int(data["hub"]),
            "effective_from": data["effective_from"],
            "seat_price_ore": sek_to_ore(price) if price is not None else 0,
            "agreed_by": [organisation.pk for organisation in data["agreed_by"]],
            "agreed_on": data["agreed_on"],
            "decision_reference": data["decision_reference"],
        }


class TierForm(forms.Form):
    """One step of the ladder: employees from–to at the locality and the yearly fee."""

    organisation_kind = forms.ChoiceField(
        label=_("Organisationstyp"),
        choices=[("", _("Alla (den allmänna trappan)")), *OrganisationKind.choices],
        required=False,
    )
    employees_from = forms.IntegerField(label=_("Anställda från"), min_value=1, required=False)
    employees_to = forms.IntegerField(
        label=_("Anställda till (tomt: uppåt)"), min_value=1, required=False
    )
    yearly_fee_sek = forms.DecimalField(
        label=_("Årsavgift (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.entry() is not None:
            for name in ("employees_from", "yearly_fee_sek"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data

    def entry(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if all(data.get(name) in (None, "") for name in self.fields):
            return None  # an empty row
        fee = data.get("yearly_fee_sek")
        return {
            "organisation_kind": data.get("organisation_kind") or "",
            "employees_from": data.get("employees_from"),
            "employees_to": data.get("employees_to"),
            "yearly_fee_ore": sek_to_ore(fee) if fee is not None else None,
        }


TierFormSet = forms.formset_factory(TierForm, extra=5, max_num=50, absolute_max=50)


class SignedCopyForm(forms.Form):
    """The member's signed copy, with the day and who signed."""

    file = forms.FileField(
        label=_("Undertecknat exemplar (PDF, PNG eller JPEG)"),
        allow_empty_file=True,  # the service names an empty file on this field
    )
    signed_on = forms.DateField(label=_("Undertecknat den"), widget=DATE)
    signatory = forms.CharField(label=_("Undertecknat av"), max_length=200)


class SignaturesForm(forms.Form):
    """The days the member's avtalsombud and the principal's avtalstecknare signed."""

    member_signed_on = forms.DateField(
        label=_("Medlemmens underskrift"), widget=DATE, required=False
    )
    principal_signed_on = forms.DateField(
        label=_("Huvudmannens underskrift"), widget=DATE, required=False
    )


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(label=_("Uppsagt per"), widget=DATE)
    reason = forms.CharField(
        label=_("Skäl"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class InvoiceMarkForm(forms.Form):
    """One of the four marks on an agreement's year: invoiced or paid, or undone."""

    ACTIONS = {
        "invoiced": {"invoiced": True},
        "paid": {"paid": True},
        "not_invoiced": {"invoiced": False},
        "not_paid": {"paid": False},
    }
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])

    def marks(self) -> dict[str, bool | None]:
        return {"invoiced": None, "paid": None, **self.ACTIONS[self.cleaned_data["action"]]}
