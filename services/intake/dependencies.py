"""Who may do what in intake (DOMAIN.md §1): role checks shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal, require_roles, require_scope

# Village assistants help applicants fill in and file; townships and counties accept; cities only read.
Filer = Annotated[
    Principal,
    Depends(require_roles(StaffRole.village_assistant, StaffRole.township_officer, StaffRole.county_officer)),
]
Officer = Annotated[Principal, Depends(require_roles(StaffRole.township_officer, StaffRole.county_officer))]
County = Annotated[Principal, Depends(require_roles(StaffRole.county_officer))]
Reader = Annotated[
    Principal,
    Depends(
        require_roles(
            StaffRole.village_assistant,
            StaffRole.township_officer,
            StaffRole.county_officer,
            StaffRole.city_supervisor,
        )
    ),
]
Province = Annotated[Principal, Depends(require_scope(Scope.province))]
