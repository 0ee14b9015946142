"""Custody API under ``/api/v1/vehicles/``: custodians, agreements with their rates, lots with
their occupancy, stock checks, monthly invoices, cost postings and per-impound statements.

Thin: serializers check the shape, ``vehicles.services`` decides (400 field errors, 403, 404,
409 for a month invoiced twice). A custodian's users see only their own company's records;
cost postings are the court's and not theirs.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from casefunds.api.views import CONFLICT
from enforcement.api.serializers import VisiblePrimaryKeyField
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, EnforcementViewSet, user_court
from vehicles import selectors, services
from vehicles.models import (
    Custodian,
    CustodyAgreement,
    CustodyInvoice,
    CustodyInvoiceLine,
    FeePosting,
    Impound,
    Lot,
    StockCheck,
    StockCheckLine,
    VehicleClass,
)

MAX_FEN = 10**12  # ten billion yuan: beyond any fee, within a bigint
ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
TAGS = ["vehicles"]


def _visible(model, visible):
    return lambda **kwargs: VisiblePrimaryKeyField(
        queryset=model.objects.all(), visible=visible, **kwargs
    )


custodian_field = _visible(Custodian, selectors.visible_custodians)
lot_field = _visible(Lot, lambda user: selectors.visible_lots(user))
impound_field = _visible(Impound, selectors.visible_impounds)


# --- serializers ---------------------------------------------------------------------------


class CustodianSerializer(serializers.ModelSerializer):
    class Meta:
        model = Custodian
        fields = ["id", "court", "name", "credit_code", "contact", "phone", "address", "active"]
        read_only_fields = ["id", "court"]
        extra_kwargs = {"credit_code": {"validators": []}}


class AgreementRatesSerializer(serializers.Serializer):
    """The daily fee (fen) of each vehicle class; all four are required."""

    small = serializers.IntegerField(min_value=0, max_value=MAX_FEN)
    large = serializers.IntegerField(min_value=0, max_value=MAX_FEN)
    motorcycle = serializers.IntegerField(min_value=0, max_value=MAX_FEN)
    special = serializers.IntegerField(min_value=0, max_value=MAX_FEN)


class AgreementSerializer(serializers.ModelSerializer):
    rates = serializers.SerializerMethodField()

    class Meta:
        model = CustodyAgreement
        fields = ["id", "custodian", "number", "valid_from", "valid_until", "towing_fee",
                  "signed_on", "rates"]  # fmt: skip
        read_only_fields = fields

    def get_rates(self, agreement) -> dict[str, int]:
        return {rate.vehicle_class: rate.daily_fee for rate in agreement.rates.all()}


class AgreementInput(serializers.Serializer):
    custodian = custodian_field()
    number = serializers.CharField(max_length=60)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    towing_fee = serializers.IntegerField(min_value=0, max_value=MAX_FEN, help_text=_("Fen."))
    signed_on = serializers.DateField(required=False, allow_null=True)
    rates = AgreementRatesSerializer()


class LotSerializer(serializers.ModelSerializer):
    occupancy = serializers.IntegerField(read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "custodian", "name", "address", "capacity", "occupancy", "active"]
        read_only_fields = fields


class LotInput(serializers.Serializer):
    custodian = custodian_field()
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=300)
    capacity = serializers.IntegerField(min_value=1, max_value=100000)
    active = serializers.BooleanField(default=True)


class StockCheckLineSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="impound.vehicle.plate", read_only=True)

    class Meta:
        model = StockCheckLine
        fields = ["impound", "plate", "present", "note"]
        read_only_fields = fields


class StockCheckSerializer(serializers.ModelSerializer):
    lines = StockCheckLineSerializer(many=True, read_only=True)
    discrepancies = serializers.IntegerField(read_only=True)

    class Meta:
        model = StockCheck
        fields = ["id", "lot", "checked_at", "checked_by", "expected", "counted",
                  "unexpected_plates", "notes", "discrepancies", "lines"]  # fmt: skip
        read_only_fields = fields


class StockCheckFoundInput(serializers.Serializer):
    impound = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    present = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StockCheckInput(serializers.Serializer):
    lot = lot_field()
    checked_at = serializers.DateTimeField()
    found = StockCheckFoundInput(many=True, required=False, default=list)
    unexpected_plates = serializers.ListField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        required=False,
        default=list,
        max_length=500,
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class CustodyInvoiceLineSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="impound.vehicle.plate", read_only=True)

    class Meta:
        model = CustodyInvoiceLine
        fields = ["impound", "plate", "days", "towing", "custody", "total"]
        read_only_fields = fields


class CustodyInvoiceSerializer(serializers.ModelSerializer):
    lines = CustodyInvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = CustodyInvoice
        fields = ["id", "custodian", "month", "total", "issued_by", "issued_at", "lines"]
        read_only_fields = fields


class CustodyInvoiceInput(serializers.Serializer):
    custodian = custodian_field()
    month = serializers.DateField(help_text=_("Any day of the month to invoice (a past month)."))


class FeePostingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeePosting
        fields = ["id", "impound", "case", "covers_from", "through", "amount", "posted_by",
                  "posted_at"]  # fmt: skip
        read_only_fields = fields


class FeePostingInput(serializers.Serializer):
    impound = impound_field()
    through = serializers.DateField()


class CustodyStatementLineSerializer(serializers.Serializer):
    agreement_id = serializers.IntegerField(allow_null=True)
    number = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    days = serializers.IntegerField()
    rate = serializers.IntegerField()
    amount = serializers.IntegerField()


class CustodyStatementSerializer(serializers.Serializer):
    impound = serializers.IntegerField()
    vehicle_class = serializers.ChoiceField(choices=VehicleClass.choices)
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)
    days = serializers.IntegerField()
    lines = CustodyStatementLineSerializer(many=True)
    towing = serializers.IntegerField()
    towing_agreement = serializers.CharField()
    custody = serializers.IntegerField()
    total = serializers.IntegerField()
    unpriced_days = serializers.ListField(child=serializers.DateField())
    postings = FeePostingSerializer(many=True)


# --- views ---------------------------------------------------------------------------------


class CustodyViewSet(EnforcementViewSet):
    """Lists and reads through the slice's visibility selector (``visible``), which narrows a
    custodian's user to their own company; creates call a service (``create``)."""

    visible = None  # selector: user -> queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return type(self).visible(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Custodians (a custodian's user sees their own company)"),
    retrieve=extend_schema(summary="One custodian"),
)
@extend_schema(tags=TAGS)
class CustodianViewSet(CustodyViewSet):
    queryset = Custodian.objects.all()
    serializer_class = CustodianSerializer
    filterset_fields = ["active"]

    @staticmethod
    def visible(user):
        return selectors.visible_custodians(user).order_by("name")

    @extend_schema(
        summary="Register a custodian (credit code checked)",
        request=CustodianSerializer,
        responses={201: CustodianSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(CustodianSerializer)
        custodian = services.save_custodian(
            user=request.user, court=user_court(request.user), **data
        )
        return self.respond(custodian, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Custody agreements with their daily rates"),
    retrieve=extend_schema(summary="One agreement"),
)
@extend_schema(tags=TAGS)
class AgreementViewSet(CustodyViewSet):
    queryset = CustodyAgreement.objects.all()
    serializer_class = AgreementSerializer
    filterset_fields = ["custodian"]

    @staticmethod
    def visible(user):
        return selectors.visible_agreements(user)

    @extend_schema(
        summary="Add an agreement: towing fee and a daily fee for every vehicle class; "
        "periods of one custodian never overlap",
        request=AgreementInput,
        responses={201: AgreementSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.validated(AgreementInput)
        agreement = services.save_agreement(user=request.user, **data)
        return self.respond(agreement, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Lots with their occupancy (vehicles in custody now)"),
    retrieve=extend_schema(summary="One lot"),
)
@extend_schema(tags=TAGS)
class LotViewSet(CustodyViewSet):
    queryset = Lot.objects.all()
    serializer_class = LotSerializer
    filterset_fields = ["custodian", "active"]

    @staticmethod
    def visible(user):
        return selectors.visible_lots(user).order_by("custodian__name", "name")

    @extend_schema(summary="Add a lot", request=LotInput, responses={201: LotSerializer, **ERRORS})
    def create(self, request):
        lot = services.save_lot(user=request.user, **self.validated(LotInput))
        return self.respond(lot, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Stock checks of the lots you see, newest first"),
    retrieve=extend_schema(summary="One stock check with its lines"),
)
@extend_schema(tags=TAGS)
class StockCheckViewSet(CustodyViewSet):
    queryset = StockCheck.objects.all()
    serializer_class = StockCheckSerializer
    filterset_fields = ["lot"]

    @staticmethod
    def visible(user):
        return selectors.visible_stock_checks(user).prefetch_related("lines__impound__vehicle")

    @extend_schema(
        summary="Record a count of a lot: expected vehicles found or not, plates not expected",
        request=StockCheckInput,
        responses={201: StockCheckSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.validated(StockCheckInput)
        check = services.record_stock_check(
            lot=data["lot"],
            checked_at=data["checked_at"],
            found={
                row["impound"]: services.Found(row["present"], row.get("note", ""))
                for row in data["found"]
            },
            unexpected_plates=data["unexpected_plates"],
            notes=data["notes"],
            user=request.user,
        )
        return self.respond(check, code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Monthly custody invoices (a custodian's user sees their own)"),
    retrieve=extend_schema(summary="One invoice with a line per vehicle"),
)
@extend_schema(tags=TAGS)
class InvoiceViewSet(CustodyViewSet):
    queryset = CustodyInvoice.objects.all()
    serializer_class = CustodyInvoiceSerializer
    filterset_fields = ["custodian", "month"]

    @staticmethod
    def visible(user):
        return selectors.visible_invoices(user).prefetch_related("lines__impound__vehicle")

    @extend_schema(
        summary="Issue a custodian's invoice for a past month (once: a second is a 409)",
        request=CustodyInvoiceInput,
        responses={201: CustodyInvoiceSerializer, **ERRORS, 409: CONFLICT},
    )
    def create(self, request):
        data = self.validated(CustodyInvoiceInput)
        invoice = services.issue_invoice(
            custodian=data["custodian"], month=data["month"], user=request.user
        )
        return self.respond(invoice, code=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Custody fees posted as costs on cases"))
@extend_schema(tags=TAGS)
class FeePostingViewSet(CustodyViewSet):
    queryset = FeePosting.objects.all()
    serializer_class = FeePostingSerializer
    filterset_fields = ["impound", "case"]

    @staticmethod
    def visible(user):
        return selectors.visible_postings(user)

    @extend_schema(
        summary="Post the custody fees up to a day as a cost of the case (same day again: "
        "the first posting)",
        request=FeePostingInput,
        responses={201: FeePostingSerializer, **ERRORS},
    )
    def create(self, request):
        data = self.validated(FeePostingInput)
        posting = services.post_fees_to_case(
            impound=data["impound"], through=data["through"], user=request.user
        )
        return self.respond(posting, code=status.HTTP_201_CREATED)


@extend_schema(
    tags=TAGS,
    summary="The fee statement of an impound: lines per agreement period, towing, unpriced "
    "days, and the costs posted on the case",
    responses={200: CustodyStatementSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
)
class StatementView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, impound_id: int):
        if not request.user.has_perm("vehicles.view_impound"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        impound = get_object_or_404(selectors.visible_impounds(request.user), pk=impound_id)
        statement = selectors.impound_statement(impound)
        payload = {
            "impound": impound.pk,
            "vehicle_class": impound.vehicle.vehicle_class,
            "first_day": statement.first_day,
            "last_day": statement.last_day,
            "days": statement.days,
            "lines": [line.__dict__ for line in statement.lines],
            "towing": statement.towing,
            "towing_agreement": statement.towing_agreement,
            "custody": statement.custody,
            "total": statement.total,
            "unpriced_days": statement.unpriced_days,
            "postings": selectors.visible_postings(request.user).filter(impound=impound),
        }
        return Response(CustodyStatementSerializer(payload).data)
