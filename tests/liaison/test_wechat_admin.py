"""Admin of the WeChat records: read-only, narrowed to the courts the viewer sees."""

from __future__ import annotations

import pytest
from django.test import Client

from courtexec.models import WechatBinding
from courtexec.roles import Role
from tests.factories import UserFactory
from tests.liaison.wechat_helpers import configure, post_plain, text_xml

pytestmark = pytest.mark.django_db


def admin_client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_bindings_and_inbound_messages_are_court_scoped_and_read_only(
    court_b, staff, applicant_account, case, settings
):
    settings.LANGUAGE_CODE = "en"
    configure(settings, mode="plain")
    binding = WechatBinding.objects.create(user=applicant_account.user, openid="o_party_court_a")
    WechatBinding.objects.create(user=staff[Role.JUDGE], openid="o_judge_court_a")
    post_plain(Client(), text_xml("o_party_court_a", "hello from court A"))
    own = admin_client(staff[Role.BUREAU_CHIEF])
    bindings = own.get("/admin/courtexec/wechatbinding/").content.decode()
    assert "o_party_court_a" in bindings and "o_judge_court_a" in bindings
    assert "hello from court A" in own.get("/admin/liaison/wechatinbound/").content.decode()
    change = own.get(f"/admin/courtexec/wechatbinding/{binding.pk}/change/").content.decode()
    assert 'name="openid"' not in change
    assert own.get("/admin/courtexec/wechatbinding/add/").status_code == 403
    assert own.post(f"/admin/courtexec/wechatbinding/{binding.pk}/delete/").status_code == 403

    other = admin_client(UserFactory(username="b_chief", court=court_b, roles=[Role.BUREAU_CHIEF]))
    assert "o_party_court_a" not in other.get("/admin/courtexec/wechatbinding/").content.decode()
    assert "hello" not in other.get("/admin/liaison/wechatinbound/").content.decode()

    sysadmin = admin_client(staff[Role.SYSADMIN])
    page = sysadmin.post(f"/admin/courtexec/wechatbinding/{binding.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302 and not WechatBinding.objects.filter(pk=binding.pk).exists()
