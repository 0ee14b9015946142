"""Signing in to the party portal with a one-time code: the code's life (expiry, wrong tries,
superseded, used once), the hourly limits per number and per address (also under concurrent
requests), the same answer for an unknown number, and a rotated session."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from courtexec.channels.sms import sandbox_phone
from courtexec.models import Delivery
from courtexec.notifications import relay_deliveries
from courtexec.roles import Role
from enforcement.liaison import services
from enforcement.liaison.models import LoginCode, PortalAccount
from tests.liaison.conftest import APPLICANT_PHONE, RESPONDENT_PHONE

pytestmark = pytest.mark.django_db

UNKNOWN_PHONE = "13700000009"
LOGIN = reverse("liaison:portal-login")
LOGIN_CODE = reverse("liaison:portal-login-code")
API_CODE = "/api/v1/liaison/auth/code/"
API_SESSION = "/api/v1/liaison/auth/session/"


def english(address: str = "10.0.0.1") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def last_code(phone: str) -> str:
    """The code as the party reads it from the sandbox SMS outbox."""
    relay_deliveries()  # the worker's part: the sandbox gateway texts the phone
    return re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", sandbox_phone(phone)[-1]).group(1)


def ask(phone: str, address: str = "10.0.0.1") -> str:
    services.request_sign_in_code(phone=phone, client_ip=address)
    return last_code(phone)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def on_file(case):
    """The shared case: its applicant has 13900000001 on file (no account yet)."""
    return case


def test_code_is_texted_and_kept_only_hashed(on_file):
    client = english()
    response = client.post(LOGIN, {"phone": APPLICANT_PHONE})
    assert response.status_code == 302 and response["Location"] == LOGIN_CODE
    code = last_code(APPLICANT_PHONE)
    stored = LoginCode.objects.get(phone=APPLICANT_PHONE)
    assert stored.code_hash == services.code_digest(APPLICANT_PHONE, code) != code
    assert code not in stored.code_hash
    assert stored.client_ip == "10.0.0.1"
    assert stored.expires_at - stored.created_at == dt.timedelta(seconds=300)
    assert Delivery.objects.get(kind="liaison.sign_in_code").channel == Delivery.Channel.SMS


def test_unknown_number_gets_the_same_answer_and_no_text(on_file):
    known, unknown = english("10.0.0.1"), english("10.0.0.2")
    first = known.post(LOGIN, {"phone": APPLICANT_PHONE}, follow=True)
    second = unknown.post(LOGIN, {"phone": UNKNOWN_PHONE}, follow=True)
    assert first.status_code == second.status_code == 200
    strip = re.compile(r"1\d\d\*{4}\d{4}|csrfmiddlewaretoken\" value=\"[^\"]+\"")
    assert strip.sub("", first.content.decode()) == strip.sub("", second.content.decode())
    api_known = english("10.0.0.3").post(API_CODE, {"phone": APPLICANT_PHONE})
    api_unknown = english("10.0.0.4").post(API_CODE, {"phone": UNKNOWN_PHONE})
    assert (api_known.status_code, api_known.json()) == (202, api_unknown.json())
    assert not Delivery.objects.filter(address=UNKNOWN_PHONE).exists()
    # The unknown number's request counts like any other, and no code of it signs in.
    assert LoginCode.objects.filter(phone=UNKNOWN_PHONE).count() == 2
    with pytest.raises(ValidationError, match="wrong"):
        services.sign_in_with_code(phone=UNKNOWN_PHONE, code="000000")
    assert not PortalAccount.objects.filter(phone=UNKNOWN_PHONE).exists()


def test_correct_code_signs_in_with_a_new_session(on_file):
    client = english()
    client.post(LOGIN, {"phone": APPLICANT_PHONE})
    before = client.session.session_key
    response = client.post(LOGIN_CODE, {"code": last_code(APPLICANT_PHONE)})
    assert response.status_code == 302 and response["Location"] == reverse("liaison:portal-home")
    assert client.session.session_key != before
    account = PortalAccount.objects.select_related("user").get(phone=APPLICANT_PHONE)
    user = account.user
    assert int(client.session[SESSION_KEY]) == user.pk
    assert user.username == f"p{APPLICANT_PHONE}" and user.court_id is None
    assert not user.has_usable_password()
    assert [g.name for g in user.groups.all()] == [Role.PARTY.value]
    assert not user.user_permissions.exists() and not user.is_staff
    assert account.last_sign_in_at is not None
    assert client.get(reverse("liaison:portal-home")).status_code == 200


def test_signing_in_again_reuses_the_account(on_file, applicant_account):
    services.sign_in_with_code(phone=APPLICANT_PHONE, code=ask(APPLICANT_PHONE))
    assert PortalAccount.objects.filter(phone=APPLICANT_PHONE).get() == applicant_account


def test_code_expires_after_five_minutes(on_file):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = ask(APPLICANT_PHONE)
    later = start + dt.timedelta(seconds=301)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError, match="expired"):
        services.sign_in_with_code(phone=APPLICANT_PHONE, code=code)
    with time_machine.travel(start + dt.timedelta(seconds=299), tick=False):
        assert services.sign_in_with_code(phone=APPLICANT_PHONE, code=code).phone


def test_five_wrong_tries_kill_the_code(on_file):
    code = ask(APPLICANT_PHONE)
    client = english()
    client.post(LOGIN, {"phone": APPLICANT_PHONE})  # a second code supersedes ``code``
    code = last_code(APPLICANT_PHONE)
    for attempt in range(5):
        response = client.post(LOGIN_CODE, {"code": wrong(code)})
        assert response.status_code == 400, attempt
        assert "The code is wrong or has expired." in response.content.decode()
    assert LoginCode.objects.filter(phone=APPLICANT_PHONE).latest("pk").attempts == 5
    response = client.post(LOGIN_CODE, {"code": code})
    assert response.status_code == 400 and SESSION_KEY not in client.session


def test_four_wrong_tries_leave_the_code_alive(on_file):
    code = ask(APPLICANT_PHONE)
    for _attempt in range(4):
        with pytest.raises(ValidationError, match="wrong"):
            services.sign_in_with_code(phone=APPLICANT_PHONE, code=wrong(code))
    assert services.sign_in_with_code(phone=APPLICANT_PHONE, code=code).phone == APPLICANT_PHONE


def test_a_new_code_supersedes_the_older_one(on_file):
    first = ask(APPLICANT_PHONE)
    second = ask(APPLICANT_PHONE)
    if first == second:  # one chance in a million
        pytest.skip("the two random codes happen to be equal")
    with pytest.raises(ValidationError, match="wrong"):
        services.sign_in_with_code(phone=APPLICANT_PHONE, code=first)
    assert services.sign_in_with_code(phone=APPLICANT_PHONE, code=second)


def test_a_used_code_is_refused(on_file):
    code = ask(APPLICANT_PHONE)
    services.sign_in_with_code(phone=APPLICANT_PHONE, code=code)
    with pytest.raises(ValidationError, match="wrong"):
        services.sign_in_with_code(phone=APPLICANT_PHONE, code=code)


def test_a_code_only_works_for_its_own_number(on_file, respondent_account):
    code = ask(APPLICANT_PHONE)
    with pytest.raises(ValidationError, match="wrong"):
        services.sign_in_with_code(phone=RESPONDENT_PHONE, code=code)


def test_codes_per_number_are_limited_per_hour(on_file, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for index in range(5):
            response = english(f"10.0.1.{index}").post(LOGIN, {"phone": APPLICANT_PHONE})
            assert response.status_code == 302
        page = english("10.0.1.9").post(LOGIN, {"phone": APPLICANT_PHONE})
        assert page.status_code == 429
        assert "Too many codes were sent to this number" in page.content.decode()
        api = english("10.0.1.10").post(API_CODE, {"phone": APPLICANT_PHONE})
        assert api.status_code == 429 and api.json()["code"] == "throttled"
    assert Delivery.objects.filter(address=APPLICANT_PHONE).count() == 5
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert english().post(LOGIN, {"phone": APPLICANT_PHONE}).status_code == 302


def test_codes_per_address_are_limited_per_hour(on_file, settings):
    settings.LIAISON_CODES_PER_ADDRESS_HOUR = 3
    client = english("10.0.2.1")
    for index in range(3):
        assert client.post(LOGIN, {"phone": f"1370000001{index}"}).status_code == 302
    page = client.post(LOGIN, {"phone": APPLICANT_PHONE})
    assert page.status_code == 429
    assert "Too many codes were asked for from here" in page.content.decode()
    assert not Delivery.objects.filter(address=APPLICANT_PHONE).exists()
    assert english("10.0.2.2").post(LOGIN, {"phone": APPLICANT_PHONE}).status_code == 302


def test_bad_numbers_are_form_errors(on_file):
    for phone in ("", "1390000000", "23900000001", "139000000011", "139-0000-000a"):
        response = english().post(LOGIN, {"phone": phone})
        assert response.status_code == 400, phone
    api = english().post(API_CODE, {"phone": "12345"}, content_type="application/json")
    assert api.status_code == 400 and "phone" in api.json()["fields"]
    assert not LoginCode.objects.exists()


def test_a_number_as_typed_on_a_phone_is_understood(on_file):
    client = english()
    assert client.post(LOGIN, {"phone": "139 0000-0001"}).status_code == 302
    code = last_code(APPLICANT_PHONE)
    assert client.post(LOGIN_CODE, {"code": code})["Location"] == reverse("liaison:portal-home")


def test_code_page_needs_a_number_first(on_file):
    assert english().get(LOGIN_CODE)["Location"] == LOGIN


def test_api_sign_in_and_out(on_file):
    client = english()
    assert client.post(API_CODE, {"phone": APPLICANT_PHONE}).status_code == 202
    bad = client.post(API_SESSION, {"phone": APPLICANT_PHONE, "code": "12ab56"})
    assert bad.status_code == 400 and "code" in bad.json()["fields"]
    code = last_code(APPLICANT_PHONE)
    signed = client.post(API_SESSION, {"phone": APPLICANT_PHONE, "code": code})
    assert signed.status_code == 200, signed.content
    assert signed.json()["phone"] == "139****0001"
    assert client.get("/api/v1/liaison/portal/cases/").status_code == 200
    assert client.delete(API_SESSION).status_code == 204
    assert client.get("/api/v1/liaison/portal/cases/").status_code == 403


def test_portal_sign_out(on_file, applicant_client):
    assert applicant_client.get(LOGIN)["Location"] == reverse("liaison:portal-home")
    response = applicant_client.post(reverse("liaison:portal-logout"))
    assert response["Location"] == LOGIN
    assert applicant_client.get(reverse("liaison:portal-home"))["Location"] == LOGIN


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_cannot_pass_the_limit(court_a, judge, applicant, respondent):
    """Ten requests for one number at once (each its own connection): exactly five codes."""
    from tests.enforcement.fixtures import file_case

    file_case(court_a, judge, applicant, respondent)
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def request(index: int) -> None:
        try:
            barrier.wait()
            services.request_sign_in_code(phone=APPLICANT_PHONE, client_ip=f"10.0.3.{index}")
            outcomes.append("sent")
        except services.TooManyCodes:
            outcomes.append("limited")
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limited"] * 5 + ["sent"] * 5
    assert LoginCode.objects.filter(phone=APPLICANT_PHONE).count() == 5


def test_a_switched_off_account_cannot_sign_in(on_file, applicant_account):
    applicant_account.user.is_active = False
    applicant_account.user.save(update_fields=["is_active"])
    code = ask(APPLICANT_PHONE)
    with translation.override("en"), pytest.raises(ValidationError, match="wrong"):
        services.sign_in_with_code(phone=APPLICANT_PHONE, code=code)
    applicant_account.refresh_from_db()
    assert applicant_account.last_sign_in_at is None


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/liaison/wechat/bind/?party=1", "/liaison/wechat/bind/?party=1"),
        ("https://evil.example/steal", reverse("liaison:portal-home")),
        ("//evil.example/", reverse("liaison:portal-home")),
    ],
)
def test_sign_in_returns_to_the_page_asked_for_on_this_site_only(on_file, next_url, lands_on):
    client = english()
    client.get(LOGIN, {"next": next_url})
    client.post(LOGIN, {"phone": APPLICANT_PHONE})
    response = client.post(LOGIN_CODE, {"code": last_code(APPLICANT_PHONE)})
    assert response.status_code == 302 and response["Location"] == lands_on
