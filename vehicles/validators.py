"""Number plates (号牌) and vehicle identification numbers (VIN, 车辆识别代号), normalised and
checked, with messages in both languages.

A plate is typed by an officer on a phone or read by a partner camera system, so it arrives with
full-width characters, spaces, the "·" of the printed plate and lower case; :func:`normalise_plate`
turns all of those into one form, used for storage and for matching sightings.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 provincial abbreviations of mainland plates (GA 36).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Plate letters leave out I and O (they read as 1 and 0).
_LETTER = "A-HJ-NP-Z"
_CHAR = f"{_LETTER}0-9"
# Ordinary plate: province, issuing-office letter, five characters (the last may be a special
# suffix: 挂 trailer, 学 learner, 警 police, 港/澳 cross-border).
ORDINARY_PLATE = re.compile(f"^[{PROVINCES}][{_LETTER}][{_CHAR}]{{4}}[{_CHAR}挂学警港澳]$")
# New-energy plate (新能源): six characters; small vehicles D/F then five, large ones five
# digits then D/F.
NEW_ENERGY_PLATE = re.compile(
    f"^[{PROVINCES}][{_LETTER}](?:[DF][{_CHAR}][0-9]{{4}}|[0-9]{{5}}[DF])$"
)
_SEPARATORS = re.compile(r"[\s·•．.\-_]+")

VIN_LENGTH = 17
_VIN_CHARS = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")  # no I, O or Q
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_plate(value: str) -> str:
    """Full-width to half-width (NFKC), upper case, without spaces, dots or hyphens."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def is_new_energy_plate(plate: str) -> bool:
    return bool(NEW_ENERGY_PLATE.match(plate))


def clean_plate(value: str) -> str:
    """The normalised plate, or a :class:`ValidationError` saying what is wrong."""
    plate = normalise_plate(value)
    if not plate:
        raise ValidationError(_("Give the number plate."), code="required")
    if plate[0] not in PROVINCES:
        raise ValidationError(
            _("A plate starts with a province abbreviation such as 浙 or 京."), code="province"
        )
    if len(plate) not in (7, 8):
        raise ValidationError(
            _(
                "A plate has a province, a letter and five characters (six for a new-energy "
                "vehicle)."
            ),
            code="length",
        )
    if not (ORDINARY_PLATE.match(plate) or NEW_ENERGY_PLATE.match(plate)):
        raise ValidationError(
            _(
                "This is not a valid plate: after the province come a letter and five characters "
                "(letters other than I and O, digits); a new-energy plate has six, starting or "
                "ending with D or F."
            ),
            code="format",
        )
    return plate


def vin_check_character(vin: str) -> str:
    """The check character (position 9) of a VIN by the ISO 3779 / GB 16735 weights."""
    total = sum(_VIN_VALUES[char] * weight for char, weight in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def clean_vin(value: str) -> str:
    """The normalised VIN (half-width, upper case, no spaces), checked."""
    vin = normalise_plate(value)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(_("A VIN has 17 characters."), code="length")
    if not _VIN_CHARS.match(vin):
        raise ValidationError(
            _("A VIN has only digits and capital letters other than I, O and Q."), code="format"
        )
    if vin[8] != vin_check_character(vin):
        raise ValidationError(
            _("The check digit of this VIN (9th character) is wrong; please check the number."),
            code="checksum",
        )
    return vin
