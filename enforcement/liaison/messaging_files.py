"""Attachments of case messages: what a file really is (by its first bytes, never its name) and
how a checked view hands it out."""

from __future__ import annotations

from django.http import FileResponse, Http404

from enforcement.liaison.models import MessageAttachment

# Magic numbers of the types a party may send (``settings.LIAISON_ATTACHMENT_TYPES``), with the
# extension the stored file gets: the name a phone gave it decides nothing.
SIGNATURES: list[tuple[str, bytes, int, str]] = [
    # (content type, magic bytes, offset, extension)
    ("image/jpeg", b"\xff\xd8\xff", 0, ".jpg"),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0, ".png"),
    ("application/pdf", b"%PDF-", 0, ".pdf"),
    ("image/webp", b"WEBP", 8, ".webp"),  # after "RIFF" and the length
]
EXTENSIONS = {content_type: extension for content_type, _m, _o, extension in SIGNATURES}
HEAD_BYTES = 16


def sniff(head: bytes) -> str | None:
    """The content type the file's first bytes show, or ``None`` for anything else."""
    for content_type, magic, offset, _extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type
    return None


def read_head(upload) -> bytes:
    """The first bytes of an upload, leaving it positioned at the start."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def attachment_response(attachment: MessageAttachment) -> FileResponse:
    """The file itself, as the type it was checked to be; callers have checked who asks."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=attachment.content_type, filename=attachment.original_name
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
