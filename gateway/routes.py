"""The route table: which path prefix goes to which service, and who may use it. Data, not code.

Staff prefixes serve staff principals only; partner prefixes serve partner clients holding the scope (CONTRACTS.md
§2–§5). The longest matching prefix wins, so `/api/v1/matching/feeds` (registry providers) is carved out of the staff
prefix `/api/v1/matching/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.auth.errors import StaffOnly, UseAdminApi
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal, PrincipalKind
from libs.kernel.errors import ScopeRequired


@dataclass(frozen=True)
class Route:
    prefix: str
    service: str
    scope: Scope | None = None  # None: staff only

    def matches(self, path: str) -> bool:
        # A prefix without a trailing slash names a resource: it matches itself and what lies below it, never
        # `/api/v1/province/recipientsX`.
        if self.prefix.endswith("/"):
            return path.startswith(self.prefix)
        return path == self.prefix or path.startswith(self.prefix + "/")

    def authorise(self, principal: Principal, path: str = "", method: str = "GET") -> None:
        if method not in _READS and path.startswith(GATEWAY_WRITES):
            raise UseAdminApi(
                "Hotline callbacks are changed with PUT /api/v1/admin/clients/{client_id}/callback, which checks the "
                "client's region and secret"
            )
        if self.scope is None:
            if principal.kind is not PrincipalKind.staff:
                raise StaffOnly("This API is for staff; partner clients use their partner endpoints")
        elif principal.kind is not PrincipalKind.client or self.scope.value not in principal.scopes:
            raise ScopeRequired(f"This endpoint needs the partner scope {self.scope.value!r}")


ROUTES: tuple[Route, ...] = (
    Route("/api/v1/intake/", "intake"),
    Route("/api/v1/casework/", "casework"),
    Route("/api/v1/matching/", "matching"),
    # Without the slash: the ledger itself is `/api/v1/complaints` (GET the list, POST an item).
    Route("/api/v1/complaints", "complaints"),
    Route("/api/v1/disbursement/", "disbursement"),
    Route("/api/v1/hotline/", "complaints", Scope.hotline),
    Route("/api/v1/finance/", "disbursement", Scope.finance),
    Route("/api/v1/province/recipients", "casework", Scope.province),
    Route("/api/v1/province/warnings", "intake", Scope.province),
    Route("/api/v1/matching/feeds", "matching", Scope.registry_feed),
)

# Paths whose writes only the gateway itself makes (on behalf of an administrator, after checks only it can do): a
# hotline callback decides where a platform's results go, and only the gateway knows each client's region and
# secret (gateway.auth.hotline). Reads pass as usual.
GATEWAY_WRITES = ("/api/v1/complaints/hotline-platforms",)
_READS = frozenset({"GET", "HEAD", "OPTIONS"})

# Bodies streamed through to a service that stores them as they come (registry feeds of any size, CONTRACTS.md §5):
# the only ones without a size limit (libs.kernel.input_guard); authentication comes before a byte of them is read.
STREAMED_PREFIXES = ("/api/v1/matching/feeds",)

# Longest first, so the first match is the most specific.
_BY_SPECIFICITY = tuple(sorted(ROUTES, key=lambda r: len(r.prefix), reverse=True))


def resolve(path: str) -> Route | None:
    """The most specific route for `path` (already percent-decoded), or None.

    Paths with `.` or `..` segments are refused outright: a service that normalised them could otherwise be reached
    under another route's rules (`/api/v1/hotline/../complaints/...`).
    """
    if any(segment in (".", "..") for segment in path.split("/")):
        return None
    for route in _BY_SPECIFICITY:
        if route.matches(path):
            return route
    return None
