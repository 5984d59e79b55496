"""Who may do what in intake (DOMAIN.md §1): role checks shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from libs.contracts.staff import Scope
from libs.kernel import roles
from libs.kernel.auth import Principal, require_scope

# Village assistants help applicants fill in and file; townships and counties accept; cities only read.
Filer = roles.FrontLine
Officer = roles.Officer
County = roles.CountyOfficer
Reader = roles.AnyStaff
Province = Annotated[Principal, Depends(require_scope(Scope.province))]
