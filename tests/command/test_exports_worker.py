"""A 10,000-row export through a real Celery worker: the page sees its progress move, and the
file holds every row."""

from __future__ import annotations

import time
from io import BytesIO

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from openpyxl import load_workbook

from courtexec.celery import app
from courtexec.command.models import ExportJob
from tests.command.export_helpers import copies
from tests.enforcement.fixtures import file_case

ROWS = 10_000


@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_built_by_the_worker_with_progress(
    settings, tmp_path, client, chief_a, court_a, judge, applicant, respondent
):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMAND_EXPORT_PROGRESS_EVERY = 500
    copies(file_case(court_a, judge, applicant, respondent), ROWS - 1)
    client.force_login(chief_a)
    seen: set[int] = set()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        response = client.post(
            reverse("command:export-request"),
            {"kind": "tile", "key": "cases.filed", "from": "2016-01-01", "to": "2016-12-31"},
        )
        job = ExportJob.objects.get()
        assert response.status_code == 302 and job.rows_total == ROWS
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows_done, status = ExportJob.objects.values_list("rows_done", "status").get()
            seen.add(rows_done)
            if status in {ExportJob.Status.DONE, ExportJob.Status.FAILED}:
                break
            time.sleep(0.01)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    assert (job.rows_done, job.rows_total) == (ROWS, ROWS)
    progress = sorted(n for n in seen if 0 < n < ROWS)
    assert len(progress) >= 3, seen
    assert all(n % 500 == 0 for n in progress)  # written every COMMAND_EXPORT_PROGRESS_EVERY
    download = client.get(reverse("command:export-download", args=[job.pk]))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content)), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == ROWS + 1
