"""Checks of what reaches the portal: mobile numbers and the files of served documents."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courtexec.models import mobile_validator
from enforcement.validators import validate_image_upload


def normalise_phone(phone: str | None) -> str:
    """A number as typed on a phone ("139 0000-0001", full-width digits) in its stored form."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", phone or ""))


def is_mobile(phone: str | None) -> bool:
    """A mainland mobile number (the only kind a one-time code can be texted to)."""
    try:
        mobile_validator(phone or "")
    except ValidationError:
        return False
    return True


def validate_served_file(file) -> None:
    """A served document is a PDF or a photo of the paper, at most
    LIAISON_ATTACHMENT_MAX_BYTES; the content is checked, not the name the browser gave."""
    if file.size > settings.LIAISON_ATTACHMENT_MAX_BYTES:
        limit = settings.LIAISON_ATTACHMENT_MAX_BYTES >> 20
        raise ValidationError(
            _("A document may be at most %(limit)s MB.") % {"limit": limit}, code="too_large"
        )
    position = file.tell()
    head = file.read(5)
    file.seek(position)
    if head == b"%PDF-":
        return
    try:
        validate_image_upload(file)
    except ValidationError as exc:
        raise ValidationError(_("Upload a PDF or an image."), code="format") from exc
