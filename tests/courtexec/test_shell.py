"""The UI shell in Chinese and English, login, error pages and the OpenAPI schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default():
    page = Client().get("/accounts/login/").content.decode()
    assert "登录" in page
    assert 'lang="zh-hans"' in page


def test_login_page_in_english_on_request():
    page = Client(headers={"accept-language": "en"}).get("/accounts/login/").content.decode()
    assert "Log in to CourtExec" in page
    assert 'lang="en"' in page


def test_language_switch_sets_english(judge_a):
    client = Client()
    client.force_login(judge_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Staff by role" in client.get("/").content.decode()


def test_dashboard_needs_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_shows_real_figures(judge_a, judge_b):
    client = Client()
    client.force_login(judge_a)
    page = client.get("/").content.decode()
    assert "执行指挥中心" in page
    assert 'data-testid="tile-staff">1<' in page
    assert "杭州市上城区人民法院" not in page


def test_nav_has_every_section(judge_a):
    client = Client()
    client.force_login(judge_a)
    page = client.get("/").content.decode()
    for label in ["案件", "案款", "被执行人", "备勤", "车辆", "指挥中心"]:
        assert label in page


def test_404_page_is_styled(judge_a):
    client = Client()
    client.force_login(judge_a)
    response = client.get("/section/nonexistent/")
    assert response.status_code == 404
    assert "返回" in response.content.decode()


def test_static_assets_are_vendored_not_cdn(judge_a):
    client = Client()
    client.force_login(judge_a)
    page = client.get("/").content.decode()
    assert "https://" not in page and "http://" not in page.replace("http://testserver", "")
    for asset in ["bootstrap.min.css", "htmx.min.js", "chart.umd.js"]:
        assert asset in page


def test_zh_hans_catalogue_is_complete():
    catalogue = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_openapi_schema_generates_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/me/" in schema and "/api/v1/auth/token/" in schema


def test_swagger_ui_uses_vendored_assets():
    page = Client().get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in page or "/static/" in page
    assert "cdn.jsdelivr" not in page
