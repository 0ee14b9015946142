"""The Celery app: one worker pool and exactly one beat (django-celery-beat's scheduler)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from courtexec import request_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtexec.settings")

app = Celery("courtexec")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


_bound: dict[str, object] = {}


@task_prerun.connect
def bind_task_id(task_id: str, **kwargs) -> None:
    """History rows written by a task carry ``task:<id>`` where a request would put its id."""
    _bound[task_id] = request_context.bind(f"task:{task_id}")


@task_postrun.connect
def unbind_task_id(task_id: str, **kwargs) -> None:
    token = _bound.pop(task_id, None)
    if token is not None:
        request_context.unbind(token)
