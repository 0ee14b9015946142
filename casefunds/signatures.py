"""Checking who sent a payment notice.

Bank notices carry ``X-Signature``: the hex HMAC-SHA256 of the raw request body under the
channel's shared secret. Alipay's asynchronous notifications are signed RSA2 (SHA256withRSA)
over the sorted ``key=value`` pairs without ``sign`` and ``sign_type``, verified with Alipay's
public key configured on the channel.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def bank_signature_valid(secret: str, body: bytes, signature: str) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(hmac_hex(secret, body), signature.strip().lower())


def alipay_signed_content(params: Mapping[str, str]) -> bytes:
    pairs = sorted(
        (key, value) for key, value in params.items() if key not in ("sign", "sign_type") and value
    )
    return "&".join(f"{key}={value}" for key, value in pairs).encode()


def alipay_signature_valid(public_key_pem: str, params: Mapping[str, str]) -> bool:
    if params.get("sign_type", "RSA2") != "RSA2" or not public_key_pem or not params.get("sign"):
        return False
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        signature = base64.b64decode(params["sign"], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, alipay_signed_content(params), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def alipay_sign(private_key_pem: str, params: Mapping[str, str]) -> str:
    """Sign as Alipay does (used by the sandbox payer in demo and tests)."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(alipay_signed_content(params), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()
