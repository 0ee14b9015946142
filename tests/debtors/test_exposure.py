"""Exposure (360°曝光): records only for published entries, withdrawn with the entry; the
national-list export; the community notice and the big screen never show a full ID number."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from courtexec.roles import Role
from debtors import rules, services
from debtors.models import BlacklistEntry, ExposureRecord
from tests.debtors.listing import NOW, propose, publish
from tests.enforcement.fixtures import PERSON_ID_2, file_case

pytestmark = pytest.mark.django_db

Channel = ExposureRecord.Channel
BIRTH = PERSON_ID_2[6:14]  # 19800101


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def president(staff):
    return staff[Role.PRESIDENT]


@pytest.fixture
def person_case(court_a, judge, applicant, person_respondent):
    return file_case(
        court_a, judge, applicant, person_respondent, instrument_number="(2016)浙0103民初300号"
    )


@pytest.fixture
def published(person_case, judge, president, travel):
    return publish(person_case, judge, president, until_deleted=True)


def expose(entry, judge, channel=Channel.NOTICE_BOARD, outlet="朝晖街道公告栏", **kwargs):
    return services.record_exposure(
        entry=entry, channel=channel, outlet=outlet, user=judge, **kwargs
    )


# --- Recording and withdrawing ----------------------------------------------------------------


def test_exposure_only_for_a_published_entry(person_case, judge, president, travel):
    entry = propose(person_case, judge, until_deleted=True)
    with pytest.raises(ValidationError) as refused:
        expose(entry, judge)
    assert refused.value.error_dict["entry"][0].code == "not_published"
    services.approve_listing(entry=entry, user=president)
    with pytest.raises(ValidationError):
        expose(entry, judge)  # approved is not yet published
    services.publish_listing(entry=entry, user=judge)
    record = expose(entry, judge, reference="2026-03-02")
    assert record.is_open and record.published_on == dt.date(2026, 3, 2)
    assert record.recorded_by == judge
    assert record.history.count() == 1


def test_one_open_record_per_outlet_and_bad_input(published, judge):
    expose(published, judge)
    with pytest.raises(ValidationError) as again:
        expose(published, judge)
    assert again.value.error_dict["outlet"][0].code == "already_exposed"
    expose(published, judge, channel=Channel.NEWSPAPER, outlet="杭州日报")  # another outlet
    with pytest.raises(ValidationError) as blank:
        expose(published, judge, outlet="  ")
    assert "outlet" in blank.value.error_dict
    with pytest.raises(ValidationError) as bad:
        expose(published, judge, channel="billboard")
    assert "channel" in bad.value.error_dict
    with pytest.raises(ValidationError) as early:
        expose(published, judge, outlet="论坛", published_on=dt.date(2026, 3, 1))
    assert "published_on" in early.value.error_dict
    with pytest.raises(ValidationError) as future:
        expose(published, judge, outlet="论坛", published_on=dt.date(2026, 3, 3))
    assert "published_on" in future.value.error_dict


def test_only_the_courts_officers_record(published, staff, court_b):
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        expose(published, staff[Role.FINANCE])  # no permission
    other = UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE])
    with pytest.raises(PermissionDenied):
        expose(published, other)  # another court


def test_withdraw_with_a_reason_once(published, judge, travel):
    record = expose(published, judge)
    with pytest.raises(ValidationError):
        services.withdraw_exposure(record=record, reason=" ", user=judge)
    travel.shift(dt.timedelta(days=10))
    record = services.withdraw_exposure(record=record, reason="公告期满", user=judge)
    assert record.withdrawn_on == dt.date(2026, 3, 12)
    with pytest.raises(ValidationError) as again:
        services.withdraw_exposure(record=record, reason="再撤", user=judge)
    assert again.value.error_dict["withdrawn_on"][0].code == "withdrawn"
    # Withdrawn, the outlet may be used again.
    assert expose(published, judge).is_open


def test_deletion_withdraws_open_exposures_the_same_day(published, judge, travel):
    board = expose(published, judge)
    paper = expose(published, judge, channel=Channel.NEWSPAPER, outlet="杭州日报")
    old = expose(published, judge, channel=Channel.FORUM, outlet="19楼论坛")
    services.withdraw_exposure(record=old, reason="论坛撤帖", user=judge)
    travel.shift(dt.timedelta(days=20))
    services.delete_listing(
        entry=published,
        ground=rules.DeletionGround.APPLICANT_REQUEST,
        arose_on=dt.date(2026, 3, 20),
        user=judge,
    )
    for record in (board, paper):
        record.refresh_from_db()
        assert record.withdrawn_on == dt.date(2026, 3, 22)
        assert record.withdrawal_reason
    old.refresh_from_db()
    assert old.withdrawn_on == dt.date(2026, 3, 2) and old.withdrawal_reason == "论坛撤帖"
    assert not ExposureRecord.objects.filter(withdrawn_on__isnull=True).exists()


def test_correction_withdraws_open_exposures(published, judge, travel):
    record = expose(published, judge)
    request = services.request_correction(
        entry=published,
        ground=rules.CorrectionGround.INACCURATE,
        statement="身份证号码有误",
        received_on=dt.date(2026, 3, 2),
        user=judge,
    )
    services.review_correction(
        request=request, upheld=True, reviewed_on=dt.date(2026, 3, 2), user=judge
    )
    services.correct_entry(request=request, user=judge)
    record.refresh_from_db()
    assert record.withdrawn_on == dt.date(2026, 3, 2)


# --- National database export -----------------------------------------------------------------


def test_national_export_records_each_entry_once(
    published, case, court_a, judge, president, travel
):
    organisation = publish(case, judge, president, number="之二")
    propose(file_case(court_a, judge, *_other_parties(court_a)), judge)  # proposed: not exported
    export = services.export_national_list(court=court_a, user=judge)
    assert (export.exported, export.recorded) == (2, 2)
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "被执行人姓名/名称" and "案号" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    ids = rows[0].index("身份证号码/统一社会信用代码")
    # For the national system the full number goes out (ADR 015); it is never shown publicly.
    assert by_name["王五"][ids] == PERSON_ID_2
    assert by_name["王五"][rows[0].index("年龄")] == "46"
    assert by_name["杭州某某贸易有限公司"][rows[0].index("法定代表人或者负责人姓名")] == "李四"
    national = ExposureRecord.objects.filter(channel=Channel.NATIONAL_DATABASE)
    assert {r.entry_id for r in national} == {published.pk, organisation.pk}
    # A second export lists both again but records nothing new while those stay open.
    again = services.export_national_list(court=court_a, user=judge, fmt="csv")
    assert (again.exported, again.recorded) == (2, 0)
    lines = list(csv.reader(io.StringIO(again.content.decode("utf-8-sig"))))
    assert lines[0][0] == "被执行人姓名/名称" and len(lines) == 3
    assert national.count() == 2


def test_national_export_refuses_unknown_format_and_outsiders(published, court_a, staff):
    with pytest.raises(ValidationError):
        services.export_national_list(court=court_a, user=staff[Role.JUDGE], fmt="pdf")
    with pytest.raises(PermissionDenied):
        services.export_national_list(court=court_a, user=staff[Role.FINANCE])
    assert not ExposureRecord.objects.exists()


def _other_parties(court):
    from enforcement import services as enforcement
    from enforcement.models import Party

    applicant = enforcement.register_party(
        court=court, kind=Party.Kind.PERSON, name="赵六", phone="13900000009"
    )
    debtor = enforcement.register_party(
        court=court, kind=Party.Kind.PERSON, name="钱七", birth_date=dt.date(1970, 1, 1)
    )
    return applicant, debtor


# --- Printed notice, staff pages, big screen --------------------------------------------------


def _assert_masked(html: str) -> None:
    assert PERSON_ID_2 not in html
    assert BIRTH not in html and "1980-01-01" not in html


def test_community_notice_is_masked_and_shows_the_hotline(published, judge, settings):
    settings.DEBTORS_TIP_HOTLINE = "0571-12345678"
    client = Client()
    client.force_login(judge)
    with translation.override("en"):
        page = client.get(f"/debtors/entries/{published.pk}/notice/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    _assert_masked(html)
    assert rules.mask_id_number(PERSON_ID_2) in html
    assert "0571-12345678" in html and "王五" in html and published.case.court.name in html
    assert "@page" in html and "A4" in html


def test_community_notice_only_for_published_entries_of_visible_courts(
    person_case, judge, court_b, travel
):
    from tests.factories import UserFactory

    entry = propose(person_case, judge)
    client = Client()
    client.force_login(judge)
    assert client.get(f"/debtors/entries/{entry.pk}/notice/").status_code == 404
    outsider = UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE])
    client.force_login(outsider)
    assert client.get(f"/debtors/entries/{entry.pk}/notice/").status_code == 404
    assert Client().get(f"/debtors/entries/{entry.pk}/notice/").status_code == 302  # login


def test_staff_exposure_page_and_export_download(published, judge, court_a):
    expose(published, judge)
    client = Client()
    client.force_login(judge)
    page = client.get("/debtors/exposure/?channel=notice_board&open=1")
    assert page.status_code == 200 and "朝晖街道公告栏" in page.content.decode()
    download = client.post("/debtors/exposure/national-export/", {"format": "csv"})
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.csv"')
    assert PERSON_ID_2 in download.content.decode("utf-8-sig")
    bad = client.post("/debtors/exposure/national-export/", {"format": "pdf"})
    assert bad.status_code == 302  # back to the list with the message


def test_big_screen_is_public_masked_and_follows_the_list(published, judge, court_a, travel):
    client = Client()
    page = client.get("/public/big-screen/?court=" + court_a.code + "&interval=1&per_page=3")
    assert page.status_code == 200
    html = page.content.decode()
    _assert_masked(html)
    assert 'data-interval="1"' in html and 'data-per-page="3"' in html
    data = client.get("/public/big-screen/data/", {"court": court_a.code}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["id_number"] == rules.mask_id_number(PERSON_ID_2)
    assert row["name"] == "王五" and row["case_number"] == published.case.number
    _assert_masked(str(data))
    assert client.get("/public/big-screen/data/", {"court": "浙9999"}).json()["count"] == 0
    services.delete_listing(
        entry=published,
        ground=rules.DeletionGround.APPLICANT_REQUEST,
        arose_on=dt.date(2026, 3, 2),
        user=judge,
    )
    assert client.get("/public/big-screen/data/").json() == {
        "count": 0,
        "hotline": data["hotline"],
        "results": [],
    }
    with translation.override("en"):
        empty = client.get("/public/big-screen/?interval=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 200 and 'data-interval="8"' in empty.content.decode()
    assert 'data-testid="empty">' in empty.content.decode()


def test_an_organisation_shows_its_credit_code_and_representative(case, judge, president, travel):
    entry = publish(case, judge, president)
    row = Client().get("/public/big-screen/data/").json()["results"][0]
    assert row["id_number"] == entry.respondent.party.id_number
    assert row["legal_representative"] == "李四"
    assert BlacklistEntry.objects.get(pk=entry.pk).status == BlacklistEntry.Status.PUBLISHED


# --- Demo and admin ---------------------------------------------------------------------------


def test_demo_exposure_is_idempotent_and_tolerates_an_empty_list(
    court_a, staff, person_case, judge, president, travel
):
    from debtors.demo_exposure import load_exposure

    assert load_exposure(court_a, staff) == 0
    publish(person_case, judge, president, until_deleted=True)
    assert load_exposure(court_a, staff) == 3  # big screen, notice board, newspaper
    assert load_exposure(court_a, staff) == 0
    assert ExposureRecord.objects.filter(withdrawn_on__isnull=True).count() == 3


def test_admin_withdraws_through_the_service(admin_client, published, judge):
    record = expose(published, judge)
    response = admin_client.post(
        "/admin/debtors/exposurerecord/",
        {"action": "withdraw", "_selected_action": [record.pk]},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_on == dt.date(2026, 3, 2) and record.withdrawal_reason
    assert record.history.count() == 2
    assert admin_client.get("/admin/debtors/exposurerecord/add/").status_code == 403
