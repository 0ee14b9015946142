"""What the command centre stores: monthly reports and large exports built by the worker.

The figures themselves are never stored as the source of truth: they are queries over the
records (``figures/``). A monthly report keeps the figures as they stood when it was made, so the
month's report reads the same next year.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courtexec.models import Court


def export_path(job: ExportJob, filename: str) -> str:
    return f"exports/{job.created_at:%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """An Excel export too large for one request, built by the Celery worker with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True)
    filename = models.CharField(_("download name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="export_rows_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class MonthlyReport(models.Model):
    """A court's figures for one calendar month (执行工作月报), made on the 1st by a beat job.

    For a higher court the figures cover its courts below it too, as its command centre does.
    """

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    figures = models.JSONField(_("figures"), default=list)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "court__code"]
        constraints = [
            models.UniqueConstraint(fields=["court", "month"], name="one_report_per_court_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="report_month_starts_on_first"
            ),
        ]
        permissions = [
            ("view_command_centre", _("Can see the command centre")),
            ("view_workload", _("Can see the per-judge workload table")),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.month:%Y-%m}"
