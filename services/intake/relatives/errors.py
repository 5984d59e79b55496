"""The one refusal of recusal (`libs.modules.relatives_register`): applications and leads answer with it alike, and
document it with the other refusals every staff step of theirs may meet."""

from libs.kernel.errors import OutsideJurisdiction, RoleRequired
from libs.modules.relatives_register import RecusalRequired

__all__ = ["STAFF_REFUSALS", "RecusalRequired"]

# What a step on an application or a lead may be refused with before its own rules: the wrong role, a region outside
# the jurisdiction, or a close relative of the household who must recuse. Their routes document these three first.
STAFF_REFUSALS = (RoleRequired, OutsideJurisdiction, RecusalRequired)
