"""Every write of the case-funds app: money in, money out, alerts, corrections.

Services run in one transaction, authorise the acting user against the court and raise
``ValidationError`` (field messages), ``PermissionDenied`` or :class:`Conflict` (HTTP 409).
Money moves only through :mod:`casefunds.ledger`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from casefunds import ledger, selectors, virtual_accounts
from casefunds.bank import BankAnswer, BankUnavailable, PaymentInstruction, bank
from casefunds.models import (
    Account,
    Channel,
    CourtAccount,
    Deposit,
    FundsAlert,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    PayoutDispatch,
    StatementImport,
    Transfer,
    yuan,
)
from courtexec.authz import authorise, require, require_role
from courtexec.history import acting_user_id, recorded_write
from courtexec.models import Court, User
from courtexec.notifications import Alert, notify, notify_many, queue_sms
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles
from enforcement.models import CaseParty, EnforcementCase

MAX_AMOUNT_FEN = 10**14  # a trillion yuan: anything larger is a typing error
YUAN_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)


class Conflict(Exception):
    """The request clashes with what is on record (same key, different content): HTTP 409."""

    def __init__(self, message: str, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_yuan(value: object, field: str = "amount") -> int:
    """A positive yuan amount with at most two decimals, as fen. Strings only from outside.

    Plain ASCII decimals only: ``Decimal`` would also take "1e3", "1_000" and full-width digits,
    which no bank or clerk means."""
    text = str(value).strip()
    if not YUAN_TEXT.fullmatch(text):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1234.56.")})
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 1234.56.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    # Checked before quantize(), which raises InvalidOperation on huge exponents ("1E+999").
    if amount >= Decimal(MAX_AMOUNT_FEN) / 100:
        raise ValidationError({field: _("The amount is too large.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Use at most two decimal places (fen).")})
    return int(amount * 100)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _case_link(case: EnforcementCase) -> str:
    return reverse("enforcement:case-detail", args=[case.pk]) + "?tab=funds"


def _court_staff(court: Court | int, *roles: Role) -> list[User]:
    return list(staff_with_roles(court, *roles))


# --- Sub-accounts ------------------------------------------------------------------------------


def _court_numbering(court: Court) -> CourtAccount:
    CourtAccount.objects.bulk_create(
        [CourtAccount(court=court, virtual_prefix=f"9{court.pk:07d}")], ignore_conflicts=True
    )
    return CourtAccount.objects.select_for_update().get(court=court)


def open_payer_account(case_party: CaseParty) -> Account:
    """Issue the payer's virtual sub-account in this case (一人一案一账号); once per payer."""
    existing = Account.objects.filter(payer=case_party).first()
    if existing is not None:
        return existing
    case = case_party.case
    numbering = _court_numbering(case.court)
    numbering.last_serial += 1
    numbering.save(update_fields=["last_serial"])
    return Account.objects.create(
        court=case.court,
        kind=Account.Kind.CASE,
        case=case,
        payer=case_party,
        virtual_number=virtual_accounts.compose(numbering.virtual_prefix, numbering.last_serial),
    )


# --- Money in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A payment as a channel reports it (bank notice, Alipay, counter, statement line)."""

    reference: str
    virtual_account: str
    amount: int  # fen
    payer_name: str
    payer_account: str
    paid_at: dt.datetime

    def digest(self) -> str:
        return _digest(asdict(self))


def parse_notice(data: dict) -> Notice:
    """Validate a bank notice's fields; every bad field is named in one error."""
    errors: dict[str, str] = {}
    reference = data.get("bank_reference")
    reference = reference.strip() if isinstance(reference, str) else ""
    if not reference or len(reference) > 64:
        errors["bank_reference"] = _("Give the bank's reference (at most 64 characters).")
    virtual_account = data.get("virtual_account")
    if not isinstance(virtual_account, str) or len(virtual_account) > 64:
        errors["virtual_account"] = _("Give the virtual account number as a string.")
    amount = 0
    if not isinstance(data.get("amount"), str):
        errors["amount"] = _('Give the amount as a string of yuan, e.g. "1234.56".')
    else:
        try:
            amount = parse_yuan(data["amount"])
        except ValidationError as exc:
            errors["amount"] = exc.message_dict["amount"][0]
    payer_name = data.get("payer_name", "")
    payer_account = data.get("payer_account", "")
    for field, value, limit in (
        ("payer_name", payer_name, 200),
        ("payer_account", payer_account, 64),
    ):
        if not isinstance(value, str) or len(value) > limit:
            errors[field] = _("Give a text of at most %(limit)d characters.") % {"limit": limit}
    for field in ("bank_reference", "virtual_account", "payer_name", "payer_account"):
        if "\x00" in str(data.get(field) or ""):  # PostgreSQL text cannot hold NUL
            errors[field] = _("The text contains a NUL character.")
    try:
        paid_at = parse_datetime(data["paid_at"]) if isinstance(data.get("paid_at"), str) else None
        if paid_at is not None and timezone.is_aware(paid_at):
            paid_at = paid_at.astimezone(dt.UTC)  # PostgreSQL refuses offsets beyond ±15:59
    except (ValueError, OverflowError):  # well-formed but impossible, e.g. month 13
        paid_at = None
    if paid_at is None or timezone.is_naive(paid_at):
        errors["paid_at"] = _("Give the payment time in ISO 8601 with its offset.")
    elif paid_at > timezone.now() + dt.timedelta(minutes=10):
        errors["paid_at"] = _("The payment time is in the future.")
    if errors:
        raise ValidationError(errors)
    return Notice(
        reference=reference,
        virtual_account=virtual_account,
        amount=amount,
        payer_name=payer_name.strip(),
        payer_account=payer_account.strip(),
        paid_at=paid_at,
    )


