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


# A signed copy is a scan or an exported PDF. Its kind is read from its first bytes (the
# formats' signatures), never from the file's name or the content type the client sent.
SIGNED_COPY_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
SIGNATURE_BYTES = max(len(signature) for signature, _type, _extension in SIGNED_COPY_SIGNATURES)


def signed_copy_kind(head: bytes) -> tuple[str, str] | None:
    """(content type, file extension) of a PDF, PNG or JPEG file by its first bytes; None for
    anything else."""
    for signature, content_type, extension in SIGNED_COPY_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None
