"""Protection of personal data at rest (ARCHITECTURE.md decision 7, DOMAIN.md §11).

An identity number, phone or bank account is stored twice: a keyed hash (HMAC-SHA256) for equality look-ups and
matching, which reveals nothing without the key, and an AES-256-GCM ciphertext for the rare audited display.
Both keys derive from the deployment's `pii_key` with HKDF under distinct labels, so neither can stand in for the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"v1"


def _derive(secret: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jiuzhu-pii-" + label).derive(secret)


class PiiVault:
    def __init__(self, secret: str) -> None:
        raw = secret.encode()
        self._hash_key = _derive(raw, b"hash")
        self._aead = AESGCM(_derive(raw, b"encrypt"))

    def keyed_hash(self, value: str) -> str:
        """Deterministic: equal inputs give equal hashes, so it can be indexed and joined on."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()

    def keyed_digester(self) -> Callable[[bytes], bytes]:
        """The same HMAC-SHA256 as `keyed_hash`, as raw bytes, for bulk use (registry feeds of millions of rows).

        The key's inner and outer pads are hashed once; each value then costs two copies of a hash state instead
        of a whole HMAC set-up, about three times faster in a loop.
        """
        block = self._hash_key.ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        inner_copy, outer_copy = inner.copy, outer.copy

        def digest(value: bytes) -> bytes:
            i = inner_copy()
            i.update(value)
            o = outer_copy()
            o.update(i.digest())
            return o.digest()

        return digest

    def encrypt(self, value: str, *, context: str = "") -> str:
        """`context` (e.g. the table and column) is authenticated: a ciphertext moved elsewhere will not decrypt."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode(), context.encode())
        return (_VERSION + b":" + base64.urlsafe_b64encode(nonce + sealed)).decode()

    def seal_bytes(self, data: bytes, *, context: str) -> bytes:
        """`encrypt` for a large binary value (a roster's CSV chunk): nonce and ciphertext, without text armour."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, context.encode())

    def open_bytes(self, blob: bytes, *, context: str) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], context.encode())

    def opener(self, *, context: str) -> Callable[[str], str]:
        """`decrypt` under one context, for bulk use (every account of a roster): the same result, less set-up."""
        aad = context.encode()
        decrypt = self._aead.decrypt
        a2b = binascii.a2b_base64
        urlsafe = bytes.maketrans(b"-_", b"+/")
        prefix = _VERSION + b":"
        skip = len(prefix)

        def open_token(token: str) -> str:
            raw = token.encode()
            if not raw.startswith(prefix):
                raise ValueError("unknown ciphertext version")
            # base64.urlsafe_b64decode, without its per-call checks: the same bytes at a third of the cost.
            blob = a2b(raw[skip:].translate(urlsafe))
            return decrypt(blob[:12], blob[12:], aad).decode()

        return open_token

    def decrypt(self, token: str, *, context: str = "") -> str:
        version, _, body = token.encode().partition(b":")
        if version != _VERSION:
            raise ValueError("unknown ciphertext version")
        blob = base64.urlsafe_b64decode(body)
        return self._aead.decrypt(blob[:12], blob[12:], context.encode()).decode()
