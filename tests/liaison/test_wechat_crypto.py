"""The protocol's cryptography against wechatpy, an independent implementation of it."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.crypto import PrpCrypto
from wechatpy.utils import check_signature

from enforcement.liaison.wechat.crypto import ProtocolError, SafeMode, signature, signature_matches
from enforcement.liaison.wechat.messages import Inbound, cdata, parse, text_reply

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx0000000000sandbox"
XML = "<xml><Content><![CDATA[法官您好]]></Content></xml>"


def test_signature_is_what_wechatpy_checks():
    ours = signature("token", "1700000000", "nonce")
    check_signature("token", ours, "1700000000", "nonce")  # raises if it differs
    assert signature_matches(ours.upper(), "token", "1700000000", "nonce")
    assert not signature_matches(ours, "token", "1700000001", "nonce")
    assert not signature_matches("", "token", "1700000000", "nonce")


def test_our_ciphertext_decrypts_in_wechatpy_and_back():
    ours = SafeMode(AES_KEY, APP_ID)
    peer = PrpCrypto(ours.key)
    assert peer.decrypt(ours.encrypt(XML), APP_ID) == XML
    assert ours.decrypt(peer.encrypt(XML, APP_ID).decode()) == XML


def test_padding_fills_32_byte_blocks():
    ours = SafeMode(AES_KEY, APP_ID)
    for size in (0, 1, 11, 12, 13, 44, 45):  # around a block edge (20 + len(APP_ID) = 39)
        ciphertext = base64.b64decode(ours.encrypt("x" * size))
        assert len(ciphertext) % 32 == 0
        assert ours.decrypt(base64.b64encode(ciphertext).decode()) == "x" * size


def test_a_message_for_another_app_id_is_refused():
    ours = SafeMode(AES_KEY, APP_ID)
    foreign = PrpCrypto(ours.key).encrypt(XML, "wx_someone_else").decode()
    with pytest.raises(ProtocolError, match="AppID"):
        ours.decrypt(foreign)


def _raw_encrypt(key: bytes, plain: bytes) -> str:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


@pytest.mark.parametrize("last_byte", [0, 33, 200])
def test_bad_padding_is_refused(last_byte):
    ours = SafeMode(AES_KEY, APP_ID)
    plain = os.urandom(16) + len(XML).to_bytes(4, "big") + XML.encode() + APP_ID.encode()
    plain += b"\x00" * (-len(plain) % 32)
    plain = plain[:-1] + bytes([last_byte])
    with pytest.raises(ProtocolError, match="padding"):
        ours.decrypt(_raw_encrypt(ours.key, plain))


def test_inconsistent_padding_and_lengths_are_refused():
    ours = SafeMode(AES_KEY, APP_ID)
    uneven = bytes([1]) + bytes([3]) * 2  # claims 3 bytes of padding, one of them differs
    plain = os.urandom(16) + (10**6).to_bytes(4, "big") + b"x" * 9
    with pytest.raises(ProtocolError, match="padding"):
        ours.decrypt(_raw_encrypt(ours.key, plain + uneven))
    too_long = os.urandom(16) + (10**6).to_bytes(4, "big") + b"x" * 8 + bytes([4]) * 4
    with pytest.raises(ProtocolError, match="length"):
        ours.decrypt(_raw_encrypt(ours.key, too_long))


@pytest.mark.parametrize("encrypted", ["not base64!", "", base64.b64encode(b"short").decode()])
def test_garbage_ciphertext_is_refused(encrypted):
    with pytest.raises(ProtocolError):
        SafeMode(AES_KEY, APP_ID).decrypt(encrypted)


def test_a_wrong_key_length_is_a_configuration_error():
    with pytest.raises(ValueError):
        SafeMode("tooshort", APP_ID)


@pytest.mark.parametrize(
    "xml",
    [
        "<xml><a>unclosed</xml>",
        "<notxml/>",
        '<!DOCTYPE x [<!ENTITY e "boom">]><xml><a>&e;</a></xml>',
        "",
    ],
)
def test_malformed_or_dangerous_xml_is_a_protocol_error(xml):
    with pytest.raises(ProtocolError):
        parse(xml)


def test_a_reply_survives_cdata_terminators():
    inbound = Inbound.from_fields(
        {"ToUserName": "gh_x", "FromUserName": "o_party", "MsgType": "text"}
    )
    fields = parse(text_reply(inbound, "a ]]> b"))
    assert fields["Content"] == "a ]]> b"
    assert fields["ToUserName"] == "o_party" and fields["FromUserName"] == "gh_x"
    assert parse(f"<xml><A>{cdata('x]]>y]]>')}</A></xml>")["A"] == "x]]>y]]>"
