"""Principals as the gateway forwards them to a service: staff with a role over a region, partner clients with a
scope."""

from __future__ import annotations

import uuid

from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal, PrincipalKind


def staff(role: StaffRole, region: str, *, subject: str | None = None, name: str | None = None) -> Principal:
    """A staff principal as the gateway forwards it; `name` is the person's real name (display_name)."""
    return Principal(
        subject or f"u-{uuid.uuid4().hex[:8]}",
        PrincipalKind.staff,
        f"{role.value}.{region}",
        region,
        frozenset({role.value}),
        display_name=name or f"{role.value} {region}",
    )


def client(scope: Scope, region: str = "14") -> Principal:
    return Principal(
        f"c-{uuid.uuid4().hex[:8]}",
        PrincipalKind.client,
        f"{scope.value} client",
        region,
        frozenset(),
        frozenset({scope.value}),
    )


def county_officer(region: str) -> Principal:
    """The county officer over the county of `region` (a county, township or village code)."""
    return staff(StaffRole.county_officer, region[:6])


def township_officer(region: str) -> Principal:
    """The township officer over the township of `region` (a township or village code)."""
    return staff(StaffRole.township_officer, region[:9])
