"""The demo loader's HTTP client: it rides out a service that is restarting or briefly unreachable.

`make run` restarts a crashed service (libs.devstack.processes.Supervisor); meanwhile the gateway answers 502/503/504
for it. A step that can safely be sent twice (an idempotent method, or a request carrying an Idempotency-Key) is sent
again after a pause; any other step is sent again only when the connection itself could not be made, so it never
reached anyone. What still fails is reported by `make run`, which keeps running without the rest of the demo.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

RETRIED_STATUSES = frozenset({502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class RetryingTransport(httpx.BaseTransport):
    def __init__(
        self, *, attempts: int = 6, first_delay: float = 0.5, inner: httpx.BaseTransport | None = None
    ) -> None:
        self.attempts = attempts
        self.first_delay = first_delay
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        repeatable = request.method in IDEMPOTENT_METHODS or "idempotency-key" in request.headers
        delay = self.first_delay
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                response = self.inner.handle_request(request)
            except httpx.ConnectError:
                if last:
                    raise
            except httpx.TransportError:
                if last or not repeatable:
                    raise
            else:
                if last or not repeatable or response.status_code not in RETRIED_STATUSES:
                    return response
                response.close()
            time.sleep(delay)
            delay = min(delay * 2, 8.0)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        self.inner.close()


def demo_client(base_url: str, *, timeout: float, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An `httpx.Client` for `base_url` whose requests are retried as the module docstring says."""
    return httpx.Client(base_url=base_url, timeout=timeout, transport=transport or RetryingTransport())


def partner_token(client: httpx.Client, partner: dict[str, Any]) -> str:
    """An access token for the demo partner client (`client_id`, `client_secret`), as its platform obtains one."""
    reply = client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": partner["client_id"],
            "client_secret": partner["client_secret"],
        },
    )
    reply.raise_for_status()
    return str(reply.json()["access_token"])
