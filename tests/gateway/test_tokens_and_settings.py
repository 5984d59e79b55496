"""Access tokens, the internal-token cache, and settings that refuse local secrets in production."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from pydantic import ValidationError

from gateway.auth.tokens import AUDIENCE, AccessTokens, InternalTokenCache, InvalidToken
from gateway.config import GatewaySettings
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind
from libs.kernel.keyring import key_id

SECRET = "unit-test-jwt-secret-0123456789abcdef"
PARTNER = Principal("jzc_1", PrincipalKind.client, "finance bureau", "140402", scopes=frozenset({"finance"}))


def test_an_issued_token_carries_the_contract_claims() -> None:
    issued = AccessTokens(SECRET, 3600).issue(PARTNER)
    claims = jwt.decode(issued.access_token, SECRET, algorithms=["HS256"], audience=AUDIENCE)
    assert set(claims) >= {"sub", "kind", "name", "region", "roles", "scopes", "iat", "exp", "jti", "iss", "aud"}
    assert (claims["kind"], claims["region"], claims["scopes"]) == ("client", "140402", ["finance"])
    assert claims["exp"] - claims["iat"] == 3600 == issued.expires_in
    assert AccessTokens(SECRET, 3600).verify(issued.access_token).principal == PARTNER


def test_expired_forged_and_foreign_tokens_are_refused() -> None:
    tokens = AccessTokens(SECRET, 3600)
    expired = tokens.issue(PARTNER, now=time.time() - 7200).access_token
    forged = AccessTokens("another-secret-0123456789abcdefghij", 3600).issue(PARTNER).access_token
    internal = InternalTokens(SECRET).sign(PARTNER)  # same secret, other audience
    unsigned = jwt.encode({"sub": "x", "kind": "staff"}, key="", algorithm="none")
    reasons = []
    for token in (expired, forged, internal, unsigned, "not-a-jwt"):
        with pytest.raises(InvalidToken) as refused:
            tokens.verify(token)
        reasons.append(refused.value.reason)
    assert reasons == ["token_expired", "invalid_token", "invalid_token", "invalid_token", "invalid_token"]


def test_the_internal_token_is_signed_once_per_access_token_until_near_expiry() -> None:
    signer = InternalTokens(SECRET, ttl_seconds=300)
    cache = InternalTokenCache(signer)
    caller = AccessTokens(SECRET, 3600).verify(AccessTokens(SECRET, 3600).issue(PARTNER).access_token)
    now = time.time() - 250  # so the refreshed token below is issued "now" and verifies
    first = cache.token_for(caller, now=now)
    assert cache.token_for(caller, now=now + 200) == first
    refreshed = cache.token_for(caller, now=now + 250)  # within the final minute: signed afresh
    assert refreshed != first
    assert signer.verify(refreshed) == PARTNER


def test_the_internal_token_cache_stays_bounded() -> None:
    cache = InternalTokenCache(InternalTokens(SECRET), max_entries=10)
    tokens = AccessTokens(SECRET, 3600)
    for _ in range(50):
        cache.token_for(tokens.verify(tokens.issue(PARTNER).access_token))
    assert len(cache) == 10


def test_the_gateway_refuses_a_missing_short_or_shared_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_JWT_SECRET", raising=False)
    strong: dict[str, Any] = {"internal_token_secret": "i" * 40, "pii_key": "p" * 40}
    with pytest.raises(ValidationError, match="jwt_secret"):
        GatewaySettings(**strong)
    with pytest.raises(ValidationError, match="jwt_secret"):
        GatewaySettings(jwt_secret="j" * 31, **strong)
    with pytest.raises(ValidationError, match="differ"):
        GatewaySettings(jwt_secret="i" * 40, **strong)
    with pytest.raises(ValidationError, match="differ"):
        GatewaySettings(jwt_secret="j" * 40, jwt_secondary_secret="p" * 40, **strong)
    assert GatewaySettings(jwt_secret="j" * 40, **strong).jwt_secret


def test_a_token_names_its_key_and_a_rotation_accepts_both_keys_for_a_while() -> None:
    old_key, new_key = SECRET, "rotated-jwt-secret-0123456789abcdefgh"
    before = AccessTokens(old_key, 3600).issue(PARTNER).access_token
    assert jwt.get_unverified_header(before)["kid"] == key_id(old_key)
    during = AccessTokens(new_key, 3600, secondary=old_key)
    after = AccessTokens(new_key, 3600)

    assert during.verify(before).principal == PARTNER  # issued before the rotation, still valid until it expires
    fresh = during.issue(PARTNER).access_token
    assert jwt.get_unverified_header(fresh)["kid"] == key_id(new_key)
    assert after.verify(fresh).principal == PARTNER
    with pytest.raises(InvalidToken):
        after.verify(before)  # the old key is gone: so are its tokens


def test_a_token_without_a_key_id_or_with_an_unknown_one_is_refused() -> None:
    tokens = AccessTokens(SECRET, 3600)
    claims = jwt.decode(tokens.issue(PARTNER).access_token, SECRET, algorithms=["HS256"], audience=AUDIENCE)
    no_kid = jwt.encode(claims, SECRET, algorithm="HS256")
    other_kid = jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "0123456789abcdef"})
    for token in (no_kid, other_kid):
        with pytest.raises(InvalidToken):
            tokens.verify(token)


def test_port_comes_from_gateway_port_or_jiuzhu_gateway_port(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"GATEWAY_JWT_SECRET": "j" * 40, "JIUZHU_INTERNAL_TOKEN_SECRET": "i" * 40}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("JIUZHU_PII_KEY", "p" * 40)
    monkeypatch.delenv("GATEWAY_PORT", raising=False)
    monkeypatch.setenv("JIUZHU_GATEWAY_PORT", "8123")
    monkeypatch.setenv("GATEWAY_INTAKE_URL", "http://10.0.0.5:9000/")
    settings = GatewaySettings()
    assert settings.port == 8123
    assert settings.upstreams()["intake"] == "http://10.0.0.5:9000"
    monkeypatch.setenv("GATEWAY_PORT", "8124")
    assert GatewaySettings().port == 8124
