"""Validators for identity numbers, case numbers and uploads, with messages in both languages."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

# (2016)浙0103执1234号 — year, court code, type code, sequence.
CASE_NUMBER = re.compile(
    r"^[(（](?P<year>\d{4})[)）](?P<court>[\u4e00-\u9fff](?:\d{2}|\d{4})?)"
    r"(?P<type>执恢|执保|执异|执复|执监|执)(?P<seq>[1-9]\d{0,5})号$"
)
# Older formats such as (2015)杭下执民字第2741号: year in brackets, Chinese text, 第N号.
LEGACY_CASE_NUMBER = re.compile(
    r"^[(（](?P<year>\d{4})[)）][\u4e00-\u9fff\d]{2,20}第(?P<seq>\d{1,6})号$"
)


def normalise_resident_id(value: str) -> str:
    """A valid 18-digit resident ID (居民身份证号码), upper-case check character."""
    try:
        return ric.validate(value.strip().upper())
    except InvalidLength as exc:
        raise ValidationError(_("A resident ID has 18 characters."), code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this resident ID is wrong; please check the number."),
            code="checksum",
        ) from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(
            _("This is not a valid resident ID (birth date or format is wrong)."), code="format"
        ) from exc


def normalise_credit_code(value: str) -> str:
    """A valid 18-character unified social credit code (统一社会信用代码)."""
    try:
        return uscc.validate(value.strip().upper())
    except InvalidLength as exc:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="length"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check the code."),
            code="checksum",
        ) from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="format"
        ) from exc


def validate_image_upload(file) -> None:
    """Photos from the field: JPEG, PNG, WebP or HEIF, at most 10 MB, and really an image."""
    from PIL import Image

    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."), code="too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except Exception as exc:
        raise ValidationError(_("The file is not a readable image."), code="not_image") from exc
    finally:
        if hasattr(file, "seek"):
            file.seek(position)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo."), code="format")
