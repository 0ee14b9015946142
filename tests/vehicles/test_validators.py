"""Number plates and VINs: valid ones, wrong check digits, full-width and spaced input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.vehicles.conftest import VALID_VIN, VALID_VIN_2
from vehicles.validators import clean_plate, clean_vin, normalise_plate, vin_check_character


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("浙A12345", "浙A12345"),
        ("浙a 12345", "浙A12345"),
        ("浙Ａ·１２３４５", "浙A12345"),  # full-width, with the dot of the printed plate
        ("京B-3C5D7", "京B3C5D7"),
        ("苏E1234挂", "苏E1234挂"),
        ("浙AD12345", "浙AD12345"),  # new-energy, small
        ("粤B12345F", "粤B12345F"),  # new-energy, large
        ("  沪ａｆ３２１１０ ", "沪AF32110"),
    ],
)
def test_valid_plates_are_normalised(typed, plate):
    assert clean_plate(typed) == plate


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("A12345", "province"),
        ("浙A1234", "length"),
        ("浙A1234567", "length"),
        ("浙I12345", "format"),  # no I as issuing-office letter
        ("浙A1234O", "format"),  # no O
        ("浙AX12345", "format"),  # six characters but not a new-energy pattern
        ("浙A12345D9", "length"),
    ],
)
def test_invalid_plates_say_what_is_wrong(typed, code):
    with pytest.raises(ValidationError) as caught:
        clean_plate(typed)
    assert caught.value.code == code


def test_normalise_plate_is_what_sightings_match_on():
    assert normalise_plate(" 浙ａ １２３ ４５ ") == normalise_plate("浙A12345") == "浙A12345"


@pytest.mark.parametrize(
    ("typed", "vin"),
    [
        (VALID_VIN, VALID_VIN),
        (VALID_VIN_2, VALID_VIN_2),
        ("lsvam4187c2184847", VALID_VIN),
        ("ＬＳＶＡＭ４１８７Ｃ２１８４８４７", VALID_VIN),  # full-width
        ("LSVAM 4187C 218 4847", VALID_VIN),
    ],
)
def test_valid_vins(typed, vin):
    assert clean_vin(typed) == vin


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    wrong = VALID_VIN[:8] + ("0" if VALID_VIN[8] != "0" else "1") + VALID_VIN[9:]
    with translation.override("en"):  # the message is lazy: read it in English too
        with pytest.raises(ValidationError) as caught:
            clean_vin(wrong)
        assert "check digit" in str(caught.value.messages[0])
    assert caught.value.code == "checksum"


@pytest.mark.parametrize(
    ("vin", "code"),
    [
        ("LSVAM4187C218484", "length"),
        ("LSVAM4187C21848I7", "format"),
        ("LSVAM4187C2184Q47", "format"),
    ],
)
def test_vin_length_and_letters(vin, code):
    with pytest.raises(ValidationError) as caught:
        clean_vin(vin)
    assert caught.value.code == code


def test_check_character_ten_is_x():
    assert vin_check_character(VALID_VIN_2) == "X"
