"""Demo data of the party portal: accounts for a few parties whose mobile numbers are on file,
and documents served on them. Idempotent; prints nothing (the demo command reports)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.base import ContentFile

from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.liaison import services
from enforcement.liaison.models import PortalAccount, ServedDocument
from enforcement.liaison.validators_portal import is_mobile
from enforcement.models import CaseParty, EnforcementCase

PARTIES_PER_ROLE = 2


def _pdf(title: str) -> bytes:
    """A one-page PDF naming the document (enough for a download to open)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _links(court: Court) -> list[CaseParty]:
    """The first applicants and respondents of the court's open cases with a mobile number."""
    chosen: list[CaseParty] = []
    for role in (CaseParty.Role.APPLICANT, CaseParty.Role.RESPONDENT):
        candidates = (
            CaseParty.objects.filter(case__court=court, role=role, party__phone__startswith="1")
            .exclude(case__status=EnforcementCase.Status.CONCLUDED)
            .select_related("party", "case__judge", "case__court")
            .order_by("case__filed_on", "pk")[:50]
        )
        picked = [link for link in candidates if is_mobile(link.party.phone)]
        chosen.extend(picked[:PARTIES_PER_ROLE])
    return chosen


def load(court: Court, staff: Mapping[Role, User]) -> int:
    """Portal accounts (with an execution notice served on each) for two applicants and two
    respondents of ``court``; returns how many accounts were created now (0 when loaded)."""
    links = _links(court)
    if not links or PortalAccount.objects.filter(phone=links[0].party.phone).exists():
        return 0
    created = 0
    for link in links:
        account = services.open_portal_account(phone=link.party.phone)
        created += 1
        case = link.case
        kind, title = (
            (ServedDocument.Kind.EXECUTION_NOTICE, f"执行通知书（{case.number}）")
            if link.role == CaseParty.Role.RESPONDENT
            else (ServedDocument.Kind.OTHER, f"受理执行案件通知书（{case.number}）")
        )
        services.serve_document(
            user=case.judge or staff[Role.JUDGE],
            case=case,
            party=link.party,
            kind=kind,
            title=title,
            file=ContentFile(_pdf(f"{case.number} {account.pk}"), name="notice.pdf"),
        )
    return created
