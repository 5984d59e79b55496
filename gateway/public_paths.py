"""The public page (信息公开) through the gateway: the few paths anyone may read without a token, rate-limited per
client address.

Only the exact paths of `PUBLIC_PATHS`, with GET, pass without a token. They are forwarded with the one
anonymous principal (libs.kernel.auth.ANONYMOUS: no roles, no scopes, no jurisdiction), so the service still sees a
signed principal and nothing else it serves answers it. Everything else keeps needing a token.

The limit is per gateway process and per address (what uvicorn saw, or the `X-Forwarded-For` of a peer listed in
`GATEWAY_TRUSTED_PROXIES`: the console, passing on the browser's address), `public_rate_limit` requests per
`public_rate_window_seconds`, then 429 `public_rate_limited` with `Retry-After`. It is in memory: the page is cheap
and public, and counting every anonymous read in the database would make it the way to load the database. With N
replicas an address gets at most N times the limit; the table of addresses is bounded, so many addresses cannot grow
it without end.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict

from gateway.auth.errors import PublicRateLimited
from gateway.auth.tokens import Caller
from libs.kernel.auth import ANONYMOUS
from libs.kernel.errors import BadRequest

# Casework's public page (services/casework/public): the counties, a county's page (standards, how to apply,
# complaint line) and its standing posting.
PUBLIC_PREFIX = "/api/v1/casework/public"
PUBLIC_PATHS: tuple[re.Pattern[str], ...] = (re.compile(re.escape(PUBLIC_PREFIX) + r"(/[0-9]{6}(/posting)?)?"),)
# `?page=1000` and no more: a public query is short, and its values are checked again by the service.
MAX_PUBLIC_QUERY_BYTES = 64
# The caller the public paths are forwarded as; its internal token is signed once and renewed as it nears its end.
PUBLIC_CALLER = Caller(principal=ANONYMOUS, jti="public-page", expires_at=0)


def is_public(path: str, method: str) -> bool:
    return method == "GET" and any(p.fullmatch(path) for p in PUBLIC_PATHS)


def check_public_query(query: bytes, has_body: bool) -> None:
    if len(query) > MAX_PUBLIC_QUERY_BYTES or has_body:
        raise BadRequest(f"The public pages take no body and a query of at most {MAX_PUBLIC_QUERY_BYTES} bytes")


class PublicRateLimit:
    """A fixed window per address: `limit` requests, then 429 until the window that began with the first ends."""

    def __init__(self, limit: int, window_seconds: int, max_addresses: int = 100_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_addresses = max_addresses
        # address → (window start, requests in it); oldest window first, so expired entries are at the front.
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._windows)

    def admit(self, address: str, *, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        started, count = self._windows.get(address, (moment, 0))
        if moment - started >= self.window:
            started, count = moment, 0
        if count >= self.limit:
            wait = max(1, math.ceil(started + self.window - moment))
            raise PublicRateLimited(
                "Too many requests to the public pages from this address; try again later",
                headers={"Retry-After": str(wait)},
            )
        if count == 0:
            self._windows.pop(address, None)  # a new window goes to the back
        self._windows[address] = (started, count + 1)
        self._prune(moment)

    def _prune(self, now: float) -> None:
        if len(self._windows) <= self.max_addresses:
            return
        while self._windows and now - next(iter(self._windows.values()))[0] >= self.window:
            self._windows.popitem(last=False)
        # Still full of live windows (a flood from many addresses): the oldest go, each was limited while it lasted.
        while len(self._windows) > self.max_addresses:
            self._windows.popitem(last=False)
