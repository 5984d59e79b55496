"""Where Jiuzhu may send requests on a partner's say-so: callback URLs (CONTRACTS.md §2).

A callback URL is chosen by whoever administers a partner client, and the worker that pushes results then POSTs from
inside the deployment: pointed at loopback, a link-local metadata service or a private address, it would reach
internal systems with a signed request (SSRF). So a callback must be `https` in production, and it may name no host
whose address is loopback, link-local, private, shared, reserved, multicast or unspecified, unless the operator
allows private targets (`outbound_allow_private`, for a platform on the same government extranet, and for the local
and test stacks). The host is checked when the URL is registered and resolved again before every request, so a name
that later resolves inside (DNS rebinding) is refused then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from libs.kernel.errors import Unprocessable

MAX_URL_LENGTH = 2048


class RefusedUrl(ValueError):
    """A URL Jiuzhu will not call; the message says why (it names no secret)."""


class CallbackUrlRefused(Unprocessable):
    """A refused callback as an answer: the gateway and complaints both check one (the gateway at creation, complaints
    when the callback is registered with it), hence a common code."""

    code = "callback_url_refused"


@dataclass(frozen=True)
class OutboundPolicy:
    require_https: bool
    allow_private: bool

    def check(self, url: str) -> str:
        """The URL's host if its form is acceptable (scheme, no credentials, no internal literal address)."""
        if len(url) > MAX_URL_LENGTH:
            raise RefusedUrl(f"a callback URL has at most {MAX_URL_LENGTH} characters")
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or (self.require_https and parts.scheme != "https"):
            raise RefusedUrl("a callback URL must use https" if self.require_https else "a callback URL is http(s)")
        if parts.username is not None or parts.password is not None:
            raise RefusedUrl("a callback URL carries no credentials")
        host = parts.hostname
        if not host:
            raise RefusedUrl("a callback URL names a host")
        if not self.allow_private:
            if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
                raise RefusedUrl("a callback URL may not name a local host")
            address = _literal(host)
            if address is not None and not _is_public(address):
                raise RefusedUrl("a callback URL may not point at a loopback, link-local or private address")
        return host

    async def check_resolved(self, url: str) -> None:
        """`check`, then every address the host resolves to now must be public (unless private ones are allowed)."""
        host = self.check(url)
        if self.allow_private or _literal(host) is not None:
            return
        port = urlsplit(url).port or 443
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise RefusedUrl("the callback host does not resolve") from exc
        for info in infos:
            if not _is_public(ipaddress.ip_address(info[4][0])):
                raise RefusedUrl("the callback host resolves to a loopback, link-local or private address")


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast
