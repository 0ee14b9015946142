"""One's own shifts as an iCalendar (RFC 5545) text, written here without a library.

Times are UTC (``DTSTART:20261201T000000Z``) so no VTIMEZONE is needed; text values are
escaped (§3.3.11) and content lines folded at 75 octets (§3.1), lines end with CRLF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from standby.models import Shift
from standby.services import PLACES

PRODID = "-//CourtExec//Standby roster//ZH"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not chunks else 74  # the leading space counts
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed(user, shifts: Iterable[Shift], *, host: str) -> str:
    now = stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(_('Standby shifts of %(name)s') % {'name': user})}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for shift in shifts:
        place = next(p for p in PLACES if getattr(shift, f"{p}_id") == user.pk)
        people = "\n".join(
            f"{role.label}: {getattr(shift, p)} {getattr(shift, p).phone}".rstrip()
            for p, role in PLACES.items()
        )
        summary = _("Standby (%(role)s)") % {"role": PLACES[place].label}
        if shift.team:
            summary += f" · {shift.team.name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:standby-shift-{shift.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{stamp(shift.starts_at)}",
            f"DTEND:{stamp(shift.ends_at)}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(people + (chr(10) + shift.note if shift.note else ''))}",
            f"LOCATION:{escape(str(shift.court))}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
