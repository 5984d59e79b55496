"""Who may do what in complaints (DOMAIN.md §1, §6): villages, townships and counties log items from letters,
visits and calls; townships investigate and answer in their area, counties everywhere in theirs; cities read and
watch the overdue list; the hotline platform posts work orders and reads results."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope, StaffRole
from libs.kernel import roles
from libs.kernel.auth import Principal, require_roles, require_scope

# Villages log items but do not read the ledger: a report is often about village cadres, and the informant must stay
# unknown to them (seed 002).
Reader = Annotated[
    Principal,
    Depends(require_roles(StaffRole.township_officer, StaffRole.county_officer, StaffRole.city_supervisor)),
]
Entrant = roles.FrontLine
Handler = roles.Officer
# The county answers for its area (DOMAIN.md §1): it routes items between townships and sets local figures.
County = roles.CountyOfficer
Admin = roles.SystemAdmin
Hotline = Annotated[Principal, Depends(require_scope(Scope.hotline))]
