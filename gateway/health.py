"""Readiness of what the gateway needs: its database and every service's own `/readyz`.

The kernel's `/readyz` runs its checks one after another; probing five services in a row would add their delays
up. So the per-service checks share one concurrent round of probes: the first check starts it, the rest read its
results. A round is reused for a second, which also keeps a burst of readiness polls from fanning out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from gateway.proxy import is_timeout
from gateway.upstream_transport import UPSTREAM_ERRORS
from libs.kernel.web import ReadinessCheck

_ROUND_REUSE_SECONDS = 1.0


class UpstreamNotReady(Exception):
    """The service answered its /readyz with a non-200 status."""


class UpstreamUnreachable(Exception):
    """Nothing accepted the connection (or it was reset)."""


class UpstreamTimeout(Exception):
    """The service did not answer within the readiness timeout."""


class UpstreamReadiness:
    def __init__(
        self, client: Callable[[], httpx.AsyncClient], upstreams: dict[str, str], timeout_seconds: float
    ) -> None:
        self._client = client  # a getter: the shared client only exists once the lifespan has started
        self._upstreams = upstreams
        self._timeout = timeout_seconds
        self._round: asyncio.Task[dict[str, Exception | None]] | None = None
        self._round_started = 0.0

    def checks(self) -> list[ReadinessCheck]:
        return [(name, self._check_for(name)) for name in self._upstreams]

    def _check_for(self, name: str) -> Callable[[], Awaitable[None]]:
        async def check() -> None:
            failure = (await self._current_round())[name]
            if failure is not None:
                raise failure

        return check

    async def _current_round(self) -> dict[str, Exception | None]:
        loop = asyncio.get_running_loop()
        stale = self._round is None or (self._round.done() and loop.time() - self._round_started > _ROUND_REUSE_SECONDS)
        if stale:
            self._round_started = loop.time()
            self._round = asyncio.create_task(self._probe_all())
        assert self._round is not None
        # Shielded: one /readyz caller going away must not cancel the round others are waiting on.
        return await asyncio.shield(self._round)

    async def _probe_all(self) -> dict[str, Exception | None]:
        names = list(self._upstreams)
        results = await asyncio.gather(*(self._probe(self._upstreams[n]) for n in names))
        return dict(zip(names, results, strict=True))

    async def _probe(self, base_url: str) -> Exception | None:
        try:
            # The client's timeouts bound each read; this bounds the whole exchange (a service trickling bytes).
            async with asyncio.timeout(self._timeout * 2):
                response = await self._client().get(f"{base_url}/readyz", timeout=self._timeout)
        except UPSTREAM_ERRORS as exc:
            return UpstreamTimeout() if is_timeout(exc) else UpstreamUnreachable()
        if response.status_code != 200:
            return UpstreamNotReady(str(response.status_code))
        return None
