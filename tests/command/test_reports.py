"""The monthly report (执行工作月报): made once per court and month with the month's figures (a
higher court's summing its courts'), the chiefs told once, read as a printable page, a
spreadsheet and through the API, by those who may see the court."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from courtexec.command import services, tasks
from courtexec.command.demo import load as load_demo
from courtexec.command.models import ExportJob, MonthlyReport
from courtexec.command.tiles import REGISTRY
from courtexec.models import Notification
from courtexec.roles import Role
from tests.command.export_helpers import copies
from tests.enforcement.fixtures import file_case
from tests.factories import UserFactory

MARCH = dt.date(2016, 3, 1)


@pytest.fixture
def filed(court_h, court_a, court_b, judge, judge_b, applicant, respondent):
    """In court A two cases filed in March 2016 and one in February; in B one in March and
    one in April (outside the month)."""
    a = file_case(court_a, judge, applicant, respondent, filed_on=dt.date(2016, 3, 31))
    copies(a, 1, filed_on=dt.date(2016, 3, 1))
    copies(a, 1, filed_on=dt.date(2016, 2, 29))
    b = file_case(court_b, judge_b, applicant, respondent, filed_on=dt.date(2016, 3, 15))
    copies(b, 1, filed_on=dt.date(2016, 4, 1))


def figure(report: MonthlyReport, key: str) -> dict:
    return next(f for f in report.figures if f["key"] == key)


def test_each_court_gets_the_months_figures_once(filed, court_a, court_b, court_h):
    made = services.make_monthly_reports(month=dt.date(2016, 3, 20))
    assert {report.court for report in made} == {court_a, court_b, court_h}
    reports = {r.court_id: r for r in MonthlyReport.objects.all()}
    assert all(r.month == MARCH for r in reports.values())
    cases = {c: figure(reports[c.pk], "cases.filed") for c in (court_a, court_b, court_h)}
    assert (cases[court_a]["value"], cases[court_a]["previous"]) == (2, 1)
    assert (cases[court_b]["value"], cases[court_b]["previous"]) == (1, 0)
    assert (cases[court_h]["value"], cases[court_h]["previous"]) == (3, 1)  # A and B summed
    with translation.override("zh-hans"):
        label = str(REGISTRY.tiles["cases.filed"].label)
    assert cases[court_a] | {"value": 0, "previous": 0} == {
        "key": "cases.filed",
        "group": "cases",
        "label": label,
        "unit": "count",
        "value": 0,
        "previous": 0,
    }
    assert {f["key"] for f in reports[court_a.pk].figures} == set(REGISTRY.tiles)

    assert services.make_monthly_reports(month=MARCH) == []  # a second run makes nothing
    assert MonthlyReport.objects.count() == 3


def test_an_empty_month_reports_zeros(filed, court_a):
    services.make_monthly_reports(month=dt.date(2016, 6, 1))
    report = MonthlyReport.objects.get(court=court_a)
    assert (figure(report, "cases.filed")["value"], figure(report, "cases.filed")["previous"]) == (
        0,
        0,
    )


def test_the_chiefs_and_president_are_told_once_per_report(court_a, court_h, staff, chief_a):
    both = UserFactory(
        username="chief_and_president", court=court_a, roles=[Role.BUREAU_CHIEF, Role.PRESIDENT]
    )
    services.make_monthly_reports(month=MARCH)
    services.make_monthly_reports(month=MARCH)
    report = MonthlyReport.objects.get(court=court_a)
    told = Notification.objects.filter(kind="report.monthly")
    expected = {
        staff[Role.BUREAU_CHIEF],
        staff[Role.SECTION_CHIEF],
        staff[Role.PRESIDENT],
        chief_a,
        both,
    }
    assert {n.recipient for n in told} == expected  # court H has no staff: nobody told there
    assert told.count() == len(expected)
    assert {n.link for n in told} == {reverse("command:report", args=[report.pk])}
    assert "2016-03" in told.first().message


def test_a_higher_courts_report_is_for_those_who_see_its_courts(court_h, president_h, client):
    """H's report totals A and B: H's president reads it and is told; H's chief, who sees only
    court H, is neither told nor shown it."""
    chief_h = UserFactory(username="cc_chief_h", court=court_h, roles=[Role.BUREAU_CHIEF])
    services.make_monthly_reports(month=MARCH)
    report = MonthlyReport.objects.get(court=court_h)
    told = {n.recipient for n in Notification.objects.filter(kind="report.monthly")}
    assert president_h in told and chief_h not in told
    client.force_login(chief_h)
    assert client.get(reverse("command:report", args=[report.pk])).status_code == 404
    client.force_login(president_h)
    assert client.get(reverse("command:report", args=[report.pk])).status_code == 200


def test_the_task_reports_the_month_just_ended(court_a):
    assert tasks.make_monthly_reports() >= 1
    first = timezone.localdate().replace(day=1)
    assert MonthlyReport.objects.get(court=court_a).month == (first - dt.timedelta(days=1)).replace(
        day=1
    )
    assert tasks.make_monthly_reports() == 0


def test_the_monthly_job_is_scheduled(db):
    job = PeriodicTask.objects.get(task="command.make_monthly_reports")
    assert (job.crontab.minute, job.crontab.hour, job.crontab.day_of_month) == ("0", "7", "1")
    assert str(job.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.filter(task="command.remove_old_exports", enabled=True).exists()


@pytest.fixture
def reports(filed, court_a, court_b, court_h):
    services.make_monthly_reports(month=MARCH)
    return {r.court_id: r for r in MonthlyReport.objects.all()}


def test_the_list_shows_the_courts_one_sees(client, reports, chief_a, president_h, court_a):
    client.force_login(chief_a)
    page = client.get(reverse("command:reports"))
    assert page.status_code == 200
    assert [r.court for r in page.context["page"]] == [court_a]
    client.force_login(president_h)
    page = client.get(reverse("command:reports"))
    assert len(page.context["page"]) == 3
    page = client.get(reverse("command:reports"), {"court": court_a.pk, "year": 2016})
    assert [r.court for r in page.context["page"]] == [court_a]
    empty = client.get(reverse("command:reports"), {"year": 2015})
    assert "no-reports" in empty.content.decode()


def test_bad_filters_are_a_400(client, reports, chief_a, court_b):
    client.force_login(chief_a)
    assert client.get(reverse("command:reports"), {"year": "abc"}).status_code == 400
    assert client.get(reverse("command:reports"), {"court": court_b.pk}).status_code == 400


def test_only_chiefs_and_presidents_read_reports(client, reports, judge_only_a, court_a):
    client.force_login(judge_only_a)
    assert client.get(reverse("command:reports")).status_code == 403
    pk = reports[court_a.pk].pk
    assert client.get(reverse("command:report", args=[pk])).status_code == 403
    assert client.get(reverse("api-stats-reports")).status_code == 403


def test_the_printable_report(client, reports, president_h, court_h, chief_b):
    report = reports[court_h.pk]
    client.force_login(president_h)
    page = client.get(reverse("command:report", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "@media print" in html and "size: A4" in html
    assert court_h.name in html
    [line] = [
        line for section in page.context["sections"] for line in section.lines
        if line.key == "cases.filed"
    ]  # fmt: skip
    assert (line.value, line.previous, line.change) == (3, 1, 2)
    assert 'data-testid="figure-cases.filed"' in html and "+2" in html
    client.force_login(chief_b)  # court B's chief may not read the higher court's report
    assert client.get(reverse("command:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("command:report-xlsx", args=[report.pk])).status_code == 404


def test_the_report_as_a_spreadsheet(client, reports, chief_a, court_a):
    report = reports[court_a.pk]
    client.force_login(chief_a)
    response = client.get(reverse("command:report-xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("分类", "指标", "单位", "本月", "上月", "增减")
    label = figure(report, "cases.filed")["label"]
    [row] = [row for row in rows[2:] if row[1] == label]
    assert row[3:] == (2, 1, 1)


def test_the_api_lists_and_reads_visible_reports(client, reports, chief_a, court_a, court_b):
    client.force_login(chief_a)
    listing = client.get(reverse("api-stats-reports"))
    assert listing.status_code == 200
    [item] = listing.json()["results"]
    assert (item["court"], item["month"]) == (court_a.pk, "2016-03-01")
    filed = next(f for f in item["figures"] if f["key"] == "cases.filed")
    assert (filed["value"], filed["previous"]) == (2, 1)
    assert client.get(reverse("api-stats-reports"), {"year": 2015}).json()["results"] == []
    assert client.get(reverse("api-stats-reports"), {"court": court_b.pk}).status_code == 400
    own = reports[court_a.pk].pk
    assert client.get(reverse("api-stats-report", args=[own])).json()["id"] == own
    other = reports[court_b.pk].pk
    assert client.get(reverse("api-stats-report", args=[other])).status_code == 404


def test_the_admin_shows_reports_of_visible_courts(client, reports, court_a):
    chief = UserFactory(
        username="admin_chief", court=court_a, roles=[Role.BUREAU_CHIEF], is_staff=True
    )
    client.force_login(chief)
    page = client.get(reverse("admin:command_monthlyreport_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [reports[court_a.pk]]
    assert client.get(reverse("admin:command_exportjob_changelist")).status_code == 200


def test_the_demo_makes_last_months_reports_and_a_finished_export(
    settings, tmp_path, court_a, chief_a
):
    settings.MEDIA_ROOT = tmp_path
    loaded = load_demo(chief=chief_a)
    assert loaded.reports == 1 and loaded.exports == 1
    assert ExportJob.objects.get(requested_by=chief_a).status == ExportJob.Status.DONE
    again = load_demo(chief=chief_a)
    assert (again.reports, again.exports) == (0, 0)


def test_the_reports_api_is_documented():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    listing = schema["paths"]["/api/v1/stats/reports/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"court", "year", "page"}
    assert set(listing["responses"]) == {"200", "400", "403"}
    assert set(schema["paths"]["/api/v1/stats/reports/{id}/"]["get"]["responses"]) == {
        "200",
        "403",
        "404",
    }
