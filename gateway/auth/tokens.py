"""Access tokens the gateway issues to callers, and the internal tokens it forwards to services.

Access tokens are HS256 JWTs (`sub, kind, name, region, roles, scopes, iat, exp, jti, iss, aud`) signed with
`jwt_secret` and naming it in the header's `kid` (libs.kernel.keyring). Their audience differs from the internal
token's (libs.kernel.auth), so neither can stand in for the other.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt

from gateway.auth.revocation import RevocationList
from gateway.config import GatewaySettings
from libs.kernel.auth import InternalTokens, Principal
from libs.kernel.keyring import KeyRing

ISSUER = "jiuzhu-gateway"
AUDIENCE = "jiuzhu-api"
# Tolerated clock difference between gateway replicas.
_LEEWAY_SECONDS = 5
# Verified access tokens remembered per process (see AccessTokens.verify): enough for every caller active at once.
_VERIFIED_CACHE_ENTRIES = 10_000


class InvalidToken(Exception):
    """The bearer token is malformed, forged, expired or not ours; `reason` goes into the 401 `code`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    jti: str


@dataclass(frozen=True)
class Caller:
    """An authenticated request: the principal plus the identity and lifetime of the token that proved it."""

    principal: Principal
    jti: str
    expires_at: int
    issued_at: float = 0.0  # epoch seconds, to the millisecond (revocations compare against it)
    # The password was given by an administrator: this token serves only to choose a new one.
    password_change_required: bool = False


class AccessTokens:
    """Issues and verifies access tokens; `secret` signs, `secondary` is also accepted during a rotation."""

    def __init__(
        self,
        secret: str,
        ttl_seconds: int,
        *,
        secondary: str | None = None,
        max_cached: int = _VERIFIED_CACHE_ENTRIES,
        revocations: RevocationList | None = None,
    ) -> None:
        self.keys = KeyRing(secret, secondary)
        self.revocations = revocations or RevocationList()
        self.ttl_seconds = ttl_seconds
        self.max_cached = max_cached
        # Raw token → the caller it proved. Only tokens whose signature and claims verified get in, so forged or
        # garbage tokens can neither hit nor fill it; bounded, least recently used out first.
        self._verified: OrderedDict[str, Caller] = OrderedDict()

    def issue(
        self, principal: Principal, *, now: float | None = None, password_change_required: bool = False
    ) -> IssuedToken:
        moment = now if now is not None else time.time()
        issued = int(moment)
        jti = uuid.uuid4().hex
        claims: dict[str, Any] = {
            **principal.to_claims(),
            "iat": issued,
            # `iat` is whole seconds; a revocation "before T" must not spare a token of the same second before it.
            "iat_ms": int(moment * 1000),
            "exp": issued + self.ttl_seconds,
            "jti": jti,
            "iss": ISSUER,
            "aud": AUDIENCE,
        }
        if password_change_required:
            claims["pwd_change"] = True
        token = jwt.encode(claims, self.keys.primary, algorithm="HS256", headers={"kid": self.keys.signing_id})
        return IssuedToken(token, self.ttl_seconds, jti)

    def verify(self, token: str) -> Caller:
        """The caller a token proves, or InvalidToken.

        Every request presents its token, and a caller sends the same one until it expires: a token verified once
        is remembered by its exact text and answered from memory until its expiry (with the same leeway the full
        check allows), after which it goes through the full check again and is refused as expired. A signature, an
        issuer or an audience cannot change without changing the text, and `iat`/`nbf` only become more valid with
        time, so the remembered answer is the one the full check would give.
        """
        caller = self._verified.get(token)
        if caller is not None and time.time() >= caller.expires_at + _LEEWAY_SECONDS:
            del self._verified[token]  # PyJWT: expired once exp <= now - leeway
            caller = None
        if caller is None:
            caller = self._decode(token)
            self._verified[token] = caller
            if len(self._verified) > self.max_cached:
                self._verified.popitem(last=False)
        else:
            self._verified.move_to_end(token)
        # Every time, cached or not: a revocation takes effect on the next request (gateway.auth.revocation).
        if self.revocations.refuses(caller.principal.subject, caller.jti, caller.issued_at):
            raise InvalidToken("token_revoked")
        return caller

    def _decode(self, token: str) -> Caller:
        try:
            claims = self.keys.decode(token, audience=AUDIENCE, issuer=ISSUER, leeway=_LEEWAY_SECONDS,
                                      require=["exp", "iat", "sub", "jti", "kind", "iss", "aud"])  # fmt: skip
            issued_ms = claims.get("iat_ms")
            issued_at = issued_ms / 1000 if isinstance(issued_ms, int) else float(claims["iat"])
            return Caller(
                Principal.from_claims(claims),
                str(claims["jti"]),
                int(claims["exp"]),
                issued_at,
                claims.get("pwd_change") is True,
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token_expired") from exc
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken("invalid_token") from exc


def access_tokens(settings: GatewaySettings, revocations: RevocationList) -> AccessTokens:
    secondary = settings.jwt_secondary_secret
    return AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.access_token_ttl_seconds,
        secondary=secondary.get_secret_value() if secondary is not None else None,
        revocations=revocations,
    )


class InternalTokenCache:
    """Signed internal tokens per access-token `jti`, reused until shortly before they expire.

    Signing is cheap but not free, and a partner pulling a roster page by page would re-sign the same principal on
    every request. An entry is dropped `margin` seconds before the internal token's own expiry so a request still
    in flight to a slow service is not rejected there as expired.
    """

    def __init__(self, signer: InternalTokens, *, max_entries: int = 50_000) -> None:
        self._signer = signer
        self._max_entries = max_entries
        self._margin = min(60, signer.ttl_seconds // 5)
        self._entries: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def token_for(self, caller: Caller, *, now: float | None = None) -> str:
        moment = now if now is not None else time.time()
        cached = self._entries.get(caller.jti)
        if cached is not None and cached[1] > moment:
            return cached[0]
        token = self._signer.sign(caller.principal, now=moment)
        self._remember(caller.jti, token, moment + self._signer.ttl_seconds - self._margin, moment)
        return token

    def __len__(self) -> int:
        return len(self._entries)

    def _remember(self, jti: str, token: str, refresh_at: float, now: float) -> None:
        self._entries[jti] = (token, refresh_at)
        self._entries.move_to_end(jti)
        if len(self._entries) > self._max_entries:
            # Insertion order is refresh order, so the oldest entries are the first to have expired.
            while self._entries and next(iter(self._entries.values()))[1] <= now:
                self._entries.popitem(last=False)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
