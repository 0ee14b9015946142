"""Request id in and out (``X-Request-ID``), bound for logs and history rows."""

from __future__ import annotations

import logging

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
