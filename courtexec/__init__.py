"""CourtExec project package: settings, Celery app, courts, users and roles, the UI shell."""

from courtexec.celery import app as celery_app

__all__ = ["celery_app"]
