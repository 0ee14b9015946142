"""A party who signed in by code (no WeChat) is texted when the judge answers: the account
opened at sign-in carries the number the code went to."""

from __future__ import annotations

import pytest

from courtexec.models import Delivery
from enforcement.liaison import services
from tests.liaison.conftest import APPLICANT_PHONE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_open")]


def test_the_judges_answer_is_texted_to_a_party_without_wechat(case, judge):
    account = services.open_portal_account(phone=APPLICANT_PHONE)
    assert account.user.phone == APPLICANT_PHONE
    question = services.post_party_message(account=account, case=case, text="请问进度？")
    services.post_staff_message(thread=question.thread, user=judge, text="本周内答复。")
    texts = Delivery.objects.filter(kind="liaison.staff_reply")
    assert [(d.channel, d.address) for d in texts] == [("sms", APPLICANT_PHONE)]


def test_a_closed_case_takes_no_more_party_messages(case, applicant_account, applicant_client):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from enforcement.models import EnforcementCase

    EnforcementCase.objects.filter(pk=case.pk).update(
        status=EnforcementCase.Status.CONCLUDED,
        closure_mode=EnforcementCase.ClosureMode.PERFORMED,
        closed_on=case.filed_on,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.post_party_message(account=applicant_account, case=case, text="还在吗？")
    assert refused.value.error_dict["text"][0].code == "case_closed"
    page = applicant_client.get(reverse("liaison:portal-thread", kwargs={"case_pk": case.pk}))
    assert 'data-testid="thread-closed"' in page.content.decode()
    assert 'data-testid="message-form"' not in page.content.decode()
