"""WeChat's server-protocol cryptography, written from the public protocol description.

Signatures are SHA-1 over the lexicographically sorted concatenation of their parts: the token,
timestamp and nonce for the callback URL (``signature``), plus the ciphertext in safe mode
(``msg_signature``). Safe mode (安全模式) is AES-256-CBC with the key
``base64decode(EncodingAESKey + "=")`` and IV ``key[:16]``, PKCS#7 padded to 32-byte blocks, over
``16 random bytes + 4-byte big-endian length + XML + AppID``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class ProtocolError(Exception):
    """A request that does not follow the protocol: the callback answers 4xx."""


def signature(*parts: str) -> str:
    # SHA-1 is the protocol's choice, not ours.
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324


def signature_matches(expected: str, *parts: str) -> bool:
    return hmac.compare_digest(signature(*parts), (expected or "").lower())


class SafeMode:
    """Encrypts and decrypts one official account's messages (its AES key and AppID)."""

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey is not base64") from exc
        if len(self.key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters (32 bytes)")
        self.app_id = app_id

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, xml: str, *, random_prefix: bytes | None = None) -> str:
        body = xml.encode()
        plain = (
            (random_prefix or os.urandom(16))
            + struct.pack(">I", len(body))
            + body
            + self.app_id.encode()
        )
        pad = BLOCK - len(plain) % BLOCK
        encryptor = self._cipher().encryptor()
        return base64.b64encode(
            encryptor.update(plain + bytes([pad]) * pad) + encryptor.finalize()
        ).decode()

    def decrypt(self, encrypted: str) -> str:
        """The XML inside ``encrypted``; any flaw (base64, block size, padding, length, AppID)
        is a :class:`ProtocolError`, never a crash."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProtocolError("Encrypt is not base64") from exc
        if not data or len(data) % 16:
            raise ProtocolError("ciphertext is not whole AES blocks")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise ProtocolError("bad padding")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise ProtocolError("message too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, app_id = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length:
            raise ProtocolError("bad length")
        if not hmac.compare_digest(app_id, self.app_id.encode()):
            raise ProtocolError("message is for another AppID")
        try:
            return body.decode()
        except UnicodeDecodeError as exc:
            raise ProtocolError("message is not UTF-8") from exc
