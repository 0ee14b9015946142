"""Generated requests for every API operation never get a server error (schemathesis).

Each operation of the OpenAPI schema receives random valid and invalid bodies, query strings
and ids as an authenticated judge of a court that has a filed case; whatever comes in, the
answer is a 2xx or a 4xx with the error shape, never a 500.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from courtexec import services as core_services

pytestmark = pytest.mark.django_db


def load_schema():
    """The schema drf-spectacular serves at /api/schema/, generated in process."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def _in_process_requests(settings):
    """Requests run inside the test's transaction, as with Django's test client."""
    settings.ALLOWED_HOSTS = ["*"]  # schemathesis's WSGI client calls itself "localhost"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def judge_token(case, judge):
    """A judge of a court with one filed case (so some generated ids hit real records)."""
    return {"Authorization": f"Token {core_services.issue_api_token(user=judge)}"}


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors(case, judge_token):
    response = case.call(headers=judge_token)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:800]}"
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith(
        "application/json"
    ):
        assert "detail" in response.json()