def _route(court_id: int, virtual_account: str) -> tuple[selectors.PayerAccount | None, str]:
    """The sub-account a payment belongs to, or ``None`` and the reason it goes to suspense."""
    number = virtual_accounts.clean(virtual_account)
    if not number:
        return None, _("No virtual account given.")
    if not virtual_accounts.is_well_formed(number):
        return None, _("The virtual account number is mistyped (check digits do not match).")
    account = selectors.payer_account(court_id, number)
    if account is None:
        return None, _("No sub-account of this court has this number.")
    return account, ""


def receive_payment(
    *,
    channel: Channel,
    notice: Notice,
    received_by: User | None = None,
    witnessed_by: User | None = None,
    at: dt.datetime | None = None,
) -> tuple[Deposit, bool]:
    """Book a payment the moment it is reported; once per channel reference.

    Returns ``(deposit, created)``. The same reference with the same content answers the first
    deposit; with different content it raises :class:`Conflict`. Money is never refused: what
    cannot be attributed goes to suspense. The booking is one database call (ADR 011): this is
    the hottest write of the system.
    """
    account, suspense_reason = _route(channel.court_id, notice.virtual_account)
    digest = notice.digest()
    at = at or timezone.now()
    with transaction.atomic():
        deposit_id, created, account_id, transfer_id = ledger.book_payment(
            court_id=channel.court_id,
            channel_id=channel.pk,
            reference=notice.reference,
            digest=digest,
            virtual_account=notice.virtual_account,
            amount=notice.amount,
            payer_name=notice.payer_name,
            payer_account=notice.payer_account,
            paid_at=notice.paid_at,
            at=at,
            account_id=account.account_id if account else None,
            case_id=account.case.pk if account else None,
            suspense_reason=suspense_reason,
            received_by_id=received_by.pk if received_by else None,
            witnessed_by_id=witnessed_by.pk if witnessed_by else None,
            memo=f"{channel.code}:{notice.reference} {notice.payer_name}",
            history_user_id=acting_user_id(),
        )
        if not created:
            existing = Deposit.objects.select_related("case").get(pk=deposit_id)
            if existing.body_digest != digest:
                raise Conflict(
                    _("Reference %(ref)s was already booked with different content.")
                    % {"ref": notice.reference},
                    code="reference_reused",
                )
            return existing, False
        deposit = Deposit(
            pk=deposit_id,
            court_id=channel.court_id,
            channel=channel,
            reference=notice.reference,
            body_digest=digest,
            virtual_account=notice.virtual_account,
            amount=notice.amount,
            payer_name=notice.payer_name,
            payer_account=notice.payer_account,
            paid_at=notice.paid_at,
            received_at=at,
            status=Deposit.Status.CREDITED if account else Deposit.Status.SUSPENSE,
            suspense_reason=suspense_reason,
            account_id=account_id,
            transfer_id=transfer_id,
            case=account.case if account else None,
            received_by=received_by,
            witnessed_by=witnessed_by,
        )
        _announce_arrival(deposit)
    return deposit, True


def _announce_arrival(deposit: Deposit) -> None:
    amount = f"¥{deposit.amount_yuan:,}"
    if deposit.case_id is not None:
        case = deposit.case
        notify(
            [case.judge],
            kind="funds.arrival",
            message=_("%(amount)s arrived for case %(case)s from %(payer)s.")
            % {"amount": amount, "case": case.number, "payer": deposit.payer_name or "—"},
            link=_case_link(case),
        )
    else:
        notify(
            _court_staff(deposit.court_id, Role.FINANCE),
            kind="funds.suspense",
            message=_("%(amount)s arrived without a usable virtual account (%(reason)s).")
            % {"amount": amount, "reason": deposit.suspense_reason},
            link=reverse("casefunds:workbench"),
        )


@recorded_write
def record_counter_receipt(
    *,
    channel: Channel,
    case_account: Account,
    amount: int,
    payer_name: str,
    user: User,
    second_officer: User,
    paid_at: dt.datetime | None = None,
) -> Deposit:
    """Cash or card taken at the counter (柜台收款), counted by two finance officers."""
    authorise(user, channel.court, "casefunds.add_deposit")
    require(channel.kind == Channel.Kind.COUNTER, "channel", _("Choose a counter channel."))
    require(
        case_account.kind == Account.Kind.CASE and case_account.court_id == channel.court_id,
        "case_account",
        _("Choose a sub-account of this court."),
    )
    require(
        second_officer.pk != user.pk
        and second_officer.court_id == channel.court_id
        and second_officer.has_role(Role.FINANCE),
        "second_officer",
        _("A second finance officer of this court must count the money with you."),
    )
    require(0 < amount < MAX_AMOUNT_FEN, "amount", _("The amount must be more than zero."))
    notice = Notice(
        reference=f"CTR{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:10].upper()}",
        virtual_account=case_account.virtual_number or "",
        amount=amount,
        payer_name=payer_name.strip(),
        payer_account="",
        paid_at=paid_at or timezone.now(),
    )
    deposit, _created = receive_payment(
        channel=channel, notice=notice, received_by=user, witnessed_by=second_officer
    )
    return deposit


