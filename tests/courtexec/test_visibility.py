"""A user of court A cannot see court B's records through the UI, the API or admin."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from courtexec.models import Court, User
from courtexec.roles import Role
from courtexec.visibility import restrict, visible_court_ids
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_helper_limits_to_own_court(judge_a, judge_b):
    assert visible_court_ids(judge_a) == {judge_a.court_id}
    assert list(restrict(User.objects.all(), judge_a)) == [judge_a]


def test_president_of_higher_court_sees_lower_courts(court_a, court_b):
    high = CourtFactory(code="浙01", level=Court.Level.INTERMEDIATE)
    Court.objects.filter(pk__in=[court_a.pk]).update(parent=high)  # test set-up only
    elsewhere = CourtFactory(code="浙02", level=Court.Level.INTERMEDIATE)
    president = UserFactory(court=high, roles=[Role.PRESIDENT])
    assert visible_court_ids(president) == {high.pk, court_a.pk}
    assert elsewhere.pk not in visible_court_ids(president)


def test_president_of_basic_court_sees_only_it(court_a, court_b):
    president = UserFactory(court=court_a, roles=[Role.PRESIDENT])
    assert visible_court_ids(president) == {court_a.pk}


def test_system_administrator_sees_every_court(court_a, court_b):
    admin = UserFactory(court=court_a, roles=[Role.SYSADMIN])
    assert visible_court_ids(admin) is None
    assert restrict(Court.objects.all(), admin).count() == 2


def test_user_without_court_sees_nothing(court_a):
    loose = UserFactory(court=None)
    assert restrict(Court.objects.all(), loose).count() == 0


def test_api_lists_and_details(judge_a, judge_b):
    client = APIClient()
    client.force_authenticate(judge_a)
    listed = {row["username"] for row in client.get("/api/v1/users/").json()["results"]}
    assert listed == {"judge_a"}
    assert client.get(f"/api/v1/users/{judge_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/courts/{judge_b.court_id}/").status_code == 404
    courts = [row["code"] for row in client.get("/api/v1/courts/").json()["results"]]
    assert courts == ["浙0103"]


def test_ui_staff_directory(judge_a, judge_b):
    client = Client()
    client.force_login(judge_a)
    page = client.get("/staff/").content.decode()
    assert judge_a.display_name in page
    assert judge_b.display_name not in page
    # htmx asks for the table alone, which does not echo the search box.
    table = client.get("/staff/", {"q": judge_b.display_name}, HTTP_HX_REQUEST="true")
    assert "<html" not in table.content.decode()
    assert judge_b.display_name not in table.content.decode()
    assert "没有符合条件的人员" in table.content.decode()


def test_admin_changelist_and_change_page(court_a, court_b, judge_b):
    chief = UserFactory(court=court_a, roles=[Role.BUREAU_CHIEF], is_staff=True)
    client = Client()
    client.force_login(chief)
    changelist = client.get("/admin/courtexec/user/")
    assert changelist.status_code == 200
    assert chief.username in changelist.content.decode()
    assert judge_b.username not in changelist.content.decode()
    # Another court's record is not found, as if it did not exist.
    response = client.get(f"/admin/courtexec/user/{judge_b.pk}/change/")
    assert response.status_code == 302
    assert client.get(f"/admin/courtexec/court/{court_b.pk}/change/").status_code == 302


def test_history_pages_of_another_court_are_hidden_and_revert_refused(court_a, court_b):
    chief = UserFactory(court=court_a, roles=[Role.BUREAU_CHIEF], is_staff=True)
    client = Client()
    client.force_login(chief)
    assert client.get(f"/admin/courtexec/court/{court_b.pk}/history/").status_code == 404
    version = Court.history.filter(id=court_b.pk).first()
    url = f"/admin/courtexec/court/{court_b.pk}/history/{version.history_id}/"
    revert = {"name": "改掉", "code": court_b.code, "level": "basic"}
    assert client.post(url, revert).status_code == 404
    court_b.refresh_from_db()
    assert court_b.name != "改掉"
    own = Court.history.filter(id=court_a.pk).first()
    own_url = f"/admin/courtexec/court/{court_a.pk}/history/{own.history_id}/"
    assert client.post(own_url, {**revert, "code": court_a.code}).status_code == 403
