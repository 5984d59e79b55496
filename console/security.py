"""What every console response carries, and the checks every form passes.

- A Content-Security-Policy without inline scripts or styles: everything the pages use is served from here.
- No caching of pages (they hold personal data), no framing, no referrer leaving the console.
- CSRF: every form carries the session's token (or, before sign-in, the one in its own cookie), and a POST without
  the matching token is refused before anything else happens.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, static_prefix: str) -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(self.static_prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control" or cacheable]
                headers += _HEADERS
                if not cacheable:
                    headers.append(_NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def safe_next(target: str | None, base_path: str) -> str:
    """Where to go after signing in: only a page of the console itself, never another site (`//evil`, `https:`)."""
    home = f"{base_path}/"
    if not target or len(target) > 2048:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(home) or "\\" in target or "//" in target:
        return home
    return target
