"""Demo case funds for 杭州市下城区人民法院: money arriving and leaving in every state.

Everything goes through the services (deposits through ``receive_payment`` exactly as a bank
notice would, payouts through proposal, approval, review and the sandbox bank), so the demo's
ledger obeys the same rules and ``verify_ledger`` finds no drift. Arrival times are counted
back from now, so idle-money alerts of every tier are due whatever the day. Idempotent: a court
whose sandbox bank channel exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils import timezone

from casefunds import services
from casefunds.models import Account, Channel, CourtAccount, Hold, LitigationFee, Payout
from courtexec.history import acting_as
from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.models import CaseParty, EnforcementCase

# Documented in the README: sign demo bank notices with this secret (channel "sandbox-bank").
SANDBOX_BANK_SECRET = "courtexec-sandbox-bank-secret"
SEED = 20160229

# Days ago money arrived on demo sub-accounts: below and in every idle tier (15/30/60/90).
ARRIVAL_AGES = [0, 2, 5, 9, 12, 16, 18, 22, 27, 33, 41, 47, 55, 63, 75, 88, 95, 120]


def load(*, court: Court, staff: Mapping[Role, User], cashier: User) -> int:
    """Load the demo funds of ``court``; returns the number of deposits booked (0 if loaded)."""
    code = f"sandbox-bank-{court.pk}"
    if Channel.objects.filter(code=code).exists():
        return 0
    with acting_as(staff[Role.FINANCE]):
        return _Demo(court, staff, cashier, code).run()


class _Demo:
    def __init__(self, court: Court, staff: Mapping[Role, User], cashier: User, code: str):
        self.court, self.staff, self.cashier = court, staff, cashier
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.bank = Channel.objects.create(
            court=court, kind=Channel.Kind.BANK, code=code, name="工商银行到账通知（沙箱）",
            secret=SANDBOX_BANK_SECRET,
        )  # fmt: skip
        self.counter = Channel.objects.create(
            court=court, kind=Channel.Kind.COUNTER, code=f"counter-{court.pk}", name="财务柜台"
        )
        Channel.objects.create(
            court=court, kind=Channel.Kind.ALIPAY, code=f"alipay-{court.pk}",
            name="支付宝缴款（沙箱）", app_id=f"2016000000{court.pk:06d}",
            public_key=_demo_alipay_public_key(),
        )  # fmt: skip
        CourtAccount.objects.filter(court=court).update(
            bank_name="中国工商银行杭州下城支行",
            account_name=f"{court.name}执行款专户",
            account_number="1202020109900012345",
        )
        self.references = 0

    def run(self) -> int:
        accounts = list(
            Account.objects.filter(
                court=self.court, kind=Account.Kind.CASE,
                case__status__in=[EnforcementCase.Status.IN_PROGRESS, EnforcementCase.Status.FILED],
            )
            .select_related("case", "payer__party")
            .order_by("pk")[:60]
        )  # fmt: skip
        funded = []
        for index, account in enumerate(accounts[: len(ARRIVAL_AGES) * 2]):
            age = ARRIVAL_AGES[index % len(ARRIVAL_AGES)]
            amount = self.rng.randint(30, 900) * 100 * 10 + self.rng.choice([0, 50, 88])
            self.deposit(
                account.virtual_number, amount, days_ago=age, payer=account.payer.party.name
            )
            funded.append(account)
        self.suspense()
        self.counter_receipt(accounts[-1])
        self.payouts(funded)
        self.fees(accounts[40:46])
        self.holds(funded)
        services.scan_idle_money(self.now)
        return self.references

    def deposit(self, number: str, amount: int, *, days_ago: float, payer: str):
        self.references += 1
        at = self.now - dt.timedelta(days=days_ago, hours=self.rng.randint(0, 8))
        notice = services.Notice(
            reference=f"ICBC{at:%Y%m%d}{self.references:06d}",
            virtual_account=number,
            amount=amount,
            payer_name=payer,
            payer_account=f"6222{self.rng.randrange(10**15):015d}",
            paid_at=at,
        )
        return services.receive_payment(channel=self.bank, notice=notice, at=at)[0]

    def suspense(self) -> None:
        """Payments whose numbers cannot be attributed: one mistyped, one missing, one old."""
        some = Account.objects.filter(court=self.court, kind=Account.Kind.CASE).first()
        mistyped = some.virtual_number[:-3] + str((int(some.virtual_number[-3]) + 1) % 10)
        mistyped += some.virtual_number[-2:]
        self.deposit(mistyped, 1_280_000, days_ago=5, payer="杭州某建材有限公司")
        self.deposit("", 356_000, days_ago=1, payer="张某某")
        old = self.deposit("6200000000", 99_900, days_ago=8, payer="李某")
        services.assign_suspense(
            deposit=old, case_account=some, user=self.staff[Role.FINANCE],
            reason="付款人来电确认系本案被执行人代付",
        )  # fmt: skip

    def counter_receipt(self, account: Account) -> None:
        services.record_counter_receipt(
            channel=self.counter, case_account=account, amount=520_000,
            payer_name=account.payer.party.name, user=self.staff[Role.FINANCE],
            second_officer=self.cashier,
        )  # fmt: skip

    def _applicant(self, case: EnforcementCase) -> CaseParty | None:
        applicants = [p for p in case.parties.all() if p.role == CaseParty.Role.APPLICANT]
        return (
            applicants[0] if len(applicants) == 1 and applicants[0].payee_account_number else None
        )

    def payouts(self, funded: list[Account]) -> None:
        """Payouts at each step: proposed, approved, reviewed (sent by the worker), paid,
        rejected; a proposal left three days shows the yellow light."""
        chief, finance = self.staff[Role.BUREAU_CHIEF], self.staff[Role.FINANCE]
        steps = [
            "approved",
            "draft",
            "reviewed",
            "rejected",
            "late",
            "paid",
            "paid",
            "paid",
            "paid",
        ]
        for account in funded[1:]:
            account.refresh_from_db()
            payee = self._applicant(account.case)
            if payee is None or account.available <= 0:
                continue
            if not steps:
                break
            step = steps.pop(0)
            payout, _created = services.propose_payout(
                case=account.case, kind=Payout.Kind.APPLICANT, amount=account.available,
                idempotency_key=f"demo-{account.pk}", user=account.case.judge, payee_party=payee,
                source=account, purpose="执行款发放",
            )  # fmt: skip
            if step == "late":
                Payout.objects.filter(pk=payout.pk).update(
                    created_at=self.now - dt.timedelta(days=3)
                )
            if step in ("draft", "late"):
                continue
            if step == "rejected":
                services.reject_payout(payout=payout, reason="请核实申请人账户", user=chief)
                continue
            services.approve_payout(payout=payout, user=chief)
            if step == "approved":
                continue
            services.review_payout(payout=payout, user=finance)
            if step == "paid":
                services.send_payout(payout.pk)

    def fees(self, accounts: list[Account]) -> None:
        """Fees paid; one refund paid, one refused by the bank, one returned (退汇)."""
        finance, chief = self.staff[Role.FINANCE], self.staff[Role.BUREAU_CHIEF]
        outcomes = ["paid", "failed", "returned", None, None, None]
        for index, (account, outcome) in enumerate(zip(accounts, outcomes, strict=False)):
            fee = services.record_fee(
                case_party=account.payer, amount=self.rng.randint(5, 80) * 1000,
                receipt_number=f"ZXF{self.now:%Y}{index + 1:05d}", user=finance,
            )  # fmt: skip
            if outcome is None:
                continue
            ending = {"paid": "6021", "failed": "0000", "returned": "9999"}[outcome]
            payout = services.declare_fee_refund(
                fee=fee,
                amount=fee.amount,
                refund_payee=services.Payee(
                    name=account.payer.party.name,
                    bank="中国建设银行杭州分行",
                    account=f"6217001540{index:05d}{ending}",
                ),
                reason="申请执行人撤回申请，退还申请执行费",
                user=account.case.judge,
            )
            services.approve_payout(payout=payout, user=chief)
            services.review_payout(payout=payout, user=finance)
            services.send_payout(payout.pk)
        services.allocate_relief(
            court=self.court, amount=5_000_000, memo="2016年第一批司法救助资金", user=finance
        )
        assert LitigationFee.objects.filter(case__court=self.court).exists()

    def holds(self, funded: list[Account]) -> None:
        judge, chief = self.staff[Role.JUDGE], self.staff[Role.BUREAU_CHIEF]
        deferred, escrowed = funded[0], funded[2]
        hold = services.request_hold(
            account=deferred, kind=Hold.Kind.DEFERRAL, reason="several_creditors",
            details="本案有三名申请执行人，待分配方案确定后发放", user=judge,
            until=timezone.localdate() + dt.timedelta(days=20),
        )  # fmt: skip
        services.decide_hold(hold=hold, approve=True, user=chief)
        escrowed.refresh_from_db()
        if escrowed.available > 0:
            hold = services.request_hold(
                account=escrowed, kind=Hold.Kind.ESCROW, reason="payee_refuses",
                details="申请执行人拒绝受领，依法提存", user=judge, amount=escrowed.available,
            )  # fmt: skip
            services.decide_hold(hold=hold, approve=True, user=chief)


def _demo_alipay_public_key() -> str:
    """A key pair for the Alipay sandbox; the private half is kept under var/ to sign with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = Path(settings.BASE_DIR) / "var" / "demo-alipay-private.pem"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(private)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
