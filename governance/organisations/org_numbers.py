"""Swedish organisation numbers (organisationsnummer): parse, validate, format."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.se import orgnr


def org_number_normalise(value: str) -> str:
    """Return the ten digits of a valid organisation number, or raise ValidationError.

    Accepts ``NNNNNN-NNNN`` and ``NNNNNNNNNN``; the message says which rule was broken.
    """
    raw = (value or "").strip()
    if not raw.replace("-", "").replace(" ", "").isdigit():
        raise ValidationError(
            _("Organisationsnumret får bara innehålla siffror och ett bindestreck (NNNNNN-NNNN)."),
            code="invalid_format",
        )
    try:
        return orgnr.validate(raw)
    except InvalidLength as exc:
        raise ValidationError(
            _("Organisationsnumret ska ha 10 siffror (NNNNNN-NNNN)."), code="invalid_length"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("Organisationsnumrets kontrollsiffra stämmer inte; kontrollera numret."),
            code="invalid_checksum",
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            _("Organisationsnumret har fel format (NNNNNN-NNNN)."), code="invalid_format"
        ) from exc


def validate_org_number(value: str) -> None:
    """Model-field validator: the stored value must be ten digits that pass the check."""
    if org_number_normalise(value) != value:
        raise ValidationError(
            _("Organisationsnumret ska lagras som 10 siffror utan bindestreck."),
            code="not_normalised",
        )


def org_number_display(value: str) -> str:
    """The Swedish written form, NNNNNN-NNNN."""
    return orgnr.format(value)
