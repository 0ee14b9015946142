"""The case-funds API: signed doors for the bank and Alipay, and the staff endpoints."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casefunds import services, signatures
from casefunds.models import Channel, Deposit, Payout
from courtexec.roles import Role
from enforcement.models import CaseParty
from tests.casefunds.conftest import BANK_SECRET, deposit, fresh, notice_body, signed
from tests.factories import CourtFactory, UserFactory

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/funds"
NOTICES = f"{FUNDS}/bank-notices/"
ALIPAY = f"{FUNDS}/alipay-notify/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post_notice(body: dict, secret: str = BANK_SECRET, **headers):
    raw, signature = signed(body, secret)
    headers.setdefault("HTTP_X_SIGNATURE", signature)
    return APIClient().post(NOTICES, raw, content_type="application/json", **headers)


def mistyped(number: str) -> str:
    digits = list(number)
    digits[-5] = str((int(digits[-5]) + 1) % 10)
    return "".join(digits)


# --- Bank notices -------------------------------------------------------------------------------


def test_notice_is_booked_once_and_a_changed_copy_is_a_conflict(bank_channel, sub_account, case):
    body = notice_body("ICBC-1", sub_account.virtual_number)
    first = post_notice(body, HTTP_X_CHANNEL="icbc-a")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "credited"
    assert data["amount"] == "1234.56"
    assert (data["case"], data["case_number"]) == (case.pk, case.number)
    assert fresh(sub_account).balance == 123456

    again = post_notice(body)  # no X-Channel: the only active bank channel
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]

    changed = post_notice({**body, "amount": "1234.57"})
    assert changed.status_code == 409
    assert changed.json()["code"] == "reference_reused"
    assert Deposit.objects.count() == 1
    assert fresh(sub_account).balance == 123456


def test_notice_signature_failures_are_401(bank_channel, court_a, sub_account):
    Channel.objects.create(
        court=court_a, kind=Channel.Kind.BANK, code="boc-a", name="中行", secret="other-secret"
    )
    body = notice_body("ICBC-2", sub_account.virtual_number)
    raw, good = signed(body)
    client = APIClient()
    cases = [
        {"HTTP_X_CHANNEL": "icbc-a"},  # no signature
        {"HTTP_X_CHANNEL": "icbc-a", "HTTP_X_SIGNATURE": "0" * 64},  # wrong
        {"HTTP_X_CHANNEL": "icbc-a", "HTTP_X_SIGNATURE": signed(body, "other-secret")[1]},
        {"HTTP_X_CHANNEL": "nope", "HTTP_X_SIGNATURE": good},  # unknown channel
        {"HTTP_X_SIGNATURE": good},  # two bank channels: which one?
        {"HTTP_X_CHANNEL": "icbc-a", "HTTP_X_SIGNATURE": "é" * 64},  # not even hex
    ]
    for headers in cases:
        response = client.post(NOTICES, raw, content_type="application/json", **headers)
        assert response.status_code == 401, headers
        assert response.json()["code"] == "bad_signature"
    assert not Deposit.objects.exists()


def test_notice_fields_are_checked_after_the_signature(bank_channel, sub_account):
    number = sub_account.virtual_number
    bad = {
        "amount": notice_body("R1", number, amount="12.345"),
        "amount ": notice_body("R2", number, amount=12.34),
        "paid_at": {k: v for k, v in notice_body("R3", number).items() if k != "paid_at"},
        "paid_at ": notice_body("R4", number, paid_at="2016-05-01T10:30:00"),
        "paid_at  ": notice_body("R5", number, paid_at="2016-13-45T10:30:00+08:00"),
    }
    for field, body in bad.items():
        response = post_notice(body)
        assert response.status_code == 400, (field, response.content)
        assert list(response.json()["fields"]) == [field.strip()]
    both = post_notice(notice_body("", number, amount="-1"))
    assert set(both.json()["fields"]) == {"bank_reference", "amount"}

    raw = b'{"bank_reference": '
    response = APIClient().post(
        NOTICES, raw, content_type="application/json", HTTP_X_SIGNATURE=signed_raw(raw)
    )
    assert response.status_code == 400
    raw = b"[1, 2]"
    response = APIClient().post(
        NOTICES, raw, content_type="application/json", HTTP_X_SIGNATURE=signed_raw(raw)
    )
    assert response.status_code == 400
    assert not Deposit.objects.exists()


def signed_raw(raw: bytes) -> str:
    return signatures.hmac_hex(BANK_SECRET, raw)


def test_unknown_or_mistyped_virtual_account_goes_to_suspense(bank_channel, sub_account):
    unknown = services.virtual_accounts.compose("99999999", 12345)
    for reference, number in (("S1", unknown), ("S2", mistyped(sub_account.virtual_number))):
        response = post_notice(notice_body(reference, number))
        assert response.status_code == 201
        data = response.json()
        assert data["status"] == "suspense"
        assert data["case"] is None and data["case_number"] is None
        assert data["suspense_reason"]
    assert fresh(sub_account).balance == 0


# --- Alipay -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alipay_keys() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture
def alipay_channel(court_a, alipay_keys):
    return Channel.objects.create(
        court=court_a,
        kind=Channel.Kind.ALIPAY,
        code="alipay-a",
        name="支付宝",
        app_id="2016000000000001",
        public_key=alipay_keys[1],
    )


def notify(params: dict):
    """As Alipay posts: application/x-www-form-urlencoded."""
    return APIClient().post(
        ALIPAY, urlencode(params), content_type="application/x-www-form-urlencoded"
    )


def alipay_params(private_key: str, virtual_account: str, **overrides) -> dict:
    params = {
        "app_id": "2016000000000001",
        "trade_no": "2016050121001004000000000001",
        "out_trade_no": f"{virtual_account}-1",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "88.80",
        "buyer_logon_id": "159****0001",
        "gmt_payment": "2016-05-01 10:30:00",
        "notify_id": "ac05099524730693a8b330c5ecf72da9786",
        "sign_type": "RSA2",
    }
    params.update(overrides)
    params["sign"] = signatures.alipay_sign(private_key, params)
    return params


def test_alipay_notification_books_once(alipay_channel, alipay_keys, sub_account):
    params = alipay_params(alipay_keys[0], sub_account.virtual_number)
    for _ in range(2):
        response = notify(params)
        assert (response.status_code, response.content) == (200, b"success")
    booked = Deposit.objects.get()
    assert booked.status == "credited" and booked.amount == 8880
    assert booked.paid_at == dt.datetime(2016, 5, 1, 2, 30, tzinfo=dt.UTC)

    number = sub_account.virtual_number
    finished = alipay_params(alipay_keys[0], number, trade_status="TRADE_FINISHED")
    assert notify(finished).content == b"success"
    changed = alipay_params(alipay_keys[0], number, total_amount="99.00")
    assert notify(changed).status_code == 409
    assert Deposit.objects.count() == 1


def test_alipay_bad_signature_and_unpaid_statuses(alipay_channel, alipay_keys, sub_account):
    params = alipay_params(alipay_keys[0], sub_account.virtual_number)
    forged = {**params, "total_amount": "8880.00"}
    response = notify(forged)
    assert (response.status_code, response.content) == (401, b"failure")
    assert notify({**params, "app_id": "other"}).status_code == 401
    waiting = alipay_params(
        alipay_keys[0], sub_account.virtual_number, trade_status="WAIT_BUYER_PAY"
    )
    assert notify(waiting).content == b"success"
    assert not Deposit.objects.exists()


# --- Payouts ------------------------------------------------------------------------------------


@pytest.fixture
def funded(bank_channel, sub_account):
    deposit(bank_channel, sub_account, 500_000, "FUND-1")
    return fresh(sub_account)


@pytest.fixture
def applicant_link(case):
    return case.parties.get(role=CaseParty.Role.APPLICANT)


def payout_body(case, applicant_link, funded, amount="1000.00") -> dict:
    return {
        "case": case.pk,
        "kind": "applicant",
        "amount": amount,
        "payee_party": applicant_link.pk,
        "source": funded.pk,
        "purpose": "执行款发放",
    }


def test_payout_needs_an_idempotency_key_and_replays(judge, case, applicant_link, funded):
    client = client_for(judge)
    body = payout_body(case, applicant_link, funded)
    missing = client.post(f"{FUNDS}/payouts/", body, format="json")
    assert missing.status_code == 400
    assert "idempotency_key" in missing.json()["fields"]

    first = client.post(f"{FUNDS}/payouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert first.json()["amount"] == "1000.00"
    again = client.post(f"{FUNDS}/payouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    other = {**body, "amount": "2000.00"}
    clash = client.post(f"{FUNDS}/payouts/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert clash.status_code == 409
    assert clash.json()["code"] == "key_reused"
    assert Payout.objects.count() == 1

    bad = {**body, "amount": 1000}
    response = client.post(f"{FUNDS}/payouts/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["amount"]


def test_payout_approval_chain(judge, chief, finance, case, applicant_link, funded):
    body = payout_body(case, applicant_link, funded)
    response = client_for(judge).post(
        f"{FUNDS}/payouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="chain-1"
    )
    url = f"{FUNDS}/payouts/{response.json()['id']}"
    assert client_for(judge).post(f"{url}/approve/").status_code == 403
    assert client_for(finance).post(f"{url}/approve/").status_code == 403
    assert client_for(chief).post(f"{url}/review/").status_code == 403  # finance only

    own = client_for(chief).post(
        f"{FUNDS}/payouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="chain-2"
    )
    assert own.status_code == 201
    refused = client_for(chief).post(f"{FUNDS}/payouts/{own.json()['id']}/approve/")
    assert refused.status_code == 403

    approved = client_for(chief).post(f"{url}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert fresh(funded).available == 500_000 - 100_000
    assert client_for(chief).post(f"{url}/approve/").status_code == 409  # wrong state
    assert client_for(judge).post(f"{url}/review/").status_code == 403
    reviewed = client_for(finance).post(f"{url}/review/")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "reviewed"

    rejected = client_for(chief).post(
        f"{FUNDS}/payouts/{own.json()['id']}/reject/", {"reason": "金额有误"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"


def test_other_courts_see_nothing_and_change_nothing(
    judge, court_a, court_b, case, applicant_link, funded
):
    response = client_for(judge).post(
        f"{FUNDS}/payouts/",
        payout_body(case, applicant_link, funded),
        format="json",
        HTTP_IDEMPOTENCY_KEY="x-1",
    )
    url = f"{FUNDS}/payouts/{response.json()['id']}/"
    chief_b = UserFactory(username="b_chief", court=court_b, roles=[Role.BUREAU_CHIEF])
    assert client_for(chief_b).get(url).status_code == 404
    assert client_for(chief_b).post(f"{url}approve/").status_code == 404
    assert client_for(chief_b).get(f"{FUNDS}/deposits/").json()["count"] == 0
    assert client_for(chief_b).get(f"{FUNDS}/accounts/{funded.pk}/").status_code == 404
    foreign = client_for(chief_b).post(
        f"{FUNDS}/payouts/",
        payout_body(case, applicant_link, funded),
        format="json",
        HTTP_IDEMPOTENCY_KEY="x-2",
    )
    assert foreign.status_code == 400  # the case is not one it may name
    assert set(foreign.json()["fields"]) >= {"case", "payee_party", "source"}

    # A higher court's chief may see the lower court's payouts, not approve them.
    higher = CourtFactory(code="浙01", name="杭州市中级人民法院")
    court_a.parent = higher
    court_a.save()
    chief_high = UserFactory(username="h_chief", court=higher, roles=[Role.BUREAU_CHIEF])
    chief_high.user_permissions.add(Permission.objects.get(codename="view_lower_courts"))
    assert client_for(chief_high).get(url).status_code == 200
    assert client_for(chief_high).post(f"{url}approve/").status_code == 403


def test_everything_received_proposes_the_free_money(judge, case, funded):
    response = client_for(judge).post(
        f"{FUNDS}/payouts/everything-received/", {"case": case.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    [payout] = response.json()
    assert payout["amount"] == "5000.00" and payout["status"] == "draft"


# --- Accounts, deposits, fees, holds, alerts, statements ----------------------------------------


def test_accounts_and_statement(judge, case, bank_channel, funded):
    client = client_for(judge)
    listed = client.get(f"{FUNDS}/accounts/", {"case": case.pk, "kind": "case"}).json()
    assert [a["id"] for a in listed["results"]] == [funded.pk]
    assert listed["results"][0]["balance"] == "5000.00"
    deposit(bank_channel, funded, 250, "FUND-2")
    lines = client.get(f"{FUNDS}/accounts/{funded.pk}/statement/").json()["results"]
    assert [(line["amount"], line["running_balance"]) for line in lines] == [
        ("2.50", "5002.50"),
        ("5000.00", "5000.00"),
    ]


def test_suspense_assignment_and_counter_receipt(
    judge, finance, finance_2, bank_channel, counter_channel, sub_account, settings
):
    settings.FUNDS_SUSPENSE_MAX_DAYS = 0
    post_notice(notice_body("SUS-1", ""))
    listed = client_for(finance).get(f"{FUNDS}/deposits/", {"status": "suspense"}).json()
    [item] = listed["results"]
    assert item["overdue"] is True
    url = f"{FUNDS}/deposits/{item['id']}/assign/"
    body = {"case_account": sub_account.pk, "reason": "付款人来电确认"}
    assert client_for(judge).post(url, body, format="json").status_code == 403
    assigned = client_for(finance).post(url, body, format="json")
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    assert client_for(finance).post(url, body, format="json").status_code == 409

    counter = {
        "channel": counter_channel.pk,
        "case_account": sub_account.pk,
        "amount": "100.00",
        "payer_name": "王五",
        "second_officer": finance.pk,
    }
    alone = client_for(finance).post(f"{FUNDS}/deposits/counter/", counter, format="json")
    assert alone.status_code == 400 and "second_officer" in alone.json()["fields"]
    counter["second_officer"] = finance_2.pk
    taken = client_for(finance).post(f"{FUNDS}/deposits/counter/", counter, format="json")
    assert taken.status_code == 201 and taken.json()["status"] == "credited"
    assert fresh(sub_account).balance == 123456 + 10000


def test_fee_and_refund(judge, finance, case, applicant_link):
    body = {"case_party": applicant_link.pk, "amount": "50.00", "receipt_number": "FEE-1"}
    assert client_for(judge).post(f"{FUNDS}/fees/", body, format="json").status_code == 403
    fee = client_for(finance).post(f"{FUNDS}/fees/", body, format="json")
    assert fee.status_code == 201 and fee.json()["amount"] == "50.00"
    refund = client_for(judge).post(
        f"{FUNDS}/fees/{fee.json()['id']}/refund/",
        {"amount": "50.00", "payee_name": "张三", "payee_bank": "工行",
         "payee_account": "6222020202020202020", "reason": "撤回申请"},
        format="json",
    )  # fmt: skip
    assert refund.status_code == 201, refund.content
    assert refund.json()["kind"] == "fee_refund"


def test_hold_request_and_decision(judge, chief, funded):
    body = {
        "account": funded.pk,
        "kind": "escrow",
        "reason": "payee_refuses",
        "details": "申请执行人拒绝受领。",
        "amount": "100.00",
    }
    hold = client_for(judge).post(f"{FUNDS}/holds/", body, format="json")
    assert hold.status_code == 201, hold.content
    url = f"{FUNDS}/holds/{hold.json()['id']}/decide/"
    assert client_for(judge).post(url, {"approve": True}, format="json").status_code == 403
    decided = client_for(chief).post(url, {"approve": True}, format="json")
    assert decided.json()["status"] == "approved"
    assert fresh(funded).balance == 500_000 - 10_000


def test_alerts_scan_and_tiers(judge, finance):
    assert client_for(judge).post(f"{FUNDS}/alerts/scan/").status_code == 403
    counts = client_for(finance).post(f"{FUNDS}/alerts/scan/")
    assert counts.status_code == 200
    assert set(counts.json()) == {"raised", "cleared", "step_raised", "step_cleared"}
    assert client_for(judge).get(f"{FUNDS}/alerts/", {"open": "true"}).status_code == 200
    assert client_for(judge).get(f"{FUNDS}/tiers/").status_code == 200


def test_statement_import(finance, bank_channel, sub_account):
    lines = [
        "bank_reference,virtual_account,amount,payer_name,payer_account,paid_at",
        f"ST-1,{sub_account.virtual_number},10.00,甲,1,2016-05-01T10:00:00+08:00",
        "ST-2,,oops",
    ]
    upload = SimpleUploadedFile("st.csv", "\n".join(lines).encode(), content_type="text/csv")
    response = client_for(finance).post(
        f"{FUNDS}/statement-imports/", {"channel": bank_channel.pk, "file": upload}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["lines"], data["posted"], len(data["mismatches"])) == (2, 1, 1)


def test_schema_lists_the_funds_paths(judge):
    schema = client_for(judge).get("/api/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    for path in ("bank-notices/", "alipay-notify/", "payouts/", "payouts/{id}/approve/"):
        assert f"{FUNDS}/{path}" in paths
        assert all("funds" in op["tags"] for op in paths[f"{FUNDS}/{path}"].values())


def test_account_kind_filter_refuses_unknown_values(judge):
    assert client_for(judge).get(f"{FUNDS}/accounts/", {"kind": "nope"}).status_code == 400


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "1E+999999"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": "1e3"},
        {"amount": "1_000"},
        {"amount": "１２"},
        {"amount": "99999999999999.99"},
        {"amount": None},
        {"bank_reference": {"a": 1}},
        {"bank_reference": "R\x00"},
        {"virtual_account": 12},
        {"payer_name": "甲\x00"},
        {"paid_at": "2016-05-01T10:30:00+25:00"},
        {"paid_at": 1462069800},
    ],
)
def test_signed_odd_notices_are_400_not_500(bank_channel, sub_account, changes):
    response = post_notice({**notice_body("ODD-1", sub_account.virtual_number), **changes})
    assert response.status_code == 400, response.content
    assert response.json()["fields"]


def test_a_payment_time_with_an_offset_postgresql_refuses_is_booked_in_utc(
    bank_channel, sub_account
):
    body = {**notice_body("ODD-OFFSET", sub_account.virtual_number)}
    body["paid_at"] = "2016-05-01T10:30:00-23:59"  # legal ISO 8601; PostgreSQL allows ±15:59
    response = post_notice(body)
    assert response.status_code == 201, response.content
    booked = Deposit.objects.get(reference="ODD-OFFSET").paid_at
    assert booked == dt.datetime(2016, 5, 2, 10, 29, tzinfo=dt.UTC)


def test_signed_deeply_nested_json_is_400(bank_channel):
    raw = b"[" * 100_000 + b"]" * 100_000
    response = APIClient().post(
        NOTICES, raw, content_type="application/json", HTTP_X_SIGNATURE=signed_raw(raw)
    )
    assert response.status_code == 400
