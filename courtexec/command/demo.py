"""Demo data of the command centre: last month's reports for every court, and one finished
export (the year's cases filed) for the bureau chief. Idempotent: reports are made once per
month and court, the export once for the chief."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from courtexec.command import exports, services
from courtexec.command.models import ExportJob
from courtexec.models import User


@dataclass
class Loaded:
    reports: int = 0
    exports: int = 0


def load(*, chief: User) -> Loaded:
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    loaded = Loaded(reports=len(services.make_monthly_reports(month=last_month)))
    if not ExportJob.objects.filter(requested_by=chief).exists():
        prepared = exports.kind("tile").prepare(chief, {"key": "cases.filed"}, today)
        rows = prepared.sheet.records.count()
        job = services.new_export_job(user=chief, kind="tile", prepared=prepared, rows=rows)
        services.build_export(job.pk)
        loaded.exports = 1
    return loaded
