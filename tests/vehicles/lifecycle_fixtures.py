"""Helpers of the lifecycle tests: small real images, a drawn signature, and an impound taken
through the services to any state (so the chain of custody is the one the services write)."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from courtexec.roles import Role
from vehicles import services
from vehicles.models import Impound

State = Impound.State


def png_bytes(colour: str = "red", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "front.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


SIGNATURE = "data:image/png;base64," + base64.b64encode(png_bytes("black")).decode()


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


@pytest.fixture
def approver(staff):
    return staff[Role.SECTION_CHIEF]


def seize(vehicle, case, user, **overrides) -> Impound:
    arguments = {
        "vehicle": vehicle,
        "case": case,
        "decision_number": "(2026)浙0103执100号之一",
        "seized_at": ago(hours=10),
        "place": "杭州市某小区地下车库",
        "damage": ["front_bumper", "scratches"],
        "keys_received": 1,
        "documents_received": ["driving_licence"],
        "holder_name": "张三",
        "photos": [photo()],
        "user": user,
        **overrides,
    }
    return services.seize(**arguments)


def advance(impound, action, *, user, approver=None, lot=None, custodian=None, bay="A-01"):
    """Take ``action`` with plausible facts (each step later than the one before)."""
    if action == "approve-tow":
        return services.approve_tow(impound=impound, user=approver or user, at=ago(hours=9))
    if action == "tow":
        return services.tow(
            impound=impound,
            custodian=custodian,
            towed_at=ago(hours=8),
            driver="李师傅",
            tow_to="一号停车场",
            user=user,
        )
    if action == "intake":
        return services.take_into_custody(
            impound=impound,
            lot=lot,
            bay=bay,
            intake_at=ago(hours=6),
            custodian_signatory="赵六",
            signature=SIGNATURE,
            condition=["scratches"],
            user=user,
        )
    if action == "move":
        return services.move_bay(impound=impound, lot=lot, bay="B-09", user=user)
    if action == "decide-disposal":
        return services.decide_disposal(
            impound=impound,
            disposal="release",
            reference="(2026)浙0103执100号之二",
            user=user,
            at=ago(hours=5),
        )
    hand_over = {
        "release": services.release,
        "to-auction": services.hand_to_auction,
        "deliver": services.deliver_to_buyer,
    }[action]
    hours = {"release": 4, "to-auction": 4, "deliver": 2}[action]
    return hand_over(
        impound=impound,
        at=ago(hours=hours),
        received_by_name="王五",
        signature=SIGNATURE,
        user=user,
    )


def impound_in(state, vehicle, case, judge, approver, custodian, lot, disposal="release"):
    """An impound brought to ``state`` through the services."""
    impound = seize(vehicle, case, judge)
    if state == State.SEIZED:
        return impound
    advance(impound, "approve-tow", user=judge, approver=approver)
    advance(impound, "tow", user=judge, custodian=custodian)
    if state == State.TOWED:
        return Impound.objects.get(pk=impound.pk)
    advance(impound, "intake", user=judge, lot=lot)
    if state == State.IN_CUSTODY:
        return Impound.objects.get(pk=impound.pk)
    if state == State.RELEASED:
        services.decide_disposal(
            impound=impound, disposal="release", reference="R-1", user=judge, at=ago(hours=5)
        )
        advance(impound, "release", user=judge)
        return Impound.objects.get(pk=impound.pk)
    services.decide_disposal(
        impound=impound, disposal="auction", reference="A-1", user=judge, at=ago(hours=5)
    )
    advance(impound, "to-auction", user=judge)
    if state == State.TO_AUCTION:
        return Impound.objects.get(pk=impound.pk)
    advance(impound, "deliver", user=judge)
    return Impound.objects.get(pk=impound.pk)
