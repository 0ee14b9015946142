"""The project's Celery app for a worker *subprocess* started by the crash tests.

The test process rewrites its broker URL to the tests' Redis database in ``pytest_configure``; a
subprocess does not run that hook, so the URL (and a short visibility timeout, to redeliver an
unacknowledged task promptly after a crash) come in through the environment.
"""

from __future__ import annotations

import os

from courtexec.celery import app

app.conf.broker_url = os.environ["COURTEXEC_TEST_BROKER_URL"]
app.conf.broker_transport_options = {
    "visibility_timeout": float(os.environ.get("COURTEXEC_TEST_VISIBILITY_TIMEOUT", "3600"))
}

__all__ = ["app"]
