"""Forms of the web pages: they parse and show what a person typed; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.hubs.choices import ItemStatus, ReadinessAspect
from governance.hubs.models import READINESS_MAX_SCORE, Hub
from governance.hubs.services import HUB_EDITABLE_FIELDS
from governance.organisations.roles import national_role_values, registered_roles
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"


class HubForm(forms.ModelForm):
    """A hub's details, the fields the services accept (``HUB_EDITABLE_FIELDS``)."""

    class Meta:
        model = Hub
        fields = HUB_EDITABLE_FIELDS
        widgets = {
            "preparation_planned_on": DateInput(format="%Y-%m-%d"),
            "startup_planned_on": DateInput(format="%Y-%m-%d"),
            "operations_planned_on": DateInput(format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, may_choose_principal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_choose_principal:
            self.fields["principal"].disabled = True
            self.fields["principal"].help_text = _(
                "Huvudmannen väljs av den nationella koordinatorn."
            )

    def _post_clean(self) -> None:
        # The service validates the model (full_clean) and names its errors; the form only
        # parses the fields, so nothing is checked twice or on an instance the form changed.
        pass

    def changed_fields(self) -> dict[str, Any]:
        """What the person changed, as the services take it (relations by id)."""
        names = self.changed_data if self.instance.pk else list(self.cleaned_data)
        return {
            name: getattr(self.cleaned_data[name], "pk", self.cleaned_data[name])
            for name in names
            if not self.fields[name].disabled
        }


class ChecklistItemForm(forms.Form):
    """One checklist item's status, reason, note and evidence link."""

    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    not_applicable_reason = forms.CharField(
        label=_("Skäl till ej tillämplig"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_url = forms.URLField(
        label=_("Länk till underlag"), required=False, max_length=500, assume_scheme="https"
    )


class TickForm(forms.Form):
    """The one-button change of an item's status (done, or open again)."""

    status = forms.ChoiceField(choices=[(ItemStatus.DONE, ""), (ItemStatus.OPEN, "")])


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar (frivillig)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SCORE_CHOICES = [("", _("Inte bedömd"))] + [
    (str(score), str(score)) for score in range(READINESS_MAX_SCORE + 1)
]


class ReadinessForm(forms.Form):
    """The four readiness aspects: a score 0–3 and a note each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for aspect in ReadinessAspect:
            self.fields[f"{aspect.value}_score"] = forms.TypedChoiceField(
                label=_("Poäng"),
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"{aspect.value}_note"] = forms.CharField(
                label=_("Anteckning"),
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def aspects(self) -> list[dict[str, Any]]:
        """The form's fields grouped per aspect, for the template."""
        return [
            {
                "aspect": aspect,
                "score": self[f"{aspect.value}_score"],
                "note": self[f"{aspect.value}_note"],
            }
            for aspect in ReadinessAspect
        ]

    def scores(self) -> list[dict[str, Any]]:
        """The entries the service takes: aspects with a score, and notes on scored ones."""
        return [
            {
                "aspect": aspect.value,
                "score": self.cleaned_data[f"{aspect.value}_score"],
                "note": self.cleaned_data[f"{aspect.value}_note"],
            }
            for aspect in ReadinessAspect
            if self.cleaned_data[f"{aspect.value}_score"] is not None
        ]

    def add_service_error(self, error: ValidationError, scores: list[dict[str, Any]]) -> None:
        """Put the service's ``scores.<n>.<field>`` errors on the aspect's own field."""
        for name, messages in error.message_dict.items():
            parts = name.split(".")
            if len(parts) == 3 and parts[0] == "scores":
                aspect = scores[int(parts[1])]["aspect"]
                self.add_error(f"{aspect}_{parts[2]}", messages)
            else:
                self.add_error(None, messages)


class RoleAssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Roll"))

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
        )
        self.fields["role"].choices = [
            (value, label)
            for value, label in registered_roles()
            if value not in national_role_values()
        ]


class PullForm(forms.Form):
    phase = forms.CharField(widget=forms.HiddenInput)
