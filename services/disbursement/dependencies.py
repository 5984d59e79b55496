"""Who may do what in disbursement (DOMAIN.md §1, §9): counties build, lock and submit rosters and handle holds and
recoveries; townships and cities read; bank data unmasked only to county officers (audited) and to finance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query

from libs.contracts.period import PeriodStr
from libs.contracts.staff import Scope, StaffRole
from libs.kernel import roles
from libs.kernel.auth import Principal, require_roles, require_scope

# The parameters every router of disbursement reads the same way.
IdPath = Annotated[str, Path(max_length=64)]
IdQuery = Annotated[str | None, Query(max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")]
PeriodQuery = Annotated[PeriodStr | None, Query(description="A benefit month, YYYY-MM")]

Reader = roles.Offices
# The county civil-affairs bureau prepares the payment (DOMAIN.md §9).
Officer = roles.CountyOfficer
# One-off batches are set for a region by the county, or for a whole city or province by their bureaus.
Policy = Annotated[Principal, Depends(require_roles(StaffRole.county_officer, StaffRole.city_supervisor))]
Finance = Annotated[Principal, Depends(require_scope(Scope.finance))]


_MEANINGS = {
    403: "Outside your jurisdiction, or this action needs another role",
    404: "Not found in your jurisdiction",
    409: "The roster, hold, account warning or recovery order is not in a state that allows it",
    413: "Too many results in one request; split the batch",
    422: "Invalid input; `errors` names each field",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the problem statuses it answers with besides success (RFC 9457 bodies)."""
    return {status: {"description": _MEANINGS[status]} for status in statuses}
