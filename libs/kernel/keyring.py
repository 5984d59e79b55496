"""Signing keys that can rotate: one key signs, a second may still verify while tokens signed with it live out.

Every token names its key in the JWT header (`kid`), so a verifier picks the key directly instead of trying each one.
The id is derived from the secret (an unkeyed hash under a fixed label): operators configure secrets only, and a
`kid` reveals nothing about the secret it names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import jwt

MIN_SECRET_LENGTH = 32


def key_id(secret: str) -> str:
    return hashlib.sha256(b"jiuzhu-kid:" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class KeyRing:
    """`primary` signs and verifies; `secondary` (during a rotation) only verifies."""

    primary: str
    secondary: str | None = None
    _by_id: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for secret in (self.primary, self.secondary):
            if secret is not None and len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(f"a signing secret needs at least {MIN_SECRET_LENGTH} characters")
        keys = {key_id(self.primary): self.primary}
        if self.secondary is not None:
            keys[key_id(self.secondary)] = self.secondary
        object.__setattr__(self, "_by_id", keys)

    @property
    def signing_id(self) -> str:
        return key_id(self.primary)

    def secret_for(self, kid: object) -> str | None:
        """The secret a token's `kid` names, or None for an unknown (or missing) id."""
        return self._by_id.get(kid) if isinstance(kid, str) else None

    def decode(
        self, token: str, *, audience: str, issuer: str, require: list[str], leeway: float = 0
    ) -> dict[str, Any]:
        """The claims of `token`, verified with the key its `kid` names; raises a `jwt.PyJWTError` otherwise."""
        secret = self.secret_for(jwt.get_unverified_header(token).get("kid"))
        if secret is None:
            raise jwt.InvalidKeyError("unknown key id")
        # The algorithm is pinned: never let the token choose (no "none", no RS/HS confusion).
        options: Any = {"require": require}
        return jwt.decode(token, secret, algorithms=["HS256"], audience=audience, issuer=issuer, leeway=leeway,
                          options=options)  # fmt: skip
