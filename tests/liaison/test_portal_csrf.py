"""Signing in and out through the API checks CSRF, though nobody is signed in yet: another site
must not sign a visitor into an account of its choosing (login CSRF)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.liaison.conftest import APPLICANT_PHONE

pytestmark = pytest.mark.django_db
SESSION = "/api/v1/liaison/auth/session/"


def test_sign_in_without_the_csrf_token_is_refused(case):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    refused = browser.post(SESSION, {"phone": APPLICANT_PHONE, "code": "123456"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]

    state = browser.get(SESSION)
    assert state.status_code == 200 and state.json() == {"signed_in": False}
    token = browser.cookies["csrftoken"].value
    checked = browser.post(
        SESSION, {"phone": APPLICANT_PHONE, "code": "123456"}, HTTP_X_CSRFTOKEN=token
    )
    assert checked.status_code == 400  # past the CSRF check: the code itself is wrong


def test_sign_out_without_the_csrf_token_is_refused(applicant_account):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(applicant_account.user)
    assert browser.delete(SESSION).status_code == 403
    assert browser.get(SESSION).json() == {"signed_in": True}
    token = browser.cookies["csrftoken"].value
    assert browser.delete(SESSION, HTTP_X_CSRFTOKEN=token).status_code == 204
    assert browser.get(SESSION).json() == {"signed_in": False}
