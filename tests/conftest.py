"""Test-suite set-up: real PostgreSQL and Redis, embedded or the machine's (DATABASE_URL/REDIS_URL).

The suite shares the embedded servers with anything else running from this checkout (pytest-django
gives it its own ``test_*`` database) and uses Redis databases of its own, so a running
``make run`` worker never takes the tests' messages.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from courtexec import embedded
from courtexec.redis_urls import with_db

# Shared fixtures (a court with one person per role, parties, a filed case) for every app.
pytest_plugins = ["tests.enforcement.fixtures"]


def test_redis_dbs() -> tuple[int, int]:
    """The Redis databases (broker, cache) of a test run.

    Runs that share one Redis server but not one PostgreSQL database (parallel checkouts on one
    machine, each with its own ``DATABASE_URL``) get their own pair, chosen from the database
    name, so one run's cache flushes and queued tasks never reach another's. ``TEST_REDIS_DBS``
    ("broker,cache") overrides; the embedded Redis is private and uses 13 and 14.
    """
    if explicit := os.environ.get("TEST_REDIS_DBS"):
        broker, cache = (int(number) for number in explicit.split(","))
        return broker, cache
    url = os.environ.get("DATABASE_URL")
    if not url:
        return 13, 14
    slot = int(hashlib.sha1(urlsplit(url).path.lstrip("/").encode()).hexdigest(), 16) % 6
    return 2 * slot + 1, 2 * slot + 2


TEST_BROKER_DB, TEST_CACHE_DB = test_redis_dbs()
_HOLDS_EMBEDDED = not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if _HOLDS_EMBEDDED and not hasattr(config, "workerinput"):
        embedded.hold()
    # The test client and live server speak plain HTTP; production's HTTPS-only switches
    # (tested by `check --deploy` in test_settings) would redirect every request.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Hashing a password the production way takes ~0.4 s; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns otherwise
    # No collectstatic before tests: serve vendored assets from static/ without a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CELERY_BROKER_URL = with_db(settings.CELERY_BROKER_URL, TEST_BROKER_DB)
    settings.CACHES["default"]["LOCATION"] = with_db(settings.REDIS_URL, TEST_CACHE_DB)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _HOLDS_EMBEDDED and not hasattr(config, "workerinput"):
        embedded.release(
            stop_postgres_server=not os.environ.get("DATABASE_URL"),
            stop_redis_server=not os.environ.get("REDIS_URL"),
        )


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    from courtexec.working_days import clear_cache

    cache.clear()
    clear_cache()  # a rolled-back test's calendar edits must not outlive it
    yield
    clear_cache()


@pytest.fixture
def court_a(db):
    from tests.factories import CourtFactory

    return CourtFactory(code="浙0103", name="杭州市下城区人民法院")


@pytest.fixture
def court_b(db):
    from tests.factories import CourtFactory

    return CourtFactory(code="浙0102", name="杭州市上城区人民法院")


@pytest.fixture
def judge_a(court_a):
    from courtexec.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="judge_a", court=court_a, roles=[Role.JUDGE])


@pytest.fixture
def judge_b(court_b):
    from courtexec.roles import Role
    from tests.factories import UserFactory

    return UserFactory(username="judge_b", court=court_b, roles=[Role.JUDGE])
