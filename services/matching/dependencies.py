"""Who may do what in matching (DOMAIN.md §1, §5): townships check hits, counties watch deadlines, admins own rules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope, StaffRole
from libs.kernel import roles
from libs.kernel.auth import Principal, require_roles, require_scope

# Townships confirm or dismiss the hits of their households; a county may too.
Checker = roles.Officer
Reader = roles.Offices
County = Annotated[
    Principal, Depends(require_roles(StaffRole.county_officer, StaffRole.city_supervisor, StaffRole.system_admin))
]
# Rules and schedules are provincial policy.
Admin = roles.SystemAdmin
Feeder = Annotated[Principal, Depends(require_scope(Scope.registry_feed))]
