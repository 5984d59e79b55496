"""The route table: longest prefix wins, prefixes respect segment boundaries, dot segments never route."""

from __future__ import annotations

import pytest

from gateway.routes import ROUTES, resolve
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal, PrincipalKind
from libs.kernel.errors import Forbidden


@pytest.mark.parametrize(
    ("path", "service", "scope"),
    [
        ("/api/v1/intake/applications", "intake", None),
        ("/api/v1/casework/cases/1", "casework", None),
        ("/api/v1/matching/hits", "matching", None),
        ("/api/v1/matching/feeds", "matching", Scope.registry_feed),
        ("/api/v1/matching/feeds/abc", "matching", Scope.registry_feed),
        ("/api/v1/complaints/x", "complaints", None),
        ("/api/v1/complaints", "complaints", None),
        ("/api/v1/disbursement/rosters", "disbursement", None),
        ("/api/v1/hotline/work-orders", "complaints", Scope.hotline),
        ("/api/v1/finance/rosters/r1/lines.csv", "disbursement", Scope.finance),
        ("/api/v1/province/recipients", "casework", Scope.province),
        ("/api/v1/province/warnings", "intake", Scope.province),
    ],
)
def test_resolve_picks_the_most_specific_prefix(path: str, service: str, scope: Scope | None) -> None:
    route = resolve(path)
    assert route is not None
    assert (route.service, route.scope) == (service, scope)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/province/recipientsX",
        "/api/v1/complaintsX",
        "/api/v1/province/",
        "/api/v1/intake",
        "/api/v1/unknown/x",
        "/api/v1/hotline/../intake/diagnostics/whoami",
        "/api/v1/intake/./x",
        "/healthz",
    ],
)
def test_resolve_refuses_unrouted_and_dot_segment_paths(path: str) -> None:
    assert resolve(path) is None


def test_matching_feeds_is_not_reachable_as_a_staff_route() -> None:
    staff = Principal("u1", PrincipalKind.staff, "u", "14", roles=frozenset({"county_officer"}))
    route = resolve("/api/v1/matching/feeds")
    assert route is not None
    with pytest.raises(Forbidden) as refused:
        route.authorise(staff)
    assert refused.value.instance_code == "scope_required"


def test_every_partner_scope_has_a_route() -> None:
    assert {r.scope for r in ROUTES if r.scope is not None} == set(Scope)
