"""Handing a new 12345 platform's callback to complaints (CONTRACTS.md §2).

Result pushes are signed with the client secret, and the gateway keeps only the secret's argon2 hash: the one moment
the secret is known is the client's creation, so the gateway registers the callback with complaints then, in the same
request. If complaints cannot take it, the client is not created (the request's transaction rolls back) and the
administrator tries again, rather than holding a client whose results could never be signed.

The callback is where results naming callers are sent from inside the deployment, so its URL must pass the outbound
policy (libs/kernel/outbound.py: https in production, no loopback, link-local or private address unless the operator
allows them) before complaints is asked: a refused URL is a 422 and no client is created. Complaints checks it again,
and is told the client's region, so that only an administrator of that region may later change the callback.
"""

from __future__ import annotations

import orjson

from gateway.auth.schemas import ClientCreated
from gateway.auth.tokens import Caller
from gateway.proxy import UPSTREAM_ERRORS, upstream_problem
from gateway.runtime import Runtime
from libs.contracts.staff import Scope
from libs.kernel.auth import INTERNAL_HEADER
from libs.kernel.errors import BadGateway, Unprocessable
from libs.kernel.outbound import RefusedUrl

CALLBACK_REFUSED = "callback_url_refused"


def needs_callback(created: ClientCreated) -> bool:
    return Scope.hotline.value in created.scopes and created.callback_url is not None


def _refused(reason: str) -> Unprocessable:
    return Unprocessable(
        f"The callback URL may not be used: {reason}; no client was created",
        code=CALLBACK_REFUSED,
        errors=[{"loc": ["body", "callback_url"], "msg": reason}],
    )


async def register_callback(rt: Runtime, admin: Caller, created: ClientCreated) -> None:
    """Called in the transaction that creates the client: raising here creates nothing."""
    assert created.callback_url is not None
    try:
        rt.settings.outbound_policy().check(created.callback_url)
    except RefusedUrl as exc:
        raise _refused(str(exc)) from None
    url = f"{rt.upstream_urls['complaints']}/api/v1/complaints/hotline-platforms/{created.client_id}"
    body = {
        "callback_url": created.callback_url,
        "client_secret": created.client_secret,
        "region_code": created.region_code,
    }
    headers = {INTERNAL_HEADER: rt.internal_tokens.token_for(admin)}
    try:
        reply = await rt.upstream.put(url, json=body, headers=headers)
    except UPSTREAM_ERRORS as exc:
        raise upstream_problem("complaints", exc) from exc
    if reply.status_code == 422 and _code(reply.content) == CALLBACK_REFUSED:
        # Complaints' own policy refused it (its operator allows less than the gateway's): the same answer.
        raise _refused("refused by the complaints service's outbound policy")
    if reply.status_code != 200:
        raise BadGateway(
            f"The complaints service did not take the callback (HTTP {reply.status_code}); the client was not "
            "created, try again",
            code="callback_not_registered",
        )


def _code(content: bytes) -> str | None:
    try:
        problem = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None
    code = problem.get("code") if isinstance(problem, dict) else None
    return code if isinstance(code, str) else None
