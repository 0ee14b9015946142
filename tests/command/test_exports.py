"""Excel exports of the command centre: answered at once when small, built by the worker when
large, shown only to their requester, removed after their keeping time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from courtexec.command import services, tasks
from courtexec.command.figures.cases import CASE_COLUMNS
from courtexec.command.models import ExportJob
from courtexec.command.tiles import REGISTRY, Column, Group, Tile, Unit
from courtexec.roles import Role
from enforcement.models import EnforcementCase
from tests.command.export_helpers import copies
from tests.enforcement.fixtures import file_case

REQUEST = "command:export-request"
PERIOD = {"kind": "tile", "key": "cases.filed", "from": "2016-01-01", "to": "2016-12-31"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def three_cases(court_a, judge, applicant, respondent):
    """Three cases filed in court A in 2016 (the fixture's filing day: 2016-04-01)."""
    first = file_case(court_a, judge, applicant, respondent)
    copies(first, 2)
    return first


@pytest.fixture
def money_tile(monkeypatch):
    """A tile with a money column (fen), as the funds tiles have, over the cases filed."""
    filed = REGISTRY.tiles["cases.filed"]
    tile = Tile(
        "test.amounts",
        Group.CASES,
        "金额",
        filed.records,
        (
            *CASE_COLUMNS[:1],
            Column("Amount to enforce", lambda c: int(c.amount_to_enforce * 100), Unit.MONEY),
            Column("Created at", lambda c: c.created_at),
        ),
        permission=filed.permission,
    )
    monkeypatch.setitem(REGISTRY.tiles, tile.key, tile)
    return tile


def read(content: bytes):
    return load_workbook(BytesIO(content)).active


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_small_export_is_answered_at_once(client, chief_a, three_cases):
    client.force_login(chief_a)
    response = client.post(reverse(REQUEST), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # RFC 6266: the Chinese name travels as UTF-8 in filename*.
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert "20160101-20161231.xlsx" in response["Content-Disposition"]
    sheet = read(response.content)
    with translation.override("zh-hans"):
        headers = [str(column.header) for column in CASE_COLUMNS]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers
    assert len(rows) == 4
    assert {row[0] for row in rows[1:]} == set(
        EnforcementCase.objects.values_list("number", flat=True)
    )
    filed_on = sheet.cell(row=2, column=4)
    assert filed_on.is_date and filed_on.value.date() == dt.date(2016, 4, 1)
    assert ExportJob.objects.count() == 0


def test_money_is_written_in_yuan_with_the_money_format(client, chief_a, three_cases, money_tile):
    client.force_login(chief_a)
    response = client.post(reverse(REQUEST), {**PERIOD, "key": money_tile.key})
    sheet = read(response.content)
    amount = sheet.cell(row=2, column=2)
    assert amount.value == 120000  # the case's ¥120,000.00, written from 12,000,000 fen
    assert amount.number_format == "#,##0.00"
    created = sheet.cell(row=2, column=3)
    assert created.is_date and created.value.tzinfo is None  # local time, as Excel has no zones
    local = timezone.localtime(three_cases.created_at).replace(tzinfo=None, microsecond=0)
    assert abs(created.value - local) < dt.timedelta(seconds=1)


def test_the_previous_period_exports_the_previous_records(client, chief_a, three_cases):
    client.force_login(chief_a)
    params = {**PERIOD, "from": "2017-01-01", "to": "2017-12-31", "previous": "1"}
    response = client.post(reverse(REQUEST), params)
    assert len(list(read(response.content).iter_rows())) == 4  # 2016's three cases
    empty = client.post(reverse(REQUEST), {**params, "previous": ""})
    assert len(list(read(empty.content).iter_rows())) == 1  # headers only: an empty period


def test_the_intermediate_court_exports_its_courts_records(
    client, president_h, three_cases, court_b, court_h, judge_b, applicant, respondent
):
    file_case(court_b, judge_b, applicant, respondent)
    client.force_login(president_h)
    response = client.post(reverse(REQUEST), {**PERIOD, "court": court_h.pk})
    courts = [row[1] for row in read(response.content).iter_rows(min_row=2, values_only=True)]
    assert sorted(courts) == sorted([court_b.name] + [three_cases.court.name] * 3)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2016-13-01"}, "from"),
        ({"from": "2016-02-01", "to": "2016-01-01"}, "to"),
        ({"from": "2010-01-01", "to": "2016-01-01"}, "to"),  # longer than 36 months
        ({"kind": "pdf"}, "kind"),
        ({"key": ""}, "key"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, chief_a, params, field):
    client.force_login(chief_a)
    response = client.post(reverse(REQUEST), {**PERIOD, **params})
    assert response.status_code == 400
    assert field in response.context["errors"]
    assert ExportJob.objects.count() == 0


def test_another_courts_records_cannot_be_asked_for(client, chief_a, court_b):
    client.force_login(chief_a)
    response = client.post(reverse(REQUEST), {**PERIOD, "court": court_b.pk})
    assert response.status_code == 400
    assert "court" in response.context["errors"]


def test_a_tile_the_user_may_not_see_is_a_404(client, chief_a):
    client.force_login(chief_a)
    assert client.post(reverse(REQUEST), {**PERIOD, "key": "no.such.tile"}).status_code == 404


def test_only_bureau_roles_may_export(client, staff):
    client.force_login(staff[Role.CUSTODIAN])
    assert client.post(reverse(REQUEST), PERIOD).status_code == 403
    assert client.get(reverse("command:exports")).status_code == 403
    assert client.get(reverse(REQUEST)).status_code == 405  # POST only


@pytest.fixture
def queued(settings, client, chief_a, three_cases, django_capture_on_commit_callbacks):
    """More rows than the inline limit: a job is queued and sent to the worker on commit."""
    settings.COMMAND_EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(chief_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse(REQUEST), PERIOD)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("command:export", args=[job.pk])
    assert len(callbacks) == 1
    return job


def test_a_large_export_is_queued_then_built(client, queued, media):
    assert queued.status == ExportJob.Status.QUEUED
    assert (queued.rows_total, queued.rows_done) == (3, 0)
    assert queued.params == {**{k: PERIOD[k] for k in ("from", "to", "key")}, "previous": ""}
    page = client.get(reverse("command:export-progress", args=[queued.pk]))
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert client.get(reverse("command:export-download", args=[queued.pk])).status_code == 404

    job = services.build_export(queued.pk)

    assert job.status == ExportJob.Status.DONE
    assert (job.rows_total, job.rows_done, job.percent) == (3, 3, 100)
    assert job.started_at and job.finished_at
    page = client.get(reverse("command:export-progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert reverse("command:export-download", args=[job.pk]) in page
    download = client.get(reverse("command:export-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert "filename*=utf-8''" in download["Content-Disposition"].lower()
    assert len(list(read(b"".join(download.streaming_content)).iter_rows())) == 4
    assert len(stored_files(media)) == 1


def test_building_twice_builds_once(queued, media):
    assert services.build_export(queued.pk).status == ExportJob.Status.DONE
    assert services.build_export(queued.pk) is None  # the second delivery finds it done
    assert len(stored_files(media)) == 1


def test_a_running_build_is_retried_until_it_counts_as_abandoned(settings, queued, media):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    started = timezone.now() - dt.timedelta(seconds=60)
    ExportJob.objects.filter(pk=queued.pk).update(status="running", started_at=started)
    with pytest.raises(services.StillRunning) as running:  # the redelivery after a worker died
        services.build_export(queued.pk)
    assert timeout - 61 <= running.value.after <= timeout - 58
    abandoned = timezone.now() - dt.timedelta(seconds=timeout + 1)
    ExportJob.objects.filter(pk=queued.pk).update(started_at=abandoned)
    assert services.build_export(queued.pk).status == ExportJob.Status.DONE
    assert len(stored_files(media)) == 1


def test_an_unreachable_worker_fails_the_job_at_once(queued):
    from kombu.exceptions import OperationalError

    class Unreachable:
        def delay(self, job_id):
            raise OperationalError("connection refused")

    services._send_build(queued.pk, Unreachable())
    queued.refresh_from_db()
    assert queued.status == ExportJob.Status.FAILED and queued.finished_at is not None


def test_a_file_gone_from_storage_is_a_404(client, queued, media, chief_a):
    job = services.build_export(queued.pk)
    Path(job.file.path).unlink()
    client.force_login(chief_a)
    assert client.get(reverse("command:export-download", args=[job.pk])).status_code == 404


def test_a_failed_export_keeps_its_error_and_no_file(queued, media, monkeypatch):
    from courtexec.command import exports

    real = exports._cell
    seen = []

    def breaks_on_the_third_row(sheet, column, record):
        seen.append(record.pk)
        if len(set(seen)) == 3:
            raise RuntimeError("disk full")
        return real(sheet, column, record)

    monkeypatch.setattr(exports, "_cell", breaks_on_the_third_row)
    job = services.build_export(queued.pk)
    assert job.status == ExportJob.Status.FAILED
    assert "RuntimeError" in job.error
    assert not job.file
    assert stored_files(media) == []


def test_rights_are_checked_again_when_the_job_is_built(queued, chief_a):
    chief_a.groups.clear()
    chief_a.court = None
    chief_a.save()
    job = services.build_export(queued.pk)
    assert job.status == ExportJob.Status.FAILED
    assert job.error and not job.file


def test_a_job_is_seen_only_by_its_requester(client, queued, chief_b, judge_only_a, chief_a):
    services.build_export(queued.pk)
    urls = [
        reverse(name, args=[queued.pk])
        for name in ("command:export", "command:export-progress", "command:export-download")
    ]
    for other in (chief_b, judge_only_a):
        client.force_login(other)
        for url in urls:
            assert client.get(url).status_code == 404, url
        listing = client.get(reverse("command:exports"))
        assert listing.status_code == 200
        assert list(listing.context["jobs"]) == []
        assert "no-exports" in listing.content.decode()
    client.force_login(chief_a)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert list(client.get(reverse("command:exports")).context["jobs"]) == [queued]


def test_old_exports_are_removed_with_their_files(settings, queued, media, chief_a):
    settings.COMMAND_EXPORT_KEEP_DAYS = 7
    services.build_export(queued.pk)
    fresh = ExportJob.objects.create(requested_by=chief_a, kind="tile", title="新", rows_total=0)
    ExportJob.objects.filter(pk=queued.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert len(stored_files(media)) == 1
    assert tasks.remove_old_exports() == 1
    assert list(ExportJob.objects.all()) == [fresh]
    assert stored_files(media) == []
    assert tasks.remove_old_exports() == 0


def test_a_money_column_without_a_value_stays_empty():
    from courtexec.command import exports

    column = Column("Amount", lambda record: record, Unit.MONEY)
    assert exports._cell(None, column, None) is None
    assert exports._cell(None, Column("Rate", lambda r: r), Decimal("12.5")) == Decimal("12.5")
