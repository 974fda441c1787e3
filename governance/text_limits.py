"""How long free text may be, wherever it is written: one place, documented in the README.

A database text column takes any length, so without a limit one request could store megabytes
in a note that every list then sends. The API refuses longer text with 422 ``string_too_long``
naming the field; the admin's forms and the model's ``full_clean()`` refuse it too."""

from django.core.validators import MaxLengthValidator
from django.db import models

NOTE_MAX_LENGTH = 10_000
"""A hub's notes, a checklist item's note, a readiness aspect's note."""

REASON_MAX_LENGTH = 2_000
"""A reason or a comment: why an item does not apply, why a transition was run."""


def limited_text_field(max_length: int, **options: object) -> models.TextField:
    """A TextField whose limit the API, the admin's forms and ``full_clean()`` all enforce."""
    return models.TextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **options
    )
