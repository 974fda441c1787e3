"""Forms of the members' pages: they parse and show what a person typed; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.hubs.models import Hub
from governance.members.models import Member
from governance.text_limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH


class ApplicationForm(forms.Form):
    """The public application: playbook "Medlemskap", the two questions and who is asking."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    hub = forms.ModelChoiceField(
        label=_("Hubb"), queryset=Hub.objects.exclude(phase="closed").order_by("name")
    )
    org_number = forms.CharField(
        label=_("Arbetsgivarens organisationsnummer"),
        max_length=20,
        help_text=_("NNNNNN-NNNN. Din arbetsgivare behöver ha ett gällande medlemsavtal."),
    )
    goals = forms.CharField(
        label=Member._meta.get_field("goals").verbose_name,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contribution = forms.CharField(
        label=Member._meta.get_field("contribution").verbose_name,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def service_arguments(self) -> dict[str, Any]:
        """The service's keyword arguments: the hub by its id."""
        data = dict(self.cleaned_data)
        hub = data.pop("hub")
        return {**data, "hub_id": hub.pk}


class PersonalDataRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-post"), max_length=254)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OnboardingForm(forms.Form):
    done = forms.BooleanField(required=False)
