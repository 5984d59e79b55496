"""Handing a new 12345 platform's callback to complaints (CONTRACTS.md §2).

Result pushes are signed with the client secret, and the gateway keeps only the secret's argon2 hash: the one moment
the secret is known is the client's creation, so the gateway registers the callback with complaints then, in the same
request. If complaints cannot take it, the client is not created (the request's transaction rolls back) and the
administrator tries again, rather than holding a client whose results could never be signed.
"""

from __future__ import annotations

from gateway.auth.schemas import ClientCreated
from gateway.auth.tokens import Caller
from gateway.proxy import UPSTREAM_ERRORS, upstream_problem
from gateway.runtime import Runtime
from libs.kernel.auth import INTERNAL_HEADER, Scope
from libs.kernel.errors import BadGateway


def needs_callback(created: ClientCreated) -> bool:
    return Scope.hotline.value in created.scopes and created.callback_url is not None


async def register_callback(rt: Runtime, admin: Caller, created: ClientCreated) -> None:
    url = f"{rt.upstream_urls['complaints']}/api/v1/complaints/hotline-platforms/{created.client_id}"
    body = {"callback_url": created.callback_url, "client_secret": created.client_secret}
    headers = {INTERNAL_HEADER: rt.internal_tokens.token_for(admin)}
    try:
        reply = await rt.upstream.put(url, json=body, headers=headers)
    except UPSTREAM_ERRORS as exc:
        raise upstream_problem("complaints", exc) from exc
    if reply.status_code != 200:
        raise BadGateway(
            f"The complaints service did not take the callback (HTTP {reply.status_code}); the client was not "
            "created, try again",
            code="callback_not_registered",
        )
