"""Forged tokens (issue 17, high): the secrets that signed tokens used to be written in the repository, and a token
signed with them as `system_admin` created a lasting admin user; signed internal headers were accepted by the
services directly. No secret has a default now, and a process without its secrets does not start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import httpx
import jwt
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.auth.tokens import AUDIENCE, ISSUER
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.keyring import key_id
from tests.gateway.harness import REPO_ROOT, RunningGateway, ServiceProcess, assert_problem

# The constants an earlier version shipped in gateway/config.py and libs/kernel/settings.py: public knowledge now.
OLD_JWT_SECRET = "local-gateway-jwt-secret-change-me-0123456789"
OLD_INTERNAL_SECRET = "local-internal-token-secret-change-me-0123456789"
ADMIN = Principal("forged", PrincipalKind.staff, "forged", "", frozenset({"system_admin"}))


def _forged_access_token(secret: str, principal: Principal, *, with_kid: bool) -> str:
    now = int(time.time())
    claims = {**principal.to_claims(), "iat": now, "exp": now + 3600, "jti": uuid.uuid4().hex, "iss": ISSUER,
              "aud": AUDIENCE}  # fmt: skip
    headers = {"kid": key_id(secret)} if with_kid else None
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers)


@pytest.mark.parametrize("with_kid", [False, True], ids=["no-kid", "kid-of-the-old-secret"])
async def test_an_admin_token_signed_with_the_old_public_secret_creates_nobody(
    gateway: RunningGateway, engine: AsyncEngine, with_kid: bool
) -> None:
    username = f"intruder-{uuid.uuid4().hex[:8]}"
    forged = _forged_access_token(OLD_JWT_SECRET, ADMIN, with_kid=with_kid)
    body = {"username": username, "password": "Intruder-2026-pass", "display_name": "入侵者",
            "roles": ["system_admin"], "region_code": ""}  # fmt: skip
    async with gateway.client(token=forged) as client:
        reply = await client.post("/api/v1/admin/users", json=body)
    assert_problem(reply, 401, "invalid_token")
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM gateway.users WHERE username = :u"), {"u": username}) == 0


async def test_a_forged_province_token_reads_nothing(gateway: RunningGateway) -> None:
    province = Principal("jzc_forged", PrincipalKind.client, "province", "14", scopes=frozenset({"province"}))
    forged = _forged_access_token(OLD_JWT_SECRET, province, with_kid=True)
    async with gateway.client(token=forged) as client:
        reply = await client.get("/api/v1/province/recipients", params={"region_code": "14"})
    assert_problem(reply, 401, "invalid_token")


async def test_a_service_refuses_an_internal_header_signed_with_the_old_secret(intake: ServiceProcess) -> None:
    forged = InternalTokens(OLD_INTERNAL_SECRET).sign(ADMIN)
    async with httpx.AsyncClient(base_url=intake.url) as client:
        reply = await client.get("/api/v1/intake/diagnostics/whoami", headers={INTERNAL_HEADER: forged})
    assert reply.status_code == 401, reply.text
    assert reply.json()["code"] == "invalid_internal_token"


@pytest.mark.parametrize("module", ["services.intake", "gateway"])
def test_a_process_without_its_secrets_refuses_to_start_and_says_which(module: str) -> None:
    secret_names = ("INTERNAL_TOKEN_SECRET", "PII_KEY", "JWT_SECRET")
    env = {k: v for k, v in os.environ.items() if not k.endswith(secret_names)}
    env.update({"PYTHONPATH": str(REPO_ROOT), "JIUZHU_ENVIRONMENT": "local"})
    started = subprocess.run(
        [sys.executable, "-m", module, "serve", "--port", "0"], env=env, cwd=REPO_ROOT, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert started.returncode != 0
    assert "INTERNAL_TOKEN_SECRET" in started.stderr
    assert "Traceback" not in started.stderr
