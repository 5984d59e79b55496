"""Who is calling: the principal the gateway forwards, verified again by every service (no trust in the network).

The gateway authenticates the caller and forwards a short-lived internal token (HS256 with a secret shared only by
the gateway and the services) in `X-Jiuzhu-Principal`. Services check roles, scopes and the jurisdiction prefix here.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from libs.contracts.staff import Scope, StaffRole
from libs.kernel.errors import InvalidInternalToken, MissingPrincipal, OutsideJurisdiction, RoleRequired, ScopeRequired
from libs.kernel.keyring import KeyRing
from libs.kernel.settings import BaseServiceSettings

INTERNAL_HEADER = "X-Jiuzhu-Principal"
_ISSUER = "jiuzhu-gateway"
_AUDIENCE = "jiuzhu-services"


class PrincipalKind(StrEnum):
    staff = "staff"
    client = "client"
    # Anyone, unauthenticated: the gateway forwards it on its public paths only (gateway.routes.PUBLIC_PATHS).
    public = "public"


@dataclass(frozen=True)
class Principal:
    subject: str
    kind: PrincipalKind
    name: str
    region_prefix: str  # "" = the whole country (the built-in admin)
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    # The person's real name (staff): what records show, and what a close-relative declaration names (DOMAIN.md §7).
    display_name: str = ""

    def covers(self, region_code: str) -> bool:
        """Whether `region_code` (or a whole region under it) lies inside this principal's jurisdiction."""
        return region_code.startswith(self.region_prefix)

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def to_claims(self) -> dict[str, Any]:
        return {
            "sub": self.subject,
            "kind": self.kind.value,
            "name": self.name,
            "region": self.region_prefix,
            "roles": sorted(self.roles),
            "scopes": sorted(self.scopes),
            "display": self.display_name,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        return cls(
            subject=str(claims["sub"]),
            kind=PrincipalKind(claims["kind"]),
            name=str(claims.get("name", "")),
            region_prefix=str(claims.get("region", "")),
            roles=frozenset(claims.get("roles", ())),
            scopes=frozenset(claims.get("scopes", ())),
            display_name=str(claims.get("display", "")),
        )


class InternalTokens:
    """Signs (gateway) and verifies (services) the internal principal token.

    `secret` signs; `secondary` is also accepted while a rotation is under way (libs.kernel.keyring): services take
    the new secret as secondary first, then the gateway signs with it, then the old one is dropped everywhere.
    """

    def __init__(
        self, secret: str, ttl_seconds: int = 300, *, secondary: str | None = None, max_cached: int = 10_000
    ) -> None:
        self.keys = KeyRing(secret, secondary)
        self.ttl_seconds = ttl_seconds
        # Verified tokens, by their whole text (signature included), until their `exp`: the gateway reuses one token
        # per caller for minutes (gateway.auth.tokens.InternalTokenCache), and checking the HMAC and claims again on
        # every request was a visible share of a service's CPU per request (bench/RESULTS.md, issue 23).
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._max_cached = max_cached

    def sign(self, principal: Principal, *, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {
            **principal.to_claims(),
            "iss": _ISSUER,
            "aud": _AUDIENCE,
            "iat": issued,
            "exp": issued + self.ttl_seconds,
        }
        return jwt.encode(claims, self.keys.primary, algorithm="HS256", headers={"kid": self.keys.signing_id})

    def verify(self, token: str) -> Principal:
        moment = time.time()
        cached = self._verified.get(token)
        if cached is not None and moment < cached[1]:
            return cached[0]
        try:
            claims = self.keys.decode(token, audience=_AUDIENCE, issuer=_ISSUER, require=["exp", "iat", "sub"])
            principal = Principal.from_claims(claims)
            expires = float(claims["exp"])
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidInternalToken("The internal principal token is missing, expired or invalid") from exc
        self._remember(token, principal, expires, moment)
        return principal

    def _remember(self, token: str, principal: Principal, expires: float, now: float) -> None:
        if len(self._verified) >= self._max_cached:
            # Expired entries go first; if every entry is still live, the cache starts over (a burst of distinct
            # callers costs re-verification, never memory).
            self._verified = {t: e for t, e in self._verified.items() if e[1] > now}
            if len(self._verified) >= self._max_cached:
                self._verified.clear()
        self._verified[token] = (principal, expires)


def internal_tokens(settings: BaseServiceSettings) -> InternalTokens:
    """The internal-token keys of a process, from its settings."""
    secondary = settings.internal_token_secondary_secret
    return InternalTokens(
        settings.internal_token_secret.get_secret_value(),
        settings.internal_token_ttl_seconds,
        secondary=secondary.get_secret_value() if secondary is not None else None,
    )


def _tokens(request: Request) -> InternalTokens:
    tokens = getattr(request.app.state, "internal_tokens", None)
    assert isinstance(tokens, InternalTokens), "create_app must set app.state.internal_tokens"
    return tokens


async def current_principal(request: Request) -> Principal:
    token = request.headers.get(INTERNAL_HEADER)
    if not token:
        raise MissingPrincipal("No principal was forwarded by the gateway")
    principal = _tokens(request).verify(token)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: StaffRole) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting staff holding any of `roles` (system administrators always pass)."""
    wanted = {r.value for r in roles} | {StaffRole.system_admin.value}

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind is not PrincipalKind.staff or not principal.has_any_role(wanted):
            raise RoleRequired(f"This action needs one of the roles: {', '.join(sorted(wanted))}")
        return principal

    return check


def require_national_admin(not_admin: str, not_national: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only a system administrator of the whole country: what every region shares (reference
    data, the training clock) is sent by the gateway as one. `not_admin`, `not_national`: why others are refused."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind is not PrincipalKind.staff or StaffRole.system_admin.value not in principal.roles:
            raise RoleRequired(not_admin)
        if principal.region_prefix != "":
            raise RoleRequired(not_national)
        return principal

    return check


def require_scope(scope: Scope) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind is not PrincipalKind.client or scope.value not in principal.scopes:
            raise ScopeRequired(f"This endpoint needs the partner scope {scope.value!r}")
        return principal

    return check


# What the gateway forwards for a request without a token on one of its public paths (gateway.routes.PUBLIC_PATHS):
# no roles, no scopes and no jurisdiction ("-" starts no region code), so only an endpoint that asks for nothing but a
# verified principal (a public page) serves it; every role, scope and jurisdiction check refuses it.
ANONYMOUS = Principal(subject="public", kind=PrincipalKind.public, name="public", region_prefix="-")


def ensure_jurisdiction(principal: Principal, region_code: str) -> None:
    if not principal.covers(region_code):
        raise OutsideJurisdiction(f"Region {region_code} is outside your jurisdiction {principal.region_prefix}")


def jurisdiction_prefix(principal: Principal, region_code: str | None) -> str:
    """The region a list is scoped to: `region_code` when asked for (403 outside the jurisdiction), else all of it."""
    prefix = region_code or principal.region_prefix
    ensure_jurisdiction(principal, prefix)
    return prefix
