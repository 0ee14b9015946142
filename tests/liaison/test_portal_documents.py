"""Serving documents on parties (staff page, API, admin) and the portal demo data."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from courtexec.models import Delivery
from courtexec.roles import Role
from enforcement.liaison import demo_portal
from enforcement.liaison.models import LoginCode, PortalAccount, ServedDocument
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% served\n%%EOF\n"


def pdf(name: str = "notice.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def page(case) -> str:
    return reverse("liaison:case-documents", args=[case.pk])


def form(party, file, **extra) -> dict:
    return {"party": party.pk, "kind": "execution_notice", "title": "执行通知书", "file": file,
            **extra}  # fmt: skip


def test_judge_serves_a_document_and_sees_when_it_is_opened(
    case, judge, respondent, respondent_client
):
    respondent.phone = "13900000002"
    client = client_for(judge)
    assert client.get(page(case)).status_code == 200
    response = client.post(page(case), form(respondent, pdf()))
    assert response.status_code == 302
    document = ServedDocument.objects.get()
    assert (document.party, document.issued_by, document.case) == (respondent, judge, case)
    text = Delivery.objects.get(kind="liaison.document_served")
    assert text.address == "13900000002" and case.number in text.text
    html = client.get(page(case)).content.decode()
    assert "Not yet" in html
    respondent_client.get(reverse("liaison:portal-document", args=[document.pk]))
    html = client.get(page(case)).content.decode()
    assert "Not yet" not in html
    staff_copy = client.get(reverse("liaison:document-file", args=[document.pk]))
    assert staff_copy.status_code == 200


def test_an_image_is_accepted(case, judge, applicant):
    assert client_for(judge).post(page(case), form(applicant, png())).status_code == 302


def test_a_file_is_stored_and_served_as_what_it_is_not_as_it_is_named(
    case, judge, applicant, applicant_client
):
    client_for(judge).post(page(case), form(applicant, pdf(name="photo.png")))
    document = ServedDocument.objects.get()
    assert document.file.name.endswith(".pdf")
    served = applicant_client.get(reverse("liaison:portal-document", args=[document.pk]))
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("a.pdf", b"MZ\x90\x00not a pdf"), "Upload a PDF or an image."),
        (lambda: SimpleUploadedFile("a.txt", b"plain text"), "Upload a PDF or an image."),
        (lambda: pdf(content=PDF + b"x" * 2048), "at most 0 MB"),
    ],
)
def test_wrong_or_large_files_are_refused(case, judge, applicant, settings, upload, message):
    settings.LIAISON_ATTACHMENT_MAX_BYTES = 1024
    response = client_for(judge).post(page(case), form(applicant, upload()))
    assert response.status_code == 400 and message in response.content.decode()
    assert not ServedDocument.objects.exists()


def test_only_parties_of_the_case_may_be_addressed(case, other_case, judge):
    stranger = other_case.parties.get(role="applicant").party
    response = client_for(judge).post(page(case), form(stranger, pdf()))
    assert response.status_code == 400 and not ServedDocument.objects.exists()


def test_who_may_serve(case, staff, court_b, applicant):
    assert client_for(staff[Role.FINANCE]).get(page(case)).status_code == 403
    president = client_for(staff[Role.PRESIDENT])
    assert president.get(page(case)).status_code == 200  # reads, may not serve
    assert president.post(page(case), form(applicant, pdf())).status_code == 403
    other_judge = UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE])
    assert client_for(other_judge).get(page(case)).status_code == 404


def test_api_serves_and_lists_documents(case, other_case, judge, applicant, court_b):
    client = client_for(judge)
    response = client.post(
        "/api/v1/liaison/documents/",
        {"case": case.pk, "party": applicant.pk, "kind": "ruling", "title": "裁定书",
         "file": pdf()},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["party_name"] == applicant.name
    bad = client.post(
        "/api/v1/liaison/documents/",
        {"case": case.pk, "party": applicant.pk, "kind": "ruling", "title": "x",
         "file": SimpleUploadedFile("x.pdf", b"nope")},
    )  # fmt: skip
    assert bad.status_code == 400 and "file" in bad.json()["fields"]
    listed = client.get("/api/v1/liaison/documents/", {"case": case.pk}).json()
    assert [row["title"] for row in listed["results"]] == ["裁定书"]
    outsider = client_for(UserFactory(username="b_judge", court=court_b, roles=[Role.JUDGE]))
    assert outsider.get("/api/v1/liaison/documents/").json()["results"] == []
    refused = outsider.post(
        "/api/v1/liaison/documents/",
        {"case": case.pk, "party": applicant.pk, "kind": "ruling", "title": "x", "file": pdf()},
    )
    assert refused.status_code == 400 and "case" in refused.json()["fields"]


def test_admin_pages(case, judge, applicant, applicant_account, staff):
    client_for(judge).post(page(case), form(applicant, pdf()))
    LoginCode.objects.create(
        phone="13900000001", code_hash="f" * 64, expires_at="2030-01-01T00:00Z"
    )
    admin = client_for(UserFactory(username="root", court=None, is_superuser=True, is_staff=True))
    for model in ("portalaccount", "logincode", "serveddocument"):
        listing = admin.get(f"/admin/liaison/{model}/")
        assert listing.status_code == 200, model
        assert admin.get(f"/admin/liaison/{model}/add/").status_code == 403
    code = LoginCode.objects.get()
    detail = admin.get(f"/admin/liaison/logincode/{code.pk}/change/").content.decode()
    assert "f" * 64 not in detail
    document = ServedDocument.objects.get()
    detail = admin.get(f"/admin/liaison/serveddocument/{document.pk}/change/").content.decode()
    assert reverse("liaison:document-file", args=[document.pk]) in detail
    assert "/media/" not in detail
    # A court's administrator sees its own parties' accounts, and no codes.
    sysadmin = staff[Role.SYSADMIN]
    sysadmin.is_staff = True
    sysadmin.save()
    court_admin = client_for(sysadmin)
    assert "139****0001" in court_admin.get("/admin/liaison/portalaccount/").content.decode()


def test_demo_accounts_and_documents(case, other_case, staff, court_a):
    created = demo_portal.load(court_a, staff)
    assert created >= 2
    accounts = PortalAccount.objects.all()
    assert accounts.count() == created
    documents = ServedDocument.objects.all()
    assert documents.count() == created
    assert all(d.file.open("rb").read(5) == b"%PDF-" for d in documents)
    assert demo_portal.load(court_a, staff) == 0  # idempotent