@recorded_write
def assign_suspense(*, deposit: Deposit, case_account: Account, reason: str, user: User) -> Deposit:
    """A finance officer attributes suspense money to a case sub-account (认领), with reason."""
    authorise(user, deposit.court, "casefunds.assign_deposit")
    deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
    if deposit.status != Deposit.Status.SUSPENSE:
        raise Conflict(_("This deposit is no longer in suspense."), code="not_in_suspense")
    require(bool(reason.strip()), "reason", _("Give the reason for the assignment."))
    require(
        case_account.kind == Account.Kind.CASE and case_account.court_id == deposit.court_id,
        "case_account",
        _("Choose a sub-account of this court."),
    )
    deposit.assignment_transfer = ledger.move(
        source=deposit.account,
        target=case_account,
        amount=deposit.amount,
        code=Transfer.Code.ASSIGNMENT,
        user=user,
        memo=reason,
    )
    deposit.status = Deposit.Status.ASSIGNED
    deposit.account = case_account
    deposit.case = case_account.case
    deposit.assigned_by = user
    deposit.assigned_at = timezone.now()
    deposit.assignment_reason = reason.strip()
    deposit.save()
    _announce_arrival(deposit)
    return deposit


@dataclass
class StatementReport:
    lines: int = 0
    matched: int = 0
    posted: int = 0
    mismatches: list[dict] | None = None


STATEMENT_COLUMNS = ["bank_reference", "virtual_account", "amount", "payer_name", "payer_account",
                     "paid_at"]  # fmt: skip


STATEMENT_MAX_BYTES = 64 * 1024 * 1024  # about 600,000 lines


def decode_statement(upload) -> str:
    """The text of an uploaded statement: UTF-8 (with or without BOM), else GB18030 as Chinese
    banks export it; too large a file is refused before it is read whole."""
    if upload.size is not None and upload.size > STATEMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 64 MB; split it by day.")})
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("The file is neither UTF-8 nor GB18030 text.")})


