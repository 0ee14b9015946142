"""Party portal API under ``/api/v1/liaison/``: sign-in by text-message code, the party's own
cases (with the money on them, documents served on it and, for a respondent, its virtual
account and payment notice), document downloads; and the staff list of served documents.

Sign-in makes a Django session (cookie), as the portal pages do: ``POST auth/code/`` sends the
code, ``POST auth/session/`` checks it and logs the party in (new session key), ``DELETE
auth/session/`` signs out. Unsafe requests of a signed-in session need the CSRF token, as DRF's
session authentication requires. Every party read goes through the party selectors: another
case or document is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casefunds.api.serializers import YuanField
from debtors.throttling import client_address
from enforcement.api.serializers import ApiErrorSerializer, case_field, party_field
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, EnforcementViewSet
from enforcement.liaison import selectors, services, views_portal
from enforcement.liaison.models import ServedDocument
from enforcement.liaison.portal import IsParty
from enforcement.liaison.selectors import portal_account

TAGS = ["liaison"]
TOO_MANY = OpenApiResponse(ApiErrorSerializer, description="Too many codes asked for this hour.")
NOT_PARTY = OpenApiResponse(ApiErrorSerializer, description="Sign in as a party first.")


# --- Sign-in ------------------------------------------------------------------------------------


class CodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, help_text=_("Mainland mobile number."))


class SessionRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.RegexField(r"^[0-9]{6}$", help_text=_("The 6-digit code."))


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SignedInSerializer(serializers.Serializer):
    phone = serializers.CharField(source="__str__", help_text=_("Masked mobile number."))
    last_sign_in_at = serializers.DateTimeField()


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CodeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="Send a sign-in code by text message",
        description="The same answer whether or not the number is on file; a code is sent only "
        "to an applicant's or respondent's number. 6 digits, valid LIAISON_CODE_SECONDS.",
        request=CodeRequestSerializer,
        responses={202: DetailSerializer, 400: INVALID, 429: TOO_MANY},
    )
    def post(self, request):
        data = _validated(CodeRequestSerializer, request)
        try:
            services.request_sign_in_code(phone=data["phone"], client_ip=client_address(request))
        except services.TooManyCodes as exc:
            raise exceptions.Throttled(detail=exc.message) from None
        return Response({"detail": str(views_portal.SENT_MESSAGE)}, status=status.HTTP_202_ACCEPTED)


class SessionStateSerializer(serializers.Serializer):
    signed_in = serializers.BooleanField()


class SessionView(APIView):
    """Session sign-in for parties. DRF checks CSRF only for signed-in users, so signing in and
    out check it here: another site must not sign a visitor into someone else's account."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="Whether a party is signed in (and the CSRF cookie to sign in with)",
        responses={200: SessionStateSerializer},
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        return Response({"signed_in": portal_account(request.user) is not None})

    @extend_schema(
        tags=TAGS,
        summary="Sign in with the code (starts a session)",
        description="Send the CSRF token (cookie `csrftoken`, from GET) in `X-CSRFToken`.",
        request=SessionRequestSerializer,
        responses={200: SignedInSerializer, 400: INVALID, 403: DetailSerializer},
    )
    def post(self, request):
        SessionAuthentication().enforce_csrf(request)
        data = _validated(SessionRequestSerializer, request)
        account = services.sign_in_with_code(phone=data["phone"], code=data["code"])
        login(request, account.user)
        return Response(SignedInSerializer(account).data)

    @extend_schema(tags=TAGS, summary="Sign out", request=None, responses={204: None})
    def delete(self, request):
        SessionAuthentication().enforce_csrf(request)
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The party's cases --------------------------------------------------------------------------


class PortalCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    number = serializers.CharField(source="case.number")
    court = serializers.CharField(source="case.court.name")
    status = serializers.CharField(source="case.status")
    status_label = serializers.CharField(source="case.get_status_display")
    filed_on = serializers.DateField(source="case.filed_on")
    due_on = serializers.DateField(source="case.due_on")
    closed_on = serializers.DateField(source="case.closed_on", allow_null=True)
    deadline = serializers.CharField(source="badge", help_text=_("overdue, due_soon or empty."))
    judge = serializers.CharField(source="case.judge.__str__")
    my_roles = serializers.ListField(source="roles", child=serializers.CharField())


