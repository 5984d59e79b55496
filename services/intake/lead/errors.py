"""What the lead endpoints refuse with (codes in `libs.contracts.errors.intake`)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class LeadNotFound(NotFound):
    code = "lead_not_found"


class LeadNotOpen(Conflict):
    code = "lead_not_open"


class RegionOutsideLeadRegion(Unprocessable):
    code = "region_outside_lead_region"


class ReassignedOutsideLeadRegion(RegionOutsideLeadRegion):
    # The same refusal when the lead itself is moved: the request is well formed but the lead's region forbids it,
    # and it has always answered 409 there (partners branch on the code, which stays one).
    status = 409
