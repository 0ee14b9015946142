"""Checks of what reaches the portal: mobile numbers and the files of served documents."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courtexec.models import mobile_validator
from enforcement.liaison.messaging_files import read_head, sniff
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


def validate_served_file(file) -> str:
    """A served document is a PDF or a photo of the paper (the types messages take), at most
    LIAISON_ATTACHMENT_MAX_BYTES; its content is checked, not the name the browser gave, and
    its real content type returned."""
    if file.size > settings.LIAISON_ATTACHMENT_MAX_BYTES:
        limit = settings.LIAISON_ATTACHMENT_MAX_BYTES >> 20
        raise ValidationError(
            _("A document may be at most %(limit)s MB.") % {"limit": limit}, code="too_large"
        )
    content_type = sniff(read_head(file))
    if content_type not in settings.LIAISON_ATTACHMENT_TYPES:
        raise ValidationError(_("Upload a PDF or an image."), code="format")
    if content_type.startswith("image/"):
        try:
            validate_image_upload(file)  # really an image, not just its first bytes
        except ValidationError as exc:
            raise ValidationError(_("Upload a PDF or an image."), code="format") from exc
    return content_type