@recorded_write
def import_statement(
    *,
    channel: Channel,
    text: str,
    file_name: str,
    user: User,
    progress: Callable[[int], None] | None = None,
) -> StatementImport:
    """Check a day's bank statement (CSV, ``docs/casefunds-statement-format.md``) against the
    deposits on record: post what is missing, report what differs. Safe to import twice."""
    authorise(user, channel.court, "casefunds.add_statementimport")
    require(channel.kind == Channel.Kind.BANK, "channel", _("Choose a bank channel."))
    # restval: a short line gives "" (not None) for the columns it lacks.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), restval="")
    try:
        fieldnames = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:  # e.g. a NUL byte in the file
        raise ValidationError({"file": _("This is not a readable CSV file.")}) from exc
    missing = [c for c in STATEMENT_COLUMNS if c not in fieldnames]
    require(
        not missing,
        "file",
        _("The statement lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
    )
    report = StatementReport(mismatches=[])
    references = [r["bank_reference"].strip().replace("\x00", "") for r in rows]
    known = {
        d.reference: d for d in Deposit.objects.filter(channel=channel, reference__in=references)
    }
    for number, row in enumerate(rows, start=2):
        report.lines += 1
        try:
            notice = parse_notice(row)
        except ValidationError as exc:
            report.mismatches.append(
                {"line": number, "problem": "invalid", "fields": exc.message_dict}
            )
            continue
        deposit = known.get(notice.reference)
        if deposit is None:
            with transaction.atomic():
                _deposit, created = receive_payment(channel=channel, notice=notice)
            report.posted += int(created)
            report.matched += int(not created)
        elif deposit.amount != notice.amount or virtual_accounts.clean(
            deposit.virtual_account
        ) != virtual_accounts.clean(notice.virtual_account):
            report.mismatches.append(
                {
                    "line": number,
                    "problem": "differs",
                    "reference": notice.reference,
                    "statement_amount": str(yuan(notice.amount)),
                    "booked_amount": str(yuan(deposit.amount)),
                }
            )
        else:
            report.matched += 1
        if progress and report.lines % 1000 == 0:
            progress(report.lines)
    return StatementImport.objects.create(
        channel=channel,
        file_name=file_name[:200],
        imported_by=user,
        lines=report.lines,
        matched=report.matched,
        posted=report.posted,
        mismatches=report.mismatches,
    )


@recorded_write
def record_fee(
    *, case_party: CaseParty, amount: int, receipt_number: str, user: User
) -> LitigationFee:
    """A litigation or execution fee paid into the court's fee account."""
    case = case_party.case
    authorise(user, case.court, "casefunds.add_litigationfee")
    require(0 < amount < MAX_AMOUNT_FEN, "amount", _("The amount must be more than zero."))
    require(bool(receipt_number.strip()), "receipt_number", _("Give the receipt number."))
    require(
        not LitigationFee.objects.filter(receipt_number=receipt_number.strip()).exists(),
        "receipt_number",
        _("This receipt is already recorded."),
    )
    transfer = ledger.move(
        source=ledger.court_account(case.court, Account.Kind.BANK),
        target=ledger.court_account(case.court, Account.Kind.FEES),
        amount=amount,
        code=Transfer.Code.FEE_PAYMENT,
        user=user,
        memo=f"{case.number} {receipt_number}",
    )
    return LitigationFee.objects.create(
        case=case,
        payer=case_party,
        amount=amount,
        receipt_number=receipt_number.strip(),
        transfer=transfer,
        recorded_by=user,
    )


@recorded_write
def allocate_relief(*, court: Court, amount: int, memo: str, user: User) -> Transfer:
    """Judicial relief money (司法救助金) granted to the court arrives in its bank account."""
    authorise(user, court, "casefunds.add_transfer")
    require(0 < amount < MAX_AMOUNT_FEN, "amount", _("The amount must be more than zero."))
    require(bool(memo.strip()), "memo", _("Name the relief decision."))
    return ledger.move(
        source=ledger.court_account(court, Account.Kind.BANK),
        target=ledger.court_account(court, Account.Kind.RELIEF),
        amount=amount,
        code=Transfer.Code.RELIEF_ALLOCATION,
        user=user,
        memo=memo,
    )


@recorded_write
def reverse_transfer(*, transfer: Transfer, reason: str, user: User) -> Transfer:
    """Correct a booking error with a reversing transfer (冲正); finance only."""
    authorise(user, transfer.court, "casefunds.add_transfer")
    require(
        transfer.code in (Transfer.Code.FEE_PAYMENT, Transfer.Code.RELIEF_ALLOCATION),
        "transfer",
        _("Deposits and payouts are corrected through their own records, not reversed."),
    )
    fee = LitigationFee.objects.select_for_update().filter(transfer=transfer).first()
    if fee is not None and _live_refunds(fee).exists():
        raise Conflict(_("This fee has a refund on its way: it cannot be reversed."), "refunded")
    return ledger.reverse(transfer, user=user, reason=reason)


def _live_refunds(fee: LitigationFee):
    return Payout.objects.filter(fee=fee).exclude(status__in=["failed", "rejected"])


# --- Money out ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payee:
    name: str
    bank: str
    account: str
    phone: str = ""


def applicant_payee(case_party: CaseParty) -> Payee:
    """An applicant's payee account confirmed at filing (预留账户)."""
    return Payee(
        name=case_party.payee_account_name or case_party.party.name,
        bank=case_party.payee_bank,
        account=case_party.payee_account_number,
        phone=case_party.party.phone,
    )


@recorded_write
def propose_payout(
    *,
    case: EnforcementCase,
    kind: str,
    amount: int,
    idempotency_key: str,
    user: User,
    payee_party: CaseParty | None = None,
    source: Account | None = None,
    fee: LitigationFee | None = None,
    refund_payee: Payee | None = None,
    purpose: str = "",
) -> tuple[Payout, bool]:
    """The judge asks to pay money out (承办人申请). Same key and content: the first answer."""
    authorise(user, case.court, "casefunds.add_payout")
    key = idempotency_key.strip()
    require(bool(key) and len(key) <= 100, "idempotency_key", _("Give an idempotency key."))
    request = {
        "user": user.pk,
        "case": case.pk, "kind": kind, "amount": amount,
        "payee_party": getattr(payee_party, "pk", None), "source": getattr(source, "pk", None),
        "fee": getattr(fee, "pk", None),
        "refund_payee": asdict(refund_payee) if refund_payee else None, "purpose": purpose,
    }  # fmt: skip
    digest = _digest(request)
    existing = Payout.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.request_digest != digest:
            raise Conflict(_("This idempotency key was used for another payout."), "key_reused")
        return existing, False
    require(kind in Payout.Kind.values, "kind", _("Choose what the payout is for."))
    require(0 < amount < MAX_AMOUNT_FEN, "amount", _("The amount must be more than zero."))
    if kind == Payout.Kind.FEE_REFUND:
        require(fee is not None and fee.case_id == case.pk, "fee", _("Choose a fee of this case."))
        require(refund_payee is not None, "payee", _("Give the account to refund to."))
        require(amount <= fee.amount, "amount", _("A refund cannot exceed the fee paid."))
        fee = LitigationFee.objects.select_for_update().get(pk=fee.pk)  # one refund at a time
        require(not _live_refunds(fee).exists(), "fee", _("This fee has already been refunded."))
        require(
            not Transfer.objects.filter(reverses_id=fee.transfer_id).exists(),
            "fee",
            _("This fee's booking was reversed: there is nothing to refund."),
        )
        source = ledger.court_account(case.court, Account.Kind.FEES)
        payee = refund_payee
    else:
        require(
            payee_party is not None
            and payee_party.case_id == case.pk
            and payee_party.role == CaseParty.Role.APPLICANT
            and bool(payee_party.payee_account_number),
            "payee_party",
            _("Pay to an applicant of this case with a confirmed payee account."),
        )
        payee = applicant_payee(payee_party)
        if kind == Payout.Kind.RELIEF:
            source = ledger.court_account(case.court, Account.Kind.RELIEF)
        else:
            require(
                source is not None
                and source.kind == Account.Kind.CASE
                and source.case_id == case.pk,
                "source",
                _("Choose a sub-account of this case."),
            )
    source = Account.objects.get(pk=source.pk)  # the caller's copy may predate a deposit
    require(
        amount <= source.available,
        "amount",
        _("The account holds ¥%(available)s not yet promised.")
        % {"available": f"{yuan(source.available):,}"},
    )
    payout = Payout(
        court=case.court,
        case=case,
        kind=kind,
        source=source,
        fee=fee if kind == Payout.Kind.FEE_REFUND else None,
        payee_name=payee.name,
        payee_bank=payee.bank,
        payee_account=payee.account,
        payee_phone=payee.phone,
        amount=amount,
        purpose=purpose[:200],
        idempotency_key=key,
        request_digest=digest,
        proposed_by=user,
    )
    try:
        with transaction.atomic():
            payout.save()
    except IntegrityError:  # a concurrent request with this key, or a second refund of the fee
        existing = Payout.objects.filter(idempotency_key=key).first()
        if existing is not None and existing.request_digest == digest:
            return existing, False
        raise Conflict(
            _("This payout clashes with one already proposed."), "payout_conflict"
        ) from None
    notify(
        _court_staff(case.court, Role.BUREAU_CHIEF),
        kind="funds.payout_proposed",
        message=_("Payout of ¥%(amount)s on %(case)s awaits your approval.")
        % {"amount": f"{payout.amount_yuan:,}", "case": case.number},
        link=reverse("casefunds:workbench"),
    )
    return payout, True


@recorded_write
def propose_everything_received(*, case: EnforcementCase, user: User) -> list[Payout]:
    """One click: propose paying each sub-account's free money to the applicant (一站式发放).

    Still goes through approval and review. With several applicants the share of each is a
    decision for the judge, so this refuses and asks for separate proposals.
    """
    applicants = list(case.parties.filter(role=CaseParty.Role.APPLICANT).select_related("party"))
    require(
        len(applicants) == 1,
        "case",
        _("The case has several applicants: propose each share separately."),
    )
    payouts = []
    for account in case.fund_accounts.filter(kind=Account.Kind.CASE).order_by("pk"):
        if account.available > 0:
            # The key repeats for a double click, but not once an earlier proposal was sent
            # back or failed (the account's totals are then the same as before it).
            ended = Payout.objects.filter(
                source=account, status__in=[Payout.Status.REJECTED, Payout.Status.FAILED]
            ).count()
            payout, _created = propose_payout(
                case=case,
                kind=Payout.Kind.APPLICANT,
                amount=account.available,
                idempotency_key=(
                    f"all-{account.pk}-{account.credits_posted}-{account.debits_pending}-{ended}"
                ),
                user=user,
                payee_party=applicants[0],
                source=account,
                purpose=_("Everything received"),
            )
            payouts.append(payout)
    require(bool(payouts), "case", _("No money on this case is free to pay out."))
    return payouts


def _lock_payout(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().select_related("case", "source").get(pk=payout.pk)


@recorded_write
def approve_payout(*, payout: Payout, user: User) -> Payout:
    """The bureau chief approves (局长审批): the money is reserved for this payee."""
    authorise(user, payout.court, "casefunds.approve_payout")
    require_role(user, Role.BUREAU_CHIEF)
    payout = _lock_payout(payout)
    if payout.proposed_by_id == user.pk:
        raise PermissionDenied(_("Nobody approves their own proposal."))
    if payout.status != Payout.Status.DRAFT:
        raise Conflict(_("Only a proposed payout can be approved."), "wrong_state")
    try:
        payout.reservation = ledger.reserve(
            source=payout.source,
            bank=ledger.court_account(payout.court, Account.Kind.BANK),
            amount=payout.amount,
            code=Transfer.Code.FEE_REFUND if payout.fee_id else Transfer.Code.PAYOUT,
            user=user,
            memo=f"{payout.case.number} → {payout.payee_name}",
        )
    except ledger.InsufficientFunds as exc:
        raise ValidationError({"amount": exc.messages}) from exc
    payout.status = Payout.Status.APPROVED
    payout.approved_by = user
    payout.approved_at = timezone.now()
    payout.save()
    notify(
        _court_staff(payout.court, Role.FINANCE),
        kind="funds.payout_approved",
        message=_("Payout of ¥%(amount)s on %(case)s awaits finance review.")
        % {"amount": f"{payout.amount_yuan:,}", "case": payout.case.number},
        link=reverse("casefunds:workbench"),
    )
    return payout


@recorded_write
def review_payout(*, payout: Payout, user: User) -> Payout:
    """Finance checks the payee and amount (财务复核) and releases the payout to the bank."""
    authorise(user, payout.court, "casefunds.review_payout")
    require_role(user, Role.FINANCE)
    payout = _lock_payout(payout)
    if user.pk in (payout.proposed_by_id, payout.approved_by_id):
        raise PermissionDenied(_("The reviewer must be someone other than proposer and approver."))
    if payout.status != Payout.Status.APPROVED:
        raise Conflict(_("Only an approved payout can be reviewed."), "wrong_state")
    payout.status = Payout.Status.REVIEWED
    payout.reviewed_by = user
    payout.reviewed_at = timezone.now()
    payout.save()
    PayoutDispatch.objects.create(payout=payout)
    from casefunds.tasks import send_payout

    transaction.on_commit(lambda: send_payout.delay(payout.pk))
    return payout


@recorded_write
def reject_payout(*, payout: Payout, reason: str, user: User) -> Payout:
    """The chief (a proposal or approval) or finance (at review) sends a payout back."""
    payout = _lock_payout(payout)
    allowed = {
        Payout.Status.DRAFT: "casefunds.approve_payout",
        Payout.Status.APPROVED: "casefunds.review_payout",
    }
    if payout.status not in allowed:
        raise Conflict(_("This payout can no longer be rejected."), "wrong_state")
    authorise(user, payout.court, allowed[payout.status])
    require(bool(reason.strip()), "reason", _("Give the reason for sending it back."))
    if payout.reservation_id:
        ledger.void(payout.reservation, user=user, memo=reason)
    payout.status = Payout.Status.REJECTED
    payout.failure_reason = reason.strip()[:300]
    payout.finished_at = timezone.now()
    payout.save()
    notify(
        [payout.proposed_by],
        kind="funds.payout_rejected",
        message=_("Payout on %(case)s was sent back: %(reason)s")
        % {"case": payout.case.number, "reason": payout.failure_reason},
        link=_case_link(payout.case),
    )
    return payout


def send_payout(payout_id: int) -> None:
    """Send a reviewed payout to the bank, at most once, whoever calls and however often.

    Lock, move to ``submitting``, commit; only then call the bank with the payout's key. A crash
    after the commit leaves the row in ``submitting`` for the reconciler, which asks the bank
    and never sends again.
    """
    with transaction.atomic():
        payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
        if payout is None or payout.status != Payout.Status.REVIEWED:
            return
        payout.status = Payout.Status.SUBMITTING
        payout.submitting_at = timezone.now()
        payout.save(update_fields=["status", "submitting_at"])
        PayoutDispatch.objects.filter(payout=payout).update(sent_at=timezone.now())
    instruction = PaymentInstruction(
        key=payout.idempotency_key,
        payee_name=payout.payee_name,
        payee_bank=payout.payee_bank,
        payee_account=payout.payee_account,
        amount=payout.amount,
        memo=f"{payout.case.number} 执行款",
    )
    try:
        answer = bank().submit(instruction)
    except BankUnavailable:
        return  # unknown outcome: the reconciler asks the bank later
    record_bank_answer(payout_id, answer)
    if answer.status == "accepted":  # most banks settle at once; ask straight away
        final = bank().query(payout.idempotency_key)
        if final is not None:
            record_bank_answer(payout_id, final)


def record_bank_answer(payout_id: int, answer: BankAnswer) -> Payout:
    """Apply what the bank says about a payout; answers that change nothing are ignored."""
    with transaction.atomic():
        payout = (
            Payout.objects.select_for_update(of=("self",))  # reservation: an outer join
            .select_related("case", "reservation")
            .get(pk=payout_id)
        )
        if payout.status not in (Payout.Status.SUBMITTING, Payout.Status.SUBMITTED):
            return payout
        now = timezone.now()
        payout.bank_reference = answer.reference or payout.bank_reference
        if answer.status == "accepted":
            payout.status = Payout.Status.SUBMITTED
            payout.submitted_at = payout.submitted_at or now
        elif answer.status in ("paid", "returned"):
            ledger.settle(payout.reservation, memo=answer.reference)
            payout.status = Payout.Status.PAID
            payout.submitted_at = payout.submitted_at or now
            payout.finished_at = now
            if answer.status == "returned":
                payout.return_transfer = ledger.move(
                    source=ledger.court_account(payout.court, Account.Kind.BANK),
                    target=payout.source,
                    amount=payout.amount,
                    code=Transfer.Code.RETURN,
                    memo=answer.reason or answer.reference,
                )
                payout.status = Payout.Status.RETURNED
                payout.failure_reason = answer.reason[:300]
        elif answer.status == "failed":
            ledger.void(payout.reservation, memo=answer.reason)
            payout.status = Payout.Status.FAILED
            payout.failure_reason = answer.reason[:300] or _("Refused by the bank.")
            payout.finished_at = now
        payout.save()
        if payout.status in (Payout.Status.PAID, Payout.Status.FAILED, Payout.Status.RETURNED):
            _announce_payout_result(payout)
        return payout


def _announce_payout_result(payout: Payout) -> None:
    message = _("Payout of ¥%(amount)s on %(case)s: %(status)s.") % {
        "amount": f"{payout.amount_yuan:,}",
        "case": payout.case.number,
        "status": payout.get_status_display(),
    }
    notify([payout.proposed_by, payout.case.judge], kind="funds.payout_result", message=message,
           link=_case_link(payout.case))  # fmt: skip
    if payout.status == Payout.Status.PAID:
        clear_idle_alerts(payout.source)
        if payout.payee_phone:
            queue_sms(
                phone=payout.payee_phone,
                text=_("%(court)s: ¥%(amount)s for case %(case)s has been paid to your account.")
                % {
                    "court": payout.court.name,
                    "amount": f"{payout.amount_yuan:,}",
                    "case": payout.case.number,
                },
                kind="funds.payee_paid",
            )


def relay_payouts(limit: int = 100) -> int:
    """Outbox relay: hand every reviewed payout not yet sent to a worker. Safe to repeat."""
    from casefunds.tasks import send_payout

    with transaction.atomic():
        due = list(
            PayoutDispatch.objects.select_for_update(skip_locked=True)
            .filter(sent_at=None, due_at__lte=timezone.now())
            .order_by("due_at")
            .values_list("payout_id", flat=True)[:limit]
        )
    for payout_id in due:
        send_payout.delay(payout_id)
    return len(due)


def reconcile_payouts(now: dt.datetime | None = None) -> int:
    """Resolve payouts the bank has but we have no final answer for, by asking the bank.

    Never sends. A ``submitting`` payout the bank has never heard of after the wait has failed
    before reaching it: its reservation is voided and the judge may propose it again.
    """
    now = now or timezone.now()
    wait = dt.timedelta(seconds=settings.FUNDS_RECONCILE_AFTER_SECONDS)
    stuck = Payout.objects.filter(
        Q(status=Payout.Status.SUBMITTING, submitting_at__lte=now - wait)
        | Q(status=Payout.Status.SUBMITTED)
    ).values_list("pk", "idempotency_key")
    resolved = 0
    for payout_id, key in stuck:
        try:
            answer = bank().query(key)
        except BankUnavailable:
            continue
        if answer is None:
            answer = BankAnswer(status="failed", reason=_("The bank never received the payment."))
        before = Payout.objects.values_list("status", flat=True).get(pk=payout_id)
        if record_bank_answer(payout_id, answer).status != before:
            resolved += 1
    return resolved


# --- Fees, deferral, escrow ----------------------------------------------------------------------


@recorded_write
def declare_fee_refund(
    *, fee: LitigationFee, amount: int, refund_payee: Payee, reason: str, user: User
) -> Payout:
    """A refund is due (e.g. the application was withdrawn): the payout is created at once."""
    require(bool(reason.strip()), "reason", _("Give the reason the refund is due."))
    payout, _created = propose_payout(
        case=fee.case,
        kind=Payout.Kind.FEE_REFUND,
        amount=amount,
        idempotency_key=f"fee-refund-{fee.pk}-{uuid.uuid4().hex[:8]}",
        user=user,
        fee=fee,
        refund_payee=refund_payee,
        purpose=reason,
    )
    return payout


@recorded_write
def request_hold(
    *,
    account: Account,
    kind: str,
    reason: str,
    details: str,
    user: User,
    until: dt.date | None = None,
    amount: int | None = None,
) -> Hold:
    """Ask to defer a payout (暂缓发放) or to escrow the money (提存); the chief decides."""
    authorise(user, account.court, "casefunds.add_hold")
    require(account.kind == Account.Kind.CASE, "account", _("Choose a case sub-account."))
    require(kind in Hold.Kind.values, "kind", _("Choose deferral or escrow."))
    allowed = Hold.DEFERRAL_REASONS if kind == Hold.Kind.DEFERRAL else Hold.ESCROW_REASONS
    require(reason in allowed, "reason", _("This reason does not allow it."))
    require(bool(details.strip()), "details", _("Describe the circumstances."))
    if kind == Hold.Kind.DEFERRAL:
        require(
            until is not None and until > timezone.localdate(),
            "until",
            _("Give the date the deferral ends."),
        )
        amount = None
    else:
        account = Account.objects.get(pk=account.pk)  # current totals, not the caller's copy
        require(
            amount is not None and 0 < amount <= account.available,
            "amount",
            _("Escrow at most the money not yet promised."),
        )
        until = None
    return Hold.objects.create(
        account=account, kind=kind, reason=reason, details=details.strip(), until=until,
        amount=amount, requested_by=user,
    )  # fmt: skip


@recorded_write
def decide_hold(*, hold: Hold, approve: bool, user: User) -> Hold:
    authorise(user, hold.account.court, "casefunds.decide_hold")
    require_role(user, Role.BUREAU_CHIEF)
    hold = Hold.objects.select_for_update().select_related("account").get(pk=hold.pk)
    if hold.status != Hold.Status.REQUESTED:
        raise Conflict(_("This request has been decided."), "decided")
    if hold.requested_by_id == user.pk:
        raise PermissionDenied(_("Nobody approves their own request."))
    hold.status = Hold.Status.APPROVED if approve else Hold.Status.REFUSED
    hold.decided_by = user
    hold.decided_at = timezone.now()
    if approve and hold.kind == Hold.Kind.ESCROW:
        try:
            hold.transfer = ledger.move(
                source=hold.account,
                target=ledger.court_account(hold.account.court, Account.Kind.ESCROW),
                amount=hold.amount,
                code=Transfer.Code.ESCROW,
                user=user,
                memo=hold.get_reason_display(),
            )
        except ledger.InsufficientFunds as exc:
            raise ValidationError({"amount": exc.messages}) from exc
        clear_idle_alerts(hold.account)
    hold.save()
    return hold


# --- Idle-money alerts -------------------------------------------------------------------------


def clear_idle_alerts(account: Account, now: dt.datetime | None = None) -> int:
    """Idle alerts of an episode that has ended (the account is empty or started again)."""
    account.refresh_from_db(fields=["funded_since"])
    return (
        FundsAlert.objects.filter(account=account, kind=FundsAlert.Kind.IDLE, cleared_at=None)
        .exclude(episode_start=account.funded_since)
        .update(cleared_at=now or timezone.now())
    )


@dataclass
class ScanResult:
    raised: int = 0
    cleared: int = 0
    step_raised: int = 0
    step_cleared: int = 0


def scan_idle_money(now: dt.datetime | None = None) -> ScanResult:
    """Daily (and on demand): raise each tier once per episode, clear what was paid out, and
    light the yellow lamp on payout steps past their time limit.

    Reads only accounts whose next tier is due (``next_alert_at``, indexed), never postings,
    so its cost follows the alerts due, not the ledger's history.
    """
    now = now or timezone.now()
    result = ScanResult()
    tiers = list(IdleTier.objects.order_by("days"))
    with transaction.atomic():
        result.cleared = _clear_ended_episodes(now)
        if tiers:
            raised = _raise_due_tiers(now, tiers)
            result.raised = len(raised)
            _notify_tiers(raised, tiers)
        result.step_cleared, result.step_raised = _scan_payout_steps(now)
    return result


@recorded_write
def scan_idle_money_now(*, user: User) -> ScanResult:
    """The daily scan run on demand (API, workbench): finance or a chief may start it."""
    require_role(user, Role.FINANCE, Role.BUREAU_CHIEF, Role.SECTION_CHIEF)
    return scan_idle_money()


def _clear_ended_episodes(now: dt.datetime) -> int:
    # Driven by the open alerts, one primary-key probe each: a join let the planner hash every
    # account (a full scan of the account table on every daily run).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE casefunds_fundsalert f SET cleared_at = %s
             WHERE f.cleared_at IS NULL AND f.kind = 'idle'
               AND f.episode_start IS DISTINCT FROM
                   (SELECT a.funded_since FROM casefunds_account a WHERE a.id = f.account_id)
            """,
            [now],
        )
        return cursor.rowcount


def _raise_due_tiers(now: dt.datetime, tiers: list[IdleTier]) -> list[tuple[int, int, int]]:
    """One set-based statement: for each due account, every tier reached and not yet raised
    in this episode gets an alert (ON CONFLICT keeps it once); ``next_alert_at`` moves to the
    next tier. Accounts under an approved deferral wait until it ends."""
    days = [t.days for t in tiers]
    ids = [t.pk for t in tiers]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH tier(id, days) AS (SELECT * FROM unnest(%(ids)s::bigint[], %(days)s::int[])),
            due AS (
                SELECT a.id, a.funded_since, a.credits_posted - a.debits_posted AS held
                  FROM casefunds_account a
                 WHERE a.next_alert_at <= %(now)s
                   AND NOT EXISTS (
                       SELECT 1 FROM casefunds_hold h
                        WHERE h.account_id = a.id AND h.kind = 'deferral'
                          AND h.status = 'approved' AND h.until >= %(today)s)
                 FOR UPDATE OF a SKIP LOCKED
            ),
            raised AS (
                INSERT INTO casefunds_fundsalert
                       (kind, account_id, tier_id, episode_start, amount, raised_at,
                        payout_status)
                SELECT 'idle', due.id, tier.id, due.funded_since, due.held, %(now)s, ''
                  FROM due JOIN tier
                    ON due.funded_since + make_interval(days => tier.days) <= %(now)s
                ON CONFLICT DO NOTHING
                RETURNING account_id, tier_id, amount
            ),
            moved AS (
                UPDATE casefunds_account a
                   SET next_alert_at = (
                       SELECT MIN(a.funded_since + make_interval(days => tier.days)) FROM tier
                        WHERE a.funded_since + make_interval(days => tier.days) > %(now)s)
                  FROM due WHERE a.id = due.id
            )
            SELECT account_id, tier_id, amount FROM raised
            """,
            {"ids": ids, "days": days, "now": now, "today": timezone.localdate(now)},
        )
        return cursor.fetchall()


def _notify_tiers(raised: list[tuple[int, int, int]], tiers: list[IdleTier]) -> None:
    if not raised:
        return
    by_id = {t.pk: t for t in tiers}
    accounts = Account.objects.select_related("case__judge", "case__court").in_bulk(
        {account_id for account_id, _t, _a in raised}
    )
    staff_cache: dict[tuple[int, tuple[str, ...]], list[User]] = {}
    alerts: list[Alert] = []
    for account_id, tier_id, amount in raised:
        account, tier = accounts[account_id], by_id[tier_id]
        case = account.case
        roles = tuple(tier.notify_roles)
        key = (case.court_id, roles)
        if key not in staff_cache:
            staff_cache[key] = _court_staff(case.court, *[Role(r) for r in roles])
        recipients = list(staff_cache[key]) + ([case.judge] if tier.notify_judge else [])
        message = _(
            "%(tier)s: ¥%(amount)s has been held on %(case)s for %(days)d days or more."
        ) % {
            "tier": tier.label,
            "amount": f"{yuan(amount):,}",
            "case": case.number,
            "days": tier.days,
        }
        alerts.append(Alert(recipients, "funds.idle", message, _case_link(case)))
    # In batches: one INSERT per alert made the first scan over many accounts take minutes.
    notify_many(alerts)


def _scan_payout_steps(now: dt.datetime) -> tuple[int, int]:
    cleared = (
        FundsAlert.objects.filter(kind=FundsAlert.Kind.STEP, cleared_at=None)
        .exclude(payout__status=F("payout_status"))
        .update(cleared_at=now)
    )
    raised = 0
    for status, hours in settings.FUNDS_PAYOUT_STEP_HOURS.items():
        field = Payout.STEP_FIELDS[status]
        late = Payout.objects.filter(
            status=status, **{f"{field}__lte": now - dt.timedelta(hours=hours)}
        ).exclude(alerts__kind=FundsAlert.Kind.STEP, alerts__payout_status=status)
        created = FundsAlert.objects.bulk_create(
            [
                FundsAlert(
                    kind=FundsAlert.Kind.STEP,
                    account_id=p.source_id,
                    payout=p,
                    payout_status=status,
                    amount=p.amount,
                    raised_at=now,
                )
                for p in late
            ],
            ignore_conflicts=True,
        )
        raised += len(created)
    return cleared, raised


def retime_idle_alerts() -> int:
    """After the tiers are edited: every holding account's next due tier is recomputed."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE casefunds_account a SET next_alert_at = (
                SELECT MIN(a.funded_since + make_interval(days => t.days))
                  FROM casefunds_idletier t
                 WHERE NOT EXISTS (
                     SELECT 1 FROM casefunds_fundsalert f
                      WHERE f.account_id = a.id AND f.tier_id = t.id
                        AND f.episode_start = a.funded_since AND f.kind = 'idle'))
             WHERE a.funded_since IS NOT NULL
            """
        )
        return cursor.rowcount
