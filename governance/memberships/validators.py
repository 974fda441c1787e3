"""Format checks of the agreement's intake data (playbook "Avtal, upphandling och
administration": the CM collects "org-nr, … namn och kontaktuppgifter till avtalsombud")."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PHONE_CHARACTERS = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
_PHONE_DIGITS = (7, 15)  # a Swedish number with area code has 8–10; E.164 allows 15


def validate_phone(value: str) -> None:
    """A phone number as people write it: digits, spaces, hyphens, brackets, a leading +."""
    digits = sum(character.isdigit() for character in value)
    if not _PHONE_CHARACTERS.match(value) or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
        raise ValidationError(
            _("Ange ett telefonnummer med 7–15 siffror, t.ex. 063-14 30 00 eller +46 63 143000."),
            code="invalid_phone",
        )
