"""The groups of staff the services let in alike (DOMAIN.md §1): each service's `dependencies.py` names them in its own
words (an intake `Filer` is a complaints `Entrant`), and declares here only what is its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal, require_roles

# Everyone on the county's chain, from the village assistant up to the city supervisor.
AnyStaff = Annotated[
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
# The offices above the village, and the administrators: they read what villages are not shown.
Offices = Annotated[
    Principal,
    Depends(
        require_roles(
            StaffRole.township_officer,
            StaffRole.county_officer,
            StaffRole.city_supervisor,
            StaffRole.system_admin,
        )
    ),
]
# Those who take in an application or an item from a family: villages, townships and counties.
FrontLine = Annotated[
    Principal,
    Depends(require_roles(StaffRole.village_assistant, StaffRole.township_officer, StaffRole.county_officer)),
]
# Township or county civil-affairs officers.
Officer = Annotated[Principal, Depends(require_roles(StaffRole.township_officer, StaffRole.county_officer))]
CountyOfficer = Annotated[Principal, Depends(require_roles(StaffRole.county_officer))]
SystemAdmin = Annotated[Principal, Depends(require_roles(StaffRole.system_admin))]
