"""A service's refusal lands on the field it names, on the field without ``_id``, on the field an
alias names, or above the form."""

from django import forms
from django.core.exceptions import ValidationError

from governance.web.service_errors import add_service_errors


class AttendanceForm(forms.Form):
    hub = forms.CharField(required=False)
    matter_id = forms.IntegerField(required=False)
    attendee = forms.CharField(required=False)


def _errors(error: ValidationError, **options) -> dict:
    form = AttendanceForm(data={})
    form.is_valid()
    add_service_errors(form, error, **options)
    return {name: list(messages) for name, messages in form.errors.items()}


def test_errors_go_to_the_named_field_or_its_name_without_id():
    error = ValidationError({"hub_id": "Ingen sådan hubb.", "matter_id": "Inte på dagordningen."})
    assert _errors(error) == {"hub": ["Ingen sådan hubb."], "matter_id": ["Inte på dagordningen."]}


def test_aliases_name_the_field_and_the_rest_goes_above_the_form():
    error = ValidationError({"seat_id": "Platsen är inte din.", "deadline": "Passerad."})
    assert _errors(error, aliases={"seat_id": "attendee"}) == {
        "attendee": ["Platsen är inte din."],
        "__all__": ["Passerad."],
    }
    assert _errors(ValidationError("Omröstningen är stängd.")) == {
        "__all__": ["Omröstningen är stängd."]
    }
