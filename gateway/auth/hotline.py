"""Handing a 12345 platform's callback to complaints (CONTRACTS.md §2).

Result pushes are signed with the client secret, and the gateway keeps only the secret's argon2 hash: the one moment
the secret is known is the client's creation, so the gateway hands the callback to complaints then, through its own
outbox (gateway.auth.callback_delivery): the client and the sealed secret are committed together, complaints gets them
at once if it is up, and later, retried, if it is not. A callback change, made later with the secret the partner
holds, is asked of complaints directly: if complaints cannot take it, nothing changes and the administrator tries again.

The callback is where results naming callers are sent from inside the deployment, so its URL must pass the outbound
policy (libs/kernel/outbound.py: https in production, no loopback, link-local or private address unless the operator
allows them) before complaints is asked: a refused URL is a 422 and no client is created. Complaints checks it again
(a refusal there withdraws the new client: its secret was never shown), and is told the client's region, so that only
an administrator of that region may later change the callback.
"""

from __future__ import annotations

from gateway.auth.callback_delivery import Answer, put_platform
from gateway.auth.errors import CallbackNotRegistered
from gateway.auth.schemas import ClientCreated
from gateway.auth.tokens import Caller
from gateway.config import GatewaySettings
from gateway.proxy import upstream_problem
from gateway.runtime import Runtime
from gateway.upstream_transport import UPSTREAM_ERRORS
from libs.contracts.staff import Scope
from libs.kernel.outbound import CallbackUrlRefused, RefusedUrl


def needs_callback(created: ClientCreated) -> bool:
    return Scope.hotline.value in created.scopes and created.callback_url is not None


def refused(reason: str) -> CallbackUrlRefused:
    return CallbackUrlRefused(
        f"The callback URL may not be used: {reason}; no client was created",
        errors=[{"loc": ["body", "callback_url"], "msg": reason}],
    )


def check_allowed(settings: GatewaySettings, url: str) -> None:
    try:
        settings.outbound_policy().check(url)
    except RefusedUrl as exc:
        raise refused(str(exc)) from None


async def register_callback(rt: Runtime, admin: Caller, created: ClientCreated) -> None:
    """A changed callback, asked of complaints in the request: raising here changes nothing."""
    assert created.callback_url is not None
    check_allowed(rt.settings, created.callback_url)
    body = {
        "callback_url": created.callback_url,
        "client_secret": created.client_secret,
        "region_code": created.region_code,
    }
    token = rt.internal_tokens.token_for(admin)
    try:
        answer, reason = await put_platform(rt.upstream, rt.upstream_urls["complaints"], token, created.client_id, body)
    except UPSTREAM_ERRORS as exc:
        raise upstream_problem("complaints", exc) from exc
    if answer is Answer.refused:
        # Complaints' own policy refused it (its operator allows less than the gateway's): the same answer.
        raise refused("refused by the complaints service's outbound policy")
    if answer is not Answer.delivered:
        raise CallbackNotRegistered(
            f"The complaints service did not take the callback ({reason}); the client was not created, try again"
        )
