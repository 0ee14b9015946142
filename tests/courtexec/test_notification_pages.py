"""The notification centre's doors: API, inbox, preferences and failures pages, admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courtexec.models import Delivery, NotificationPreference
from courtexec.notifications import notify
from courtexec.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications/"


@pytest.fixture
def api(judge_a):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(judge_a)
    return client


@pytest.fixture
def sysadmin(court_a):
    return UserFactory(username="sysadmin", court=court_a, roles=[Role.SYSADMIN], is_staff=True)


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_filters_and_counts_own_notifications(api, judge_a, judge_b):
    notify([judge_a], kind="funds.arrival", message="到账")
    notify([judge_a], kind="tip", message="线索")
    notify([judge_b], kind="tip", message="别人的")
    body = api.get(API).json()
    assert body["count"] == 2
    assert {n["message"] for n in body["results"]} == {"到账", "线索"}
    row = next(n for n in body["results"] if n["kind"] == "tip")
    assert (row["category"], row["kind_label"]) == ("debtors", "Tip about a debtor's property")
    assert [n["message"] for n in api.get(API, {"kind": "tip"}).json()["results"]] == ["线索"]
    assert api.get(API, {"category": "funds"}).json()["count"] == 1
    assert api.get(f"{API}unread-count/").json() == {"unread": 2}


def test_api_marks_one_and_all_read(api, judge_a):
    first, _second = (notify([judge_a], kind="tip", message=m)[0] for m in ("一", "二"))
    response = api.post(f"{API}{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"]
    assert api.get(API, {"unread": "true"}).json()["count"] == 1
    assert api.post(f"{API}read-all/").json() == {"marked": 1}
    assert api.get(f"{API}unread-count/").json() == {"unread": 0}


def test_nobody_reads_or_marks_another_persons_notification(api, judge_b):
    [theirs] = notify([judge_b], kind="tip", message="别人的")
    assert api.post(f"{API}{theirs.pk}/read/").status_code == 404
    assert api.get(f"{API}{theirs.pk}/").status_code == 404
    assert api.post(f"{API}read-all/").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_needs_a_signed_in_user():
    assert APIClient().get(API).status_code in {401, 403}


def test_api_preferences_get_and_put(api, judge_a):
    rows = {r["category"]: r for r in api.get(f"{API}preferences/").json()}
    assert rows["funds"]["channels"] == ["sms"] and rows["funds"]["uses_defaults"]
    assert "Standby callout" in rows["standby"]["always_sms"]
    assert "system" not in rows
    response = api.put(
        f"{API}preferences/",
        {"preferences": [{"category": "funds", "channels": ["email", "wechat"]}]},
        format="json",
    )
    assert response.status_code == 200
    rows = {r["category"]: r for r in response.json()}
    assert rows["funds"]["channels"] == ["email", "wechat"]
    assert not rows["funds"]["uses_defaults"]
    assert NotificationPreference.objects.get(user=judge_a).channels == ["email", "wechat"]


@pytest.mark.parametrize(
    "body",
    [
        {"preferences": [{"category": "system", "channels": ["sms"]}]},
        {"preferences": [{"category": "funds", "channels": ["fax"]}]},
        {"preferences": "funds"},
        {},
    ],
)
def test_api_preferences_refuse_bad_input_with_400(api, body):
    response = api.put(f"{API}preferences/", body, format="json")
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_api_schema_documents_the_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ["", "unread-count/", "read-all/", "preferences/", "{id}/read/"]:
        assert f"{API}{path}" in paths
    assert "put" in paths[f"{API}preferences/"]


# --- pages -------------------------------------------------------------------------------------


def sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_inbox_filters_by_category_and_marks_one_read_with_htmx(client, judge_a):
    [tip] = notify([judge_a], kind="tip", message="新的线索", link="/debtors/tips/1/")
    notify([judge_a], kind="funds.arrival", message="案款到账")
    sign_in(client, judge_a)
    page = client.get(reverse("notifications"), {"category": "debtors"}).text
    assert "新的线索" in page and "案款到账" not in page
    assert 'href="/debtors/tips/1/"' in page
    partial = client.post(
        reverse("notifications") + "?unread=1", {"id": tip.pk}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.text  # only the list, swapped in place
    assert "新的线索" not in partial.text and "案款到账" in partial.text
    assert 'id="unread-badge" hx-swap-oob="true"' in partial.text  # the count in the nav too
    assert 'bg-danger">1<' in partial.text
    tip.refresh_from_db()
    assert tip.read_at is not None


def test_inbox_empty_states(client, judge_a):
    sign_in(client, judge_a)
    assert 'data-testid="inbox-empty"' in client.get(reverse("notifications")).text


def test_preferences_page_saves_the_matrix(client, judge_a):
    sign_in(client, judge_a)
    page = client.get(reverse("notification-preferences"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Always by text message as well" in page.text
    response = client.post(
        reverse("notification-preferences"), {"funds": ["email"], "standby": ["wechat"]}
    )
    assert response.status_code == 302
    stored = dict(
        NotificationPreference.objects.filter(user=judge_a).values_list("category", "channels")
    )
    assert stored["funds"] == ["email"] and stored["standby"] == ["wechat"]
    assert stored["vehicles"] == []  # an unticked row: nothing outside
    bad = client.post(reverse("notification-preferences"), {"funds": ["fax"]})
    assert bad.status_code == 200  # the form again, with its error
    assert NotificationPreference.objects.get(user=judge_a, category="funds").channels == ["email"]


def test_failures_page_is_for_system_administrators(client, judge_a, sysadmin):
    failed = Delivery.objects.create(
        address="13800000001", text="发不出去", kind="tip", status="failed", attempts=5
    )
    sign_in(client, judge_a)
    assert client.get(reverse("delivery-failures")).status_code == 403
    client.logout()
    sign_in(client, sysadmin)
    page = client.get(reverse("delivery-failures"))
    assert "发不出去" in page.text
    client.post(reverse("delivery-failures"), {"id": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert 'data-testid="no-failures"' in client.get(reverse("delivery-failures")).text


# --- admin -------------------------------------------------------------------------------------


def test_admin_lists_the_outbox_and_retries(client, sysadmin):
    failed = Delivery.objects.create(address="13800000001", text="验证码 123456", kind="tip",
                                     status="failed")  # fmt: skip
    sign_in(client, sysadmin)
    changelist = reverse("admin:courtexec_delivery_changelist")
    assert "验证码 123456" in client.get(changelist, {"status__exact": "failed"}).text
    client.post(changelist, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "queued"
    for name in ["notification", "notificationpreference"]:
        assert client.get(reverse(f"admin:courtexec_{name}_changelist")).status_code == 200


def test_admin_outbox_is_not_for_other_roles(client, court_a):
    chief = UserFactory(username="chief", court=court_a, roles=[Role.SECTION_CHIEF], is_staff=True)
    sign_in(client, chief)
    assert client.get(reverse("admin:courtexec_delivery_changelist")).status_code == 403


def test_demo_loads_preferences_and_a_failure_once(judge_a):
    from courtexec import demo_notifications

    assert demo_notifications.load(judge=judge_a) == 3
    assert demo_notifications.load(judge=judge_a) == 0
    assert Delivery.objects.get().status == "failed"


# --- secret texts and bad input -----------------------------------------------------------------

CODE_TEXT = "您的验证码为482913，5分钟内有效。"


def test_secret_texts_are_never_shown_nor_searched_in_the_admin(client, sysadmin):
    queued = Delivery.objects.create(address="13800000001", text=CODE_TEXT,
                                     kind="liaison.sign_in_code")  # fmt: skip
    Delivery.objects.create(address="13800000002", text="线索 482913", kind="tip")
    sign_in(client, sysadmin)
    changelist = reverse("admin:courtexec_delivery_changelist")
    listing = client.get(changelist).text
    assert "482913" in listing  # the tip's text
    assert CODE_TEXT not in listing and "验证码为••••••" in listing
    found = client.get(changelist, {"q": "482913"}).text
    assert "13800000002" in found and "13800000001" not in found  # a code is no search hit
    assert "13800000001" in client.get(changelist, {"q": "13800000001"}).text  # its address is
    detail = client.get(reverse("admin:courtexec_delivery_change", args=[queued.pk])).text
    assert "482913" not in detail and "••••••" in detail


def test_failures_page_masks_a_secret_text_and_does_not_resend_it(client, sysadmin):
    failed = Delivery.objects.create(address="13800000001", text=CODE_TEXT, status="failed",
                                     kind="liaison.sign_in_code", attempts=5)  # fmt: skip
    sign_in(client, sysadmin)
    page = client.get(reverse("delivery-failures")).text
    assert "482913" not in page and "验证码为••••••" in page
    client.post(reverse("delivery-failures"), {"id": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "failed"  # masked: the party asks for a new code


@pytest.mark.parametrize("bad", ["²", "١", "abc", "1" * 19, "-1"])
def test_pages_answer_400_to_an_id_that_is_not_a_number(client, judge_a, sysadmin, bad):
    [note] = notify([judge_a], kind="tip", message="线索")
    sign_in(client, judge_a)
    assert client.post(reverse("notifications"), {"id": [bad]}).status_code == 400
    note.refresh_from_db()
    assert note.read_at is None  # a bad id does not mark everything read
    client.logout()
    sign_in(client, sysadmin)
    assert client.post(reverse("delivery-failures"), {"id": [bad]}).status_code == 400


@pytest.mark.parametrize("bad", ["²", "١٢", "1²"])
def test_api_answers_404_to_a_non_ascii_number(api, judge_a, bad):
    notify([judge_a], kind="tip", message="线索")
    assert api.post(f"{API}{bad}/read/").status_code == 404
    assert api.get(f"{API}{bad}/").status_code == 404


def test_api_help_texts_are_translated(api):
    from django.utils.functional import Promise

    from courtexec.api.notifications import PreferenceSerializer

    fields = PreferenceSerializer().fields
    for name in ["channels", "always_sms"]:
        assert isinstance(fields[name].help_text, Promise)  # gettext_lazy, not a bare literal
