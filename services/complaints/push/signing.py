"""The push signature (CONTRACTS.md §2): `X-Jiuzhu-Signature: sha256=<hex HMAC-SHA256 of the body>`, keyed with
the platform's client secret, so the platform knows the result came from us and was not altered."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Jiuzhu-Signature"
# The same id on every attempt of one result: a platform that got it once can drop a repeat.
DELIVERY_HEADER = "X-Jiuzhu-Delivery"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a platform does with the header; used by the tests' platform and shown in the partner guide."""
    return hmac.compare_digest(signature(secret, body), header)
