"""Helpers of the messaging tests: a moment in court time, uploads, each side writing."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from courtexec.office_hours import LOCAL
from enforcement.liaison import services
from enforcement.liaison.models import Thread
from tests.vehicles.lifecycle_fixtures import png_bytes

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Tuesday 10 March 2026, a working day.
TUESDAY = dt.date(2026, 3, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def party_writes(account, case, when: dt.datetime, text: str = "请问案款何时发放？", **kwargs):
    with time_machine.travel(when, tick=False):
        return services.post_party_message(account=account, case=case, text=text, **kwargs)


def staff_writes(thread: Thread, user, when: dt.datetime, text: str = "已收到，正在办理。"):
    with time_machine.travel(when, tick=False):
        return services.post_staff_message(thread=thread, user=user, text=text)
