"""Forms of the agreement pages: they parse what a person typed; the services decide.

The rules live in the services (intake, signatures, the signed copy, termination): a form only
turns text into values, and a service's ``ValidationError`` is put back on the field of the
same name (``add_service_errors``), so the page keeps what was typed and names each problem.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.memberships.models import Agreement
from governance.memberships.services import AGREEMENT_EDITABLE_FIELDS
from governance.text_limits import REASON_MAX_LENGTH
from governance.web.forms import DateInput

DATE = DateInput(format="%Y-%m-%d")
DISCOUNT_ROWS = 3


class AgreementForm(forms.ModelForm):
    """The intake (``AGREEMENT_EDITABLE_FIELDS``), the member by organisation number and, for a
    new agreement, its hub."""

    hub = forms.TypedChoiceField(label=_("Hubb"), coerce=int, required=True)
    member_org_number = forms.CharField(
        label=_("Medlemmens organisationsnummer"),
        max_length=20,
        help_text=_("NNNNNN-NNNN; organisationen ska vara registrerad."),
    )

    class Meta:
        model = Agreement
        fields = AGREEMENT_EDITABLE_FIELDS
        widgets = {
            "start_on": DATE,
            "end_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, hubs: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Scope and member are fixed once the draft exists.
            del self.fields["hub"], self.fields["member_org_number"]
        else:
            self.fields["hub"].choices = [("", "–")] + [(hub.pk, hub.name) for hub in hubs or []]
            self.order_fields(["hub", "member_org_number"])
        for name in ("seats", "contact_phone", "registration_number", "notes"):
            self.fields[name].required = False

    def _post_clean(self) -> None:
        # The service validates the model (full_clean) and names its errors; the form only
        # parses the fields, so nothing is checked twice or on an instance the form changed.
        pass

    def intake(self) -> dict[str, Any]:
        """What the services take: for a new draft every field, for a draft the changed ones."""
        names = self.changed_data if self.instance.pk else list(self.cleaned_data)
        values = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        values.pop("hub", None)
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


def discount_entries(formset: Any) -> list[dict[str, Any]]:
    """The rows a person filled in, in order (empty ones left out)."""
    return [entry for form in formset.forms if (entry := form.entry()) is not None]


def add_service_errors(form: forms.Form, error: ValidationError, formset: Any = None) -> None:
    """Put a service's errors on the fields they name; ``discounts.<n>.<field>`` on the n-th
    filled-in discount row; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    filled = [row for row in formset.forms if row.entry() is not None] if formset else []
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        if parts[0] == "discounts" and len(parts) == 3 and int(parts[1]) < len(filled):
            row = filled[int(parts[1])]
            row.add_error(parts[2] if parts[2] in row.fields else None, messages)
            continue
        field = name.removesuffix("_id") if name.endswith("_id") and name != "hub_id" else name
        field = "hub" if name == "hub_id" else field
        form.add_error(field if field in form.fields else None, messages)


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