class PartyPayoutSerializer(serializers.Serializer):
    amount = YuanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    at = serializers.DateTimeField()


class PartyDepositSerializer(serializers.Serializer):
    amount = YuanField()
    paid_at = serializers.DateTimeField()


class PortalFundsSerializer(serializers.Serializer):
    received = YuanField(help_text=_("Received by the court on the case."))
    paid_out = YuanField(help_text=_("Paid out on the case."))
    payouts_to_me = PartyPayoutSerializer(many=True)
    paid_in_by_me = YuanField()
    deposits_by_me = PartyDepositSerializer(many=True)


class PortalDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServedDocument
        fields = ["id", "kind", "title", "issued_at", "first_opened_at"]
        read_only_fields = fields


class PaymentNoticeSerializer(serializers.Serializer):
    bank_name = serializers.CharField()
    account_name = serializers.CharField()
    account_number = serializers.CharField()
    virtual_number = serializers.CharField()
    to_enforce = serializers.DecimalField(max_digits=16, decimal_places=2)
    received = serializers.DecimalField(max_digits=16, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)
    payload = serializers.CharField(help_text=_("The transfer details the QR code carries."))


class PortalCaseDetailSerializer(PortalCaseSerializer):
    amount_to_enforce = serializers.DecimalField(
        source="case.amount_to_enforce", max_digits=16, decimal_places=2
    )
    funds = PortalFundsSerializer()
    documents = PortalDocumentSerializer(many=True)
    payment_notice = PaymentNoticeSerializer(
        allow_null=True, help_text=_("A respondent's own payment notice; null for an applicant.")
    )


class PortalCasesView(APIView):
    permission_classes = [IsParty]

    @extend_schema(
        tags=TAGS,
        summary="My cases (signed-in party)",
        responses={200: PortalCaseSerializer(many=True), 403: NOT_PARTY},
    )
    def get(self, request):
        rows = selectors.portal_case_list(request.portal_account)
        return Response(PortalCaseSerializer(rows, many=True).data)


class PortalCaseView(APIView):
    permission_classes = [IsParty]

    @extend_schema(
        tags=TAGS,
        summary="One of my cases, with its money, my documents and (respondent) my notice",
        responses={200: PortalCaseDetailSerializer, 403: NOT_PARTY, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        view = selectors.portal_case_view(request.portal_account, pk, with_notice=True)
        return Response(PortalCaseDetailSerializer(view).data)


class PortalDocumentDownloadView(APIView):
    permission_classes = [IsParty]

    @extend_schema(
        tags=TAGS,
        summary="Download a document served on me (records when I first opened it)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            403: NOT_PARTY,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        document = selectors.party_document(request.portal_account, pk)
        services.record_document_opened(document)
        return views_portal.download(document)


# --- Staff: served documents --------------------------------------------------------------------


class ServedDocumentSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)

    class Meta:
        model = ServedDocument
        fields = ["id", "case", "party", "party_name", "kind", "title", "issued_by", "issued_at",
                  "first_opened_at"]  # fmt: skip
        read_only_fields = fields


class ServeDocumentInput(serializers.Serializer):
    case = case_field()
    party = party_field()
    kind = serializers.ChoiceField(choices=ServedDocument.Kind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text=_("A PDF or an image, at most 10 MB."))


@extend_schema_view(
    list=extend_schema(summary="Documents served on parties of the cases you see"),
    retrieve=extend_schema(summary="One served document"),
)
@extend_schema(tags=TAGS)
class ServedDocumentViewSet(EnforcementViewSet):
    queryset = ServedDocument.objects.select_related("party")
    serializer_class = ServedDocumentSerializer
    filterset_fields = ["case", "party", "kind"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Serve a document on an applicant or respondent of the case (multipart)",
        request={"multipart/form-data": ServeDocumentInput},
        responses={201: ServedDocumentSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(ServeDocumentInput)
        document = services.serve_document(user=request.user, **data)
        return self.respond(document, code=status.HTTP_201_CREATED)
