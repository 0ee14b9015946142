"""Case-funds API views (执行案款): thin doors onto ``casefunds.services``.

Two doors are for machines, not people: the bank's payment notices (HMAC over the raw body) and
Alipay's asynchronous notifications (RSA2). Neither has a session, a token or CSRF; the
signature is checked before anything in the body is looked at, and whatever arrives, the answer
is a 2xx or 4xx, never a 500 (the sender would only retry it).

Every other view is for staff, built like the enforcement API: querysets through
``courtexec.visibility.restrict``, shapes checked by serializers, rules and authorisation in the
services (``ValidationError`` → 400, ``PermissionDenied`` → 403, ``Conflict`` → 409).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, F, Prefetch, Sum, Value, When, Window, prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casefunds import selectors, services, signatures
from casefunds.api import serializers as s
from casefunds.models import (
    Account,
    Channel,
    Deposit,
    FundsAlert,
    Hold,
    IdleTier,
    LitigationFee,
    Payout,
    Posting,
    StatementImport,
    Transfer,
)
from courtexec.api.permissions import ADD, VIEW, ModelPermissions
from enforcement.api.serializers import ApiErrorSerializer
from enforcement.api.views import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    WRITE_ERRORS,
    EnforcementViewSet,
)
from enforcement.models import EnforcementCase

TAGS = ["funds"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
UNAUTHORISED = OpenApiResponse(ApiErrorSerializer, description="Bad or missing signature.")
CONFLICT = OpenApiResponse(
    ApiErrorSerializer, description="Same reference or key with different content."
)


# --- Bank notices (银行到账通知) ---------------------------------------------------------------


def _bank_channel(code: str) -> Channel | None:
    """The channel named by ``X-Channel``; without it, the court's only active bank channel."""
    active = Channel.objects.filter(kind=Channel.Kind.BANK, is_active=True)
    if code:
        return active.filter(code=code).first() if "\x00" not in code else None
    only = list(active[:2])
    return only[0] if len(only) == 1 else None


