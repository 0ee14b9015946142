"""Writes of the command centre: export jobs and the monthly reports.

Both are built by Celery workers and may run twice (delivery is at least once): an export job is
claimed under a row lock before it is built, and a month's report is made once per court (the
unique constraint decides a race), its recipients told only by the run that made it.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from openpyxl import Workbook

from courtexec.command import exports, reports
from courtexec.command.models import ExportJob, MonthlyReport
from courtexec.command.roles import REPORT_RECIPIENTS
from courtexec.command.selectors import court_subtree
from courtexec.models import Court, User
from courtexec.notifications import notify
from courtexec.selectors import staff_with_roles

logger = logging.getLogger(__name__)

EXPORT_PERMISSION = "command.view_exportjob"


# --- Exports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InlineExport:
    """A small export, answered at once by the request that asked for it."""

    workbook: Workbook
    filename: str


def request_export(*, user: User, kind: str, params: Mapping[str, Any]) -> ExportJob | InlineExport:
    """Check the parameters (``ValidationError``: a 400; ``Http404``: not visible) and count the
    rows: at most ``COMMAND_EXPORT_INLINE_MAX_ROWS`` are written now, more are queued for the
    worker, which is sent the job once this transaction commits."""
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    prepared = exports.kind(kind).prepare(user, params, timezone.localdate())
    total = prepared.sheet.records.count()
    if total <= settings.COMMAND_EXPORT_INLINE_MAX_ROWS:
        workbook, _rows = exports.write(prepared.sheet)
        return InlineExport(workbook, prepared.sheet.filename)
    with transaction.atomic():
        job = new_export_job(user=user, kind=kind, prepared=prepared, rows=total)
        from courtexec.command.tasks import build_export

        transaction.on_commit(lambda: _send_build(job.pk, build_export))
    return job


def _send_build(job_id: int, task) -> None:
    """Send the build; with the broker unreachable the job fails now instead of waiting for ever."""
    try:
        task.delay(job_id)
    except OperationalError:
        logger.exception("export job %s could not be sent to the worker", job_id)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED,
            error=_("The worker could not be reached; ask for the export again."),
            finished_at=timezone.now(),
        )


def new_export_job(*, user: User, kind: str, prepared: exports.Prepared, rows: int) -> ExportJob:
    """A queued job (built by :func:`build_export`, which the caller has run or sent)."""
    return ExportJob.objects.create(
        requested_by=user,
        kind=kind,
        params=prepared.params,
        title=prepared.sheet.title,
        filename=prepared.sheet.filename,
        rows_total=rows,
    )


class StillRunning(Exception):
    """Another worker is building the job, or one that died was: try again ``after`` seconds,
    when a build still running counts as abandoned."""

    def __init__(self, after: float) -> None:
        super().__init__(after)
        self.after = after


def _claim(job_id: int, now: dt.datetime) -> ExportJob | None:
    """The job, moved to running, if it waits; or if its worker died mid-build (still running
    after the broker's redelivery timeout). A finished job gives ``None``; one running for less
    than that timeout raises :class:`StillRunning` (the task retries then)."""
    timeout = dt.timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"])
    stale = now - timeout
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=job_id)
            .filter(
                Q(status=ExportJob.Status.QUEUED)
                | Q(status=ExportJob.Status.RUNNING, started_at__lt=stale)
            )
            .select_related("requested_by")
            .first()
        )
        if job is None:
            running = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING)
            started = running.values_list("started_at", flat=True).first()
            if started is not None:
                raise StillRunning((started + timeout - now).total_seconds() + 1)
            return None
        job.status, job.started_at, job.rows_done = ExportJob.Status.RUNNING, now, 0
        job.save(update_fields=["status", "started_at", "rows_done"])
    return job


def _failure(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, Http404 | PermissionDenied):
        return _("You may no longer see these records.")
    return _("The export could not be built (%(error)s).") % {"error": type(error).__name__}


def build_export(job_id: int) -> ExportJob | None:
    """Write a queued job's file, recording progress as it goes (each progress write commits at
    once, so the job's page sees it). The requester's rights are checked again now. The file is
    written to a temporary file and stored only when complete: a failure stores no file."""
    job = _claim(job_id, timezone.now())
    if job is None:
        return None
    jobs = ExportJob.objects.filter(pk=job.pk)
    stored = ""
    try:
        today = timezone.localdate(job.created_at)
        prepared = exports.kind(job.kind).prepare(job.requested_by, job.params, today)
        jobs.update(rows_total=prepared.sheet.records.count())

        def progress(rows: int) -> None:
            jobs.update(rows_done=Least(rows, F("rows_total")))

        every = settings.COMMAND_EXPORT_PROGRESS_EVERY
        workbook, rows = exports.write(prepared.sheet, progress=progress, every=every)
        with tempfile.TemporaryFile() as scratch:
            workbook.save(scratch)
            scratch.seek(0)
            job.file.save(job.filename, File(scratch), save=False)
            stored = job.file.name
        jobs.update(
            status=ExportJob.Status.DONE,
            file=stored,
            rows_total=rows,
            rows_done=rows,
            finished_at=timezone.now(),
        )
    except Exception as error:  # any failure is the job's, shown on its page
        logger.exception("Export job %s failed", job.pk)
        if stored:
            job.file.storage.delete(stored)
        jobs.update(
            status=ExportJob.Status.FAILED, error=_failure(error), finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def remove_old_exports(*, now: dt.datetime) -> int:
    """Delete the jobs requested more than ``COMMAND_EXPORT_KEEP_DAYS`` ago with their files
    (the number removed). A second run finds nothing left."""
    cutoff = now - dt.timedelta(days=settings.COMMAND_EXPORT_KEEP_DAYS)
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).order_by("pk").iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


# --- Monthly reports ------------------------------------------------------------------------


def make_monthly_reports(*, month: dt.date) -> list[MonthlyReport]:
    """Every court's report for the calendar month of ``month`` (figures over the court and the
    courts below it, every tile whoever may see it), each court's chiefs and president told
    once. Reports already made are left alone: running it twice makes and tells nothing new."""
    month = month.replace(day=1)
    made = []
    for court in Court.objects.order_by("code"):
        if MonthlyReport.objects.filter(court=court, month=month).exists():
            continue
        figures = reports.month_figures(court_subtree(court.pk), month)
        with transaction.atomic():
            report, created = MonthlyReport.objects.get_or_create(
                court=court, month=month, defaults={"figures": figures}
            )
            if created:
                _tell_recipients(report)
                made.append(report)
    return made


def _tell_recipients(report: MonthlyReport) -> None:
    """Each holder of a recipient role once (one person may be both chief and president), if
    they may read the report (see every court it totals)."""
    people = staff_with_roles(report.court, *REPORT_RECIPIENTS)
    notify(
        [
            person
            for person in people
            if reports.visible_reports(person).filter(pk=report.pk).exists()
        ],
        kind="report.monthly",
        message=_("The monthly report of %(court)s for %(month)s is ready.")
        % {"court": report.court.name, "month": f"{report.month:%Y-%m}"},
        link=reverse("command:report", args=[report.pk]),
    )
