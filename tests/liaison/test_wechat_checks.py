"""The system checks of the official account's settings (``manage.py check --deploy``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from enforcement.liaison import checks
from tests.liaison.wechat_helpers import configure


def ids(found) -> set[str]:
    return {message.id for message in found}


def test_no_official_account_no_warning(settings):
    settings.WECHAT_TOKEN = ""
    settings.WECHAT_ENCODING_AES_KEY = ""
    assert checks.wechat_deploy() == []
    assert checks.wechat_message_mode() == []


def test_a_complete_safe_mode_setup_passes(settings):
    configure(settings)
    assert checks.wechat_deploy() == []


def test_safe_mode_without_an_encoding_aes_key_warns(settings):
    configure(settings)
    settings.WECHAT_ENCODING_AES_KEY = ""
    assert ids(checks.wechat_deploy()) == {"liaison.W001"}
    settings.WECHAT_ENCODING_AES_KEY = "too-short"
    assert ids(checks.wechat_deploy()) == {"liaison.W001"}
    settings.WECHAT_APP_ID = ""
    assert ids(checks.wechat_deploy()) == {"liaison.W001", "liaison.W002"}


@pytest.mark.parametrize("mode", ["plain", "compatible"])
def test_modes_that_take_plain_messages_warn(settings, mode):
    configure(settings, mode=mode)
    assert ids(checks.wechat_deploy()) == {"liaison.W003"}


def test_a_short_token_warns(settings):
    configure(settings)
    settings.WECHAT_TOKEN = "abc"
    assert ids(checks.wechat_deploy()) == {"liaison.W004"}


def test_an_unknown_mode_is_an_error(settings):
    configure(settings, mode="secure")
    assert ids(checks.wechat_message_mode()) == {"liaison.E001"}


def test_manage_py_check_deploy_reports_them(settings):
    configure(settings, mode="plain")
    out = StringIO()
    try:
        call_command("check", "--deploy", "--tag", "security", stdout=out, stderr=out)
    except SystemCheckError as exc:  # other deploy checks may fail in the test settings
        out.write(str(exc))
    assert "liaison.W003" in out.getvalue()
