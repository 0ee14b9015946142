"""One JSON error shape for the whole API.

``{"detail": "...", "code": "...", "fields": {"name": ["message", ...]},
"field_codes": {"name": ["code", ...]}}`` — ``fields`` and ``field_codes`` only when input was
invalid. A service's Django ``ValidationError`` becomes a 400 with field messages; when it
carries a domain code (``joint_meeting_required``, ``unmet``, ``checksum``…) that code and its
message are also given at the top level, so clients can act on it. An ``IntegrityError`` (a
unique or check constraint) is a 409, and so is ``casefunds.services.Conflict`` (with its own
code: ``reference_reused``, ``key_reused``, ``wrong_state``…); Django's ``Http404`` and
``PermissionDenied`` keep the same shape. Nothing here ever turns bad input into a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

GENERIC_CODES = {"invalid", "required", "null", "blank", "does_not_exist", "incorrect_type"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


def _as_drf(exc: Exception) -> Exception:
    from casefunds.services import Conflict as ServiceConflict  # lazy: services load models

    if isinstance(exc, ServiceConflict):  # same key, different content; wrong state
        return Conflict(exc.message, code=exc.code)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, IntegrityError):
        return Conflict(_("The change conflicts with an existing record."))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def _first_domain_error(details, codes):
    """The first (message, code) whose code says more than 'invalid input'."""
    if isinstance(details, dict):
        for key, value in details.items():
            found = _first_domain_error(value, codes.get(key) if isinstance(codes, dict) else codes)
            if found:
                return found
    elif isinstance(details, list):
        code_list = codes if isinstance(codes, list) else [codes] * len(details)
        for detail, code in zip(details, code_list, strict=False):
            found = _first_domain_error(detail, code)
            if found:
                return found
    elif isinstance(codes, str) and codes not in GENERIC_CODES:
        return str(details), codes
    return None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        codes = exc.get_codes()
        field_codes = codes if isinstance(codes, dict) else {"non_field_errors": codes}
        domain = _first_domain_error(fields, field_codes)
        response.data = {
            "detail": domain[0] if domain else _("Invalid input."),
            "code": domain[1] if domain else "invalid",
            "fields": fields,
            "field_codes": field_codes,
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response
