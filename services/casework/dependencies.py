"""Who may do what in casework (DOMAIN.md §1): role checks shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope, StaffRole
from libs.kernel import roles
from libs.kernel.auth import Principal, require_roles, require_scope

Village = Annotated[Principal, Depends(require_roles(StaffRole.village_assistant))]
# Townships investigate and propose; counties confirm (or townships, where the county delegated it).
Officer = roles.Officer
County = roles.CountyOfficer
Reader = roles.AnyStaff
# The county decides (a raise, a review campaign); the city supervises its counties and may look.
CountyOrCity = Annotated[Principal, Depends(require_roles(StaffRole.county_officer, StaffRole.city_supervisor))]
Admin = Annotated[Principal, Depends(require_roles(StaffRole.county_officer, StaffRole.system_admin))]
Province = Annotated[Principal, Depends(require_scope(Scope.province))]
