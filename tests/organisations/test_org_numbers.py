import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from governance.organisations.org_numbers import (
    org_number_display,
    org_number_normalise,
    validate_org_number,
)


@pytest.mark.parametrize("written", ["202100-5521", "2021005521", " 202100-5521 "])
def test_org_number_normalise_accepts_both_formats(written):
    assert org_number_normalise(written) == "2021005521"


@pytest.mark.parametrize(
    ("written", "code", "words"),
    [
        ("202100-5522", "invalid_checksum", "kontrollsiffra"),
        ("20210055", "invalid_length", "10 siffror"),
        ("202100-55211", "invalid_length", "10 siffror"),
        ("", "invalid_format", "siffror"),
        ("2021OO-5521", "invalid_format", "siffror"),
        ("abcdef-ghij", "invalid_format", "siffror"),
    ],
)
def test_org_number_normalise_rejects_with_the_rule_broken(written, code, words):
    with pytest.raises(ValidationError) as raised:
        org_number_normalise(written)
    assert raised.value.code == code
    assert words in raised.value.messages[0]


def test_validate_org_number_requires_the_stored_form():
    validate_org_number("2021005521")
    with pytest.raises(ValidationError) as raised:
        validate_org_number("202100-5521")
    assert raised.value.code == "not_normalised"


def test_org_number_display_uses_the_swedish_form():
    assert org_number_display("2021005521") == "202100-5521"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_org_number_with_computed_check_digit_round_trips(body):
    number = body + luhn.calc_check_digit(body)
    assert org_number_normalise(org_number_display(number)) == number
    wrong = body + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError):
        org_number_normalise(wrong)
