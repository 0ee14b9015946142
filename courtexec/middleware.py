"""Request id in and out (``X-Request-ID``), bound for logs and history rows; query strings
holding a NUL character refused."""

from __future__ import annotations

import logging

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from courtexec import request_context

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_context.accept_or_new(request.headers.get(HEADER))
        request.request_id = request_id
        token = request_context.bind(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_context.unbind(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.current_request_id() or "-"
        return True


class RejectNulInQueryMiddleware:
    """A NUL character anywhere in the query string is a 400, for every page and API: PostgreSQL
    text cannot hold one, so a filter passing it on would fail in the database (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = [key for key, values in request.GET.lists() if "\x00" in key + "".join(values)]
        if not names:
            return self.get_response(request)
        message = _("The query string may not contain a NUL character.")
        if not request.path.startswith("/api/"):
            return HttpResponseBadRequest(message)
        code = "null_characters_not_allowed"  # Django's own code for the same refusal
        body = {
            "detail": message,
            "code": code,
            "fields": {name: [message] for name in names},
            "field_codes": {name: [code] for name in names},
        }
        return JsonResponse(body, status=400)
