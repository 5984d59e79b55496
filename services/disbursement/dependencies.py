"""Who may do what in disbursement (DOMAIN.md §1, §9): counties build, lock and submit rosters and handle holds and
recoveries; townships and cities read; bank data unmasked only to county officers (audited) and to finance."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal, require_roles, require_scope

Reader = Annotated[
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
# The county civil-affairs bureau prepares the payment (DOMAIN.md §9).
Officer = Annotated[Principal, Depends(require_roles(StaffRole.county_officer))]
# One-off batches are set for a region by the county, or for a whole city or province by their bureaus.
Policy = Annotated[Principal, Depends(require_roles(StaffRole.county_officer, StaffRole.city_supervisor))]
Finance = Annotated[Principal, Depends(require_scope(Scope.finance))]