@extend_schema(
    tags=TAGS,
    summary="A payment notice from the bank (signed; no user login)",
    description="`X-Signature` is the hex HMAC-SHA256 of the raw body under the channel's "
    "secret; `X-Channel` names the channel (optional when there is one bank channel). The "
    "deposit is booked at once: on the case sub-account, or in suspense when the virtual "
    "account is missing, mistyped or unknown. Repeating a notice answers 200 with the same "
    "deposit; the same reference with other content is a 409.",
    parameters=[
        OpenApiParameter("X-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True),
        OpenApiParameter("X-Channel", OpenApiTypes.STR, OpenApiParameter.HEADER),
    ],
    request=s.BankNoticeSerializer,
    responses={
        201: OpenApiResponse(s.BankReceiptSerializer, description="Booked."),
        200: OpenApiResponse(s.BankReceiptSerializer, description="Already booked."),
        400: INVALID,
        401: UNAUTHORISED,
        409: CONFLICT,
    },
    examples=[
        OpenApiExample(
            "Notice",
            request_only=True,
            value={
                "bank_reference": "ICBC20160501000123",
                "virtual_account": "90000001000000011",
                "amount": "1234.56",
                "payer_name": "杭州某某贸易有限公司",
                "payer_account": "6217000010001234567",
                "paid_at": "2016-05-01T10:30:00+08:00",
            },
        )
    ],
)
class BankNoticeView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []  # the raw body is what is signed: never parsed by DRF
    throttle_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return 'HMAC-SHA256 header="X-Signature"'  # makes DRF answer 401, not 403

    def post(self, request):
        raw = request.body
        channel = _bank_channel(request.headers.get("X-Channel", "").strip())
        signature = request.headers.get("X-Signature", "")
        if (
            channel is None
            or not signature.isascii()  # compare_digest refuses other text
            or not signatures.bank_signature_valid(channel.secret, raw, signature)
        ):
            raise exceptions.AuthenticationFailed(
                _("Unknown channel or bad signature."), code="bad_signature"
            )
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise exceptions.ParseError(_("The body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("The body must be a JSON object."))
        notice = services.parse_notice(data)
        deposit, created = services.receive_payment(channel=channel, notice=notice)
        return Response(
            s.BankReceiptSerializer(deposit).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Alipay (支付宝异步通知) --------------------------------------------------------------------

ALIPAY_PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")


def _plain(text: str, code: int = 200) -> HttpResponse:
    """Alipay's protocol: the body is exactly "success" (stop retrying) or anything else."""
    return HttpResponse(text, status=code, content_type="text/plain; charset=utf-8")


def _alipay_time(value: str) -> str | None:
    try:
        naive = dt.datetime.strptime(value or "", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=SHANGHAI).isoformat()


@extend_schema(
    tags=TAGS,
    summary="Alipay's asynchronous payment notification (RSA2-signed; no user login)",
    description="Answers plain text `success` when booked, repeated, or not a payment "
    "(other trade statuses); `failure` with 401 for a bad signature or unknown app, 400 for "
    "bad fields, 409 when the trade number was booked with other content. `out_trade_no` is "
    "`<virtual account>-<suffix>`.",
    request={"application/x-www-form-urlencoded": s.AlipayNotifySerializer},
    responses={
        (200, "text/plain"): OpenApiTypes.STR,
        (400, "text/plain"): OpenApiTypes.STR,
        (401, "text/plain"): OpenApiTypes.STR,
        (409, "text/plain"): OpenApiTypes.STR,
    },
)
class AlipayNotifyView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]
    throttle_classes: list = []

    def post(self, request):
        params = {str(k): str(v) for k, v in request.data.items()}
        if any("\x00" in key + value for key, value in params.items()):
            return _plain("failure", status.HTTP_400_BAD_REQUEST)
        app_id = params.get("app_id", "")
        channel = (
            Channel.objects.filter(kind=Channel.Kind.ALIPAY, is_active=True, app_id=app_id).first()
            if app_id
            else None
        )
        if channel is None or not signatures.alipay_signature_valid(channel.public_key, params):
            return _plain("failure", status.HTTP_401_UNAUTHORIZED)
        if params.get("trade_status") not in ALIPAY_PAID:
            return _plain("success")  # WAIT_BUYER_PAY, TRADE_CLOSED: nothing to book
        try:
            notice = services.parse_notice(
                {
                    "bank_reference": params.get("trade_no", ""),
                    "virtual_account": params.get("out_trade_no", "").split("-", 1)[0],
                    "amount": params.get("total_amount", ""),
                    "payer_name": params.get("buyer_logon_id", ""),
                    "payer_account": params.get("buyer_id", ""),
                    "paid_at": _alipay_time(params.get("gmt_payment", "")),
                }
            )
            services.receive_payment(channel=channel, notice=notice)
        except DjangoValidationError:
            return _plain("failure", status.HTTP_400_BAD_REQUEST)
        except services.Conflict:
            return _plain("failure", status.HTTP_409_CONFLICT)
        return _plain("success")


# --- Ledger accounts ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Ledger accounts: case sub-accounts and the court's own"),
    retrieve=extend_schema(summary="One ledger account with its balances"),
)
@extend_schema(tags=TAGS)
class AccountViewSet(EnforcementViewSet):
    """Ledger accounts: balances in yuan; the statement shows every posting."""

    queryset = Account.objects.select_related("case", "payer__party")
    serializer_class = s.AccountSerializer
    filterset_fields = ["case", "kind"]

    @extend_schema(
        summary="The account's postings, newest first, with the running balance (对账单)",
        responses={200: s.StatementLineSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def statement(self, request, pk=None):
        account = self.get_object()
        sign = 1 if account.kind == Account.Kind.BANK else -1  # owed accounts hold credits
        posted = Case(When(transfer__phase="pending", then=Value(0)), default=F("amount") * sign)
        postings = (
            Posting.objects.filter(account=account)
            .select_related("transfer")
            .annotate(
                effect=F("amount") * sign,
                running_balance=Window(
                    Sum(posted), order_by=[F("transfer__created_at").asc(), F("transfer_id").asc()]
                ),
            )
            .order_by("-transfer__created_at", "-transfer_id")
        )
        page = self.paginate_queryset(postings)
        return self.get_paginated_response(s.StatementLineSerializer(page, many=True).data)


# --- Deposits -----------------------------------------------------------------------------------


def _suspense_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.FUNDS_SUSPENSE_MAX_DAYS)


class DepositFilterSet(filters.FilterSet):
    received_from = filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = filters.DateFilter(field_name="received_at", lookup_expr="date__lte")
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="In suspense longer than FUNDS_SUSPENSE_MAX_DAYS"
    )

    class Meta:
        model = Deposit
        fields = ["status", "case", "channel"]

    def filter_overdue(self, queryset, name, value):
        late = {"status": Deposit.Status.SUSPENSE, "received_at__lt": _suspense_cutoff()}
        return queryset.filter(**late) if value else queryset.exclude(**late)


@extend_schema_view(
    list=extend_schema(
        summary="Money received; suspense past FUNDS_SUSPENSE_MAX_DAYS is flagged `overdue`"
    ),
    retrieve=extend_schema(summary="One deposit"),
)
@extend_schema(tags=TAGS)
class DepositViewSet(EnforcementViewSet):
    """Money received (到账), credited to a case or waiting in suspense (暂收款)."""

    queryset = Deposit.objects.select_related("channel", "case")
    serializer_class = s.DepositSerializer
    filterset_class = DepositFilterSet

    @extend_schema(
        summary="Finance assigns suspense money to a case sub-account (认领), with reason",
        request=s.AssignDepositSerializer,
        responses={200: s.DepositSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.assign_deposit"])
    def assign(self, request, pk=None):
        deposit = services.assign_suspense(
            deposit=self.get_object(),
            user=request.user,
            **self.validated(s.AssignDepositSerializer),
        )
        return self.respond(deposit)

    @extend_schema(
        summary="Record cash or card taken at the counter, counted by two finance officers",
        request=s.CounterReceiptSerializer,
        responses={201: s.DepositSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], required_perms=[ADD])
    def counter(self, request):
        deposit = services.record_counter_receipt(
            user=request.user, **self.validated(s.CounterReceiptSerializer)
        )
        return self.respond(deposit, code=status.HTTP_201_CREATED)


# --- Payouts ------------------------------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="Chosen by the client, one per payout: a repeat answers the first payout.",
)


@extend_schema_view(
    list=extend_schema(summary="Payouts (发放) and where each stands"),
    retrieve=extend_schema(summary="One payout"),
)
@extend_schema(tags=TAGS)
class PayoutViewSet(EnforcementViewSet):
    """Payouts: judge proposes, bureau chief approves, finance reviews, the bank pays."""

    queryset = Payout.objects.select_related("case")
    serializer_class = s.PayoutSerializer
    filterset_fields = ["status", "case", "kind"]

    @extend_schema(
        summary="The judge proposes a payout (承办人申请)",
        description="Needs the `Idempotency-Key` header: the same key and body answer 200 with "
        "the first payout, the same key with another body 409.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.ProposePayoutSerializer,
        responses={
            201: OpenApiResponse(s.PayoutSerializer, description="Proposed."),
            200: OpenApiResponse(s.PayoutSerializer, description="Proposed before (same key)."),
            400: INVALID,
            403: FORBIDDEN,
            409: CONFLICT,
        },
        examples=[
            OpenApiExample(
                "To the applicant",
                request_only=True,
                value={
                    "case": 1,
                    "kind": "applicant",
                    "amount": "1000.00",
                    "payee_party": 1,
                    "source": 5,
                    "purpose": "执行款发放",
                },
            )
        ],
    )
    def create(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100 or "\x00" in key:
            raise exceptions.ValidationError(
                {"idempotency_key": [_("Send an Idempotency-Key header (at most 100 characters).")]}
            )
        payout, created = services.propose_payout(
            idempotency_key=key, user=request.user, **self.validated(s.ProposePayoutSerializer)
        )
        return self.respond(payout, code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Propose paying out everything received on the case (一站式发放)",
        request=s.CaseOnlySerializer,
        responses={201: s.PayoutSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], url_path="everything-received", required_perms=[ADD])
    def everything_received(self, request):
        payouts = services.propose_everything_received(
            user=request.user, **self.validated(s.CaseOnlySerializer)
        )
        return Response(s.PayoutSerializer(payouts, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The bureau chief approves (局长审批); the money is reserved",
        request=None,
        responses={200: s.PayoutSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.approve_payout"])
    def approve(self, request, pk=None):
        return self.respond(services.approve_payout(payout=self.get_object(), user=request.user))

    @extend_schema(
        summary="Finance reviews (财务复核) and releases the payout to the bank",
        request=None,
        responses={200: s.PayoutSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.review_payout"])
    def review(self, request, pk=None):
        return self.respond(services.review_payout(payout=self.get_object(), user=request.user))

    @extend_schema(
        summary="Send a proposed (chief) or approved (finance) payout back",
        request=s.ReasonSerializer,
        responses={200: s.PayoutSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=[VIEW])
    def reject(self, request, pk=None):
        payout = services.reject_payout(
            payout=self.get_object(), user=request.user, **self.validated(s.ReasonSerializer)
        )
        return self.respond(payout)


# --- Litigation fees ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Litigation and execution fees paid (诉讼费)"),
    retrieve=extend_schema(summary="One fee"),
)
@extend_schema(tags=TAGS)
class FeeViewSet(EnforcementViewSet):
    """Litigation and execution fees (诉讼费) and their refunds."""

    queryset = LitigationFee.objects.select_related("payer__party")
    serializer_class = s.FeeSerializer
    filterset_fields = ["case"]

    @extend_schema(
        summary="Record a fee paid (finance)",
        request=s.FeeSerializer,
        responses={201: s.FeeSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(s.FeeSerializer)
        fee = services.record_fee(
            case_party=data["payer"],
            amount=data["amount"],
            receipt_number=data["receipt_number"],
            user=request.user,
        )
        return self.respond(fee, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Declare a refund due (退费): a refund payout is proposed at once",
        request=s.FeeRefundSerializer,
        responses={201: s.PayoutSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.add_payout"])
    def refund(self, request, pk=None):
        data = self.validated(s.FeeRefundSerializer)
        payout = services.declare_fee_refund(
            fee=self.get_object(),
            amount=data["amount"],
            refund_payee=services.Payee(
                name=data["payee_name"], bank=data["payee_bank"], account=data["payee_account"]
            ),
            reason=data["reason"],
            user=request.user,
        )
        return Response(s.PayoutSerializer(payout).data, status=status.HTTP_201_CREATED)


# --- Deferrals and escrows ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Deferrals (暂缓发放) and escrows (提存)"),
    retrieve=extend_schema(summary="One deferral or escrow"),
)
@extend_schema(tags=TAGS)
class HoldViewSet(EnforcementViewSet):
    """Deferrals and escrows of a case sub-account's money, decided by the bureau chief."""

    queryset = Hold.objects.select_related("account")
    serializer_class = s.HoldSerializer
    filterset_fields = ["status", "kind", "account"]

    @extend_schema(
        summary="Ask to defer a payout or escrow the money; the bureau chief decides",
        request=s.HoldSerializer,
        responses={201: s.HoldSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        hold = services.request_hold(user=request.user, **self.validated(s.HoldSerializer))
        return self.respond(hold, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The bureau chief approves or refuses",
        request=s.DecideHoldSerializer,
        responses={200: s.HoldSerializer, **WRITE_ERRORS, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.decide_hold"])
    def decide(self, request, pk=None):
        hold = services.decide_hold(
            hold=self.get_object(), user=request.user, **self.validated(s.DecideHoldSerializer)
        )
        return self.respond(hold)


# --- Alerts and tiers ---------------------------------------------------------------------------


class AlertFilterSet(filters.FilterSet):
    open = filters.BooleanFilter(field_name="cleared_at", lookup_expr="isnull", label="Open only")
    # A plain id: tiers are national, so the court-restricting filter backend must not touch it.
    tier = filters.NumberFilter(field_name="tier")

    class Meta:
        model = FundsAlert
        fields = ["kind"]


@extend_schema_view(
    list=extend_schema(summary="Idle-money (款项沉淀) and payout-step alerts; `open=true`"),
    retrieve=extend_schema(summary="One alert"),
)
@extend_schema(tags=TAGS)
class FundsAlertViewSet(EnforcementViewSet):
    """Idle-money tiers reached and payout steps past their time limit (黄灯)."""

    queryset = FundsAlert.objects.select_related("account")
    serializer_class = s.FundsAlertSerializer
    filterset_class = AlertFilterSet

    @extend_schema(
        summary="Run the idle-money scan now (finance or a chief)",
        request=None,
        responses={200: s.ScanResultSerializer, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], required_perms=[VIEW])
    def scan(self, request):
        result = services.scan_idle_money_now(user=request.user)
        return Response(s.ScanResultSerializer(asdict(result)).data)


@extend_schema_view(
    list=extend_schema(summary="Idle-money tiers (edited in the admin)"),
    retrieve=extend_schema(summary="One tier"),
)
@extend_schema(tags=TAGS)
class IdleTierViewSet(viewsets.ReadOnlyModelViewSet):
    """Tiers are one national setting, not a court's records: nothing to restrict."""

    queryset = IdleTier.objects.all()
    serializer_class = s.IdleTierSerializer
    permission_classes = [ModelPermissions]
    filter_backends: list = []


# --- Bank statements ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Bank statements checked against the deposits on record"),
    retrieve=extend_schema(summary="One statement import with its mismatches"),
)
@extend_schema(tags=TAGS)
class StatementImportViewSet(EnforcementViewSet):
    """Daily bank statements (对账) checked against the deposits on record."""

    queryset = StatementImport.objects.select_related("channel")
    serializer_class = s.StatementImportSerializer
    filterset_fields = ["channel"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import a day's bank statement (CSV, multipart): post what is missing",
        request={"multipart/form-data": s.StatementImportSerializer},
        responses={201: s.StatementImportSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(s.StatementImportSerializer)
        imported = services.import_statement(
            channel=data["channel"],
            text=services.decode_statement(data["file"]),
            file_name=data["file"].name or "statement.csv",
            user=request.user,
        )
        return self.respond(imported, code=status.HTTP_201_CREATED)


# --- Ledger transfers ---------------------------------------------------------------------------


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The court day ``day`` (Asia/Shanghai) as a half-open span of instants."""
    if not s.FIRST_DAY <= day < dt.date.max:
        raise DjangoValidationError({"day": _("Give a day from 1900-01-01 on.")})
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)
    return start, start + dt.timedelta(days=1)


class TransferFilterSet(filters.FilterSet):
    day = filters.DateFilter(
        method="filter_day", label=gettext_lazy("Booked on this day (Asia/Shanghai)")
    )
    case = filters.ModelChoiceFilter(
        queryset=EnforcementCase.objects.all(),
        field_name="postings__account__case",  # for the schema; the method filters
        method="filter_case",
        label=gettext_lazy("With a posting on an account of this case"),
    )

    class Meta:
        model = Transfer
        fields = ["code", "day", "case"]

    def filter_day(self, queryset, name, value):
        start, end = day_bounds(value)
        return queryset.filter(created_at__gte=start, created_at__lt=end)

    def filter_case(self, queryset, name, value):
        return queryset.filter(
            pk__in=Posting.objects.filter(account__case=value).values("transfer")
        )


def _transfers():
    """Transfers with what their serializer reads: postings and accounts, the reversal."""
    return Transfer.objects.select_related("reversal").prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("account").order_by("pk"))
    )


def _reversal_conflict(exc: DjangoValidationError) -> services.Conflict | None:
    """The ledger's "already reversed" as a 409, as a refunded fee is."""
    codes = [error.code for error in exc.error_list] if not hasattr(exc, "error_dict") else []
    if "reversed" in codes:
        return services.Conflict(exc.messages[0], "reversed")
    return None


@extend_schema_view(
    list=extend_schema(summary="Ledger transfers (记账凭证) with their postings"),
    retrieve=extend_schema(summary="One transfer with its postings"),
)
@extend_schema(tags=TAGS)
class TransferViewSet(EnforcementViewSet):
    """Ledger transfers: each moves money between accounts in postings that sum to zero
    (+ debit, − credit); a booking error is corrected by a reversing transfer (冲正)."""

    queryset = _transfers()
    serializer_class = s.TransferSerializer
    filterset_class = TransferFilterSet

    @extend_schema(
        summary="Finance corrects a fee payment or relief allocation booked in error (冲正)",
        description="Answers 201 with the reversing transfer; 409 (`reversed`) when the "
        "transfer was reversed before, 409 (`refunded`) when its fee has a refund on its way.",
        request=s.ReasonSerializer,
        responses={
            201: OpenApiResponse(s.TransferSerializer, description="The reversing transfer."),
            **WRITE_ERRORS,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], required_perms=["casefunds.add_transfer"])
    def reverse(self, request, pk=None):
        transfer = self.get_object()
        reason = self.validated(s.ReasonSerializer)["reason"]
        try:
            reversal = services.reverse_transfer(
                transfer=transfer, reason=reason, user=request.user
            )
        except DjangoValidationError as exc:
            raise _reversal_conflict(exc) or exc from None
        return self.respond(reversal, code=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ReliefViewSet(EnforcementViewSet):
    """Judicial relief money (司法救助金) granted to the court, booked by finance."""

    queryset = _transfers()
    serializer_class = s.TransferSerializer
    filter_backends: list = []
    http_method_names = ["post"]  # a door for writing only: transfers/ lists the bookings

    @extend_schema(
        summary="Book judicial relief money received into the court's relief account",
        request=s.ReliefSerializer,
        responses={201: s.TransferSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        if request.user.court_id is None:
            raise exceptions.PermissionDenied(_("Only a court's own staff book its relief money."))
        transfer = services.allocate_relief(
            court=request.user.court, user=request.user, **self.validated(s.ReliefSerializer)
        )
        return self.respond(transfer, code=status.HTTP_201_CREATED)


# --- Reports ------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class FundsReportViewSet(viewsets.GenericViewSet):
    """Read-only reports with the figures of the funds pages (anyone who sees deposits)."""

    queryset = Deposit.objects.none()  # for ModelPermissions: GET needs view_deposit
    permission_classes = [ModelPermissions]
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="The idle-money board: accounts and money per tier, and by age",
        responses={200: s.IdleBoardSerializer, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"])
    def idle(self, request):
        board = selectors.idle_board(request.user)
        return Response(s.IdleBoardSerializer(board).data)

    @extend_schema(
        summary="The daily journal (日记账): a day's transfers, money in and out of the bank",
        parameters=[s.JournalQuerySerializer],
        responses={200: s.JournalSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"])
    def journal(self, request):
        query = s.JournalQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("day") or timezone.localdate()
        journal = selectors.daily_journal(request.user, day)
        prefetch_related_objects(journal.transfers, "reversal")
        return Response(s.JournalSerializer(journal).data)

    @extend_schema(
        summary="From arrival to payout: days money waited (paid payouts of the last year)",
        responses={200: s.TimingSerializer, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"])
    def timing(self, request):
        since = timezone.now() - dt.timedelta(days=TIMING_DAYS)
        result = selectors.arrival_to_payout(request.user, since=since)
        buckets = [{"key": k, "label": label, "count": n} for k, label, n in result.buckets]
        data = {**asdict(result), "since": since, "buckets": buckets}
        return Response(s.TimingSerializer(data).data)


TIMING_DAYS = 365  # as the timing page
