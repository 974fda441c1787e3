"""A service's refusal shown on the form that asked for it: every page's one way."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form,
    error: ValidationError,
    *,
    aliases: dict[str, str] | None = None,
    **formsets: Any,
) -> None:
    """Put a service's errors on the form's fields they name: the field of that name, the one
    ``aliases`` maps the service's name to, or the name without ``_id``; ``<formset>.<n>.<field>``
    on the n-th filled-in row of that formset; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    aliases = aliases or {}
    filled = {
        name: [row for row in formset.forms if row.entry() is not None]
        for name, formset in formsets.items()
    }
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        rows = filled.get(parts[0], [])
        if len(parts) == 3 and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            field = parts[2].removesuffix("_id")
            row.add_error(field if field in row.fields else None, messages)
            continue
        form.add_error(_field(form, aliases.get(name, name)), messages)


def _field(form: forms.Form, name: str) -> str | None:
    for candidate in (name, name.removesuffix("_id")):
        if candidate in form.fields:
            return candidate
    return None
