"""The Celery app: one worker pool and exactly one beat (django-celery-beat's scheduler)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtexec.settings")

app = Celery("courtexec")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
