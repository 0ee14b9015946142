"""WeChat's XML messages in and out: parsed with defusedxml (no entities, no external
references), written with CDATA sections as the protocol's examples are."""

from __future__ import annotations

import time
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from enforcement.liaison.wechat.crypto import ProtocolError

MAX_BODY_BYTES = 64 * 1024  # a text message is at most 2,048 characters


def parse(xml: str | bytes) -> dict[str, str]:
    """The child elements of ``<xml>`` as a flat dict; anything else is a ProtocolError."""
    if len(xml) > MAX_BODY_BYTES:
        raise ProtocolError("message too large")
    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ProtocolError("malformed XML") from exc
    if root.tag != "xml":
        raise ProtocolError("root element is not <xml>")
    return {child.tag: (child.text or "").strip() for child in root}


@dataclass(frozen=True)
class Inbound:
    """One message or event WeChat forwards from a follower of the account."""

    to_account: str  # ToUserName: the account's original id (gh_…)
    openid: str  # FromUserName
    create_time: str
    msg_type: str  # text, image, event, …
    msg_id: str = ""  # MsgId: absent on events
    content: str = ""
    event: str = ""  # subscribe, CLICK, VIEW, …
    event_key: str = ""

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> Inbound:
        missing = [f for f in ("ToUserName", "FromUserName", "MsgType") if not fields.get(f)]
        if missing:
            raise ProtocolError(f"missing {', '.join(missing)}")
        return cls(
            to_account=fields["ToUserName"],
            openid=fields["FromUserName"],
            create_time=fields.get("CreateTime", ""),
            msg_type=fields["MsgType"],
            msg_id=fields.get("MsgId", ""),
            content=fields.get("Content", ""),
            event=fields.get("Event", ""),
            event_key=fields.get("EventKey", ""),
        )

    @property
    def dedup_key(self) -> str:
        """WeChat retries a message with the same MsgId, an event with the same sender and
        creation time (its documented rule for events)."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.openid}:{self.create_time}:{self.event}:{self.event_key}"


def cdata(text: str) -> str:
    # "]]>" cannot appear inside a CDATA section: split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(inbound: Inbound, text: str, *, now: int | None = None) -> str:
    """A passive text reply (被动回复) to the sender of ``inbound``."""
    return (
        "<xml>"
        f"<ToUserName>{cdata(inbound.openid)}</ToUserName>"
        f"<FromUserName>{cdata(inbound.to_account)}</FromUserName>"
        f"<CreateTime>{now or int(time.time())}</CreateTime>"
        f"<MsgType>{cdata('text')}</MsgType>"
        f"<Content>{cdata(text)}</Content>"
        "</xml>"
    )


def encrypted_envelope(encrypted: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    """The safe-mode reply: the encrypted reply with its own signature."""
    return (
        "<xml>"
        f"<Encrypt>{cdata(encrypted)}</Encrypt>"
        f"<MsgSignature>{cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{timestamp}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce>"
        "</xml>"
    )
