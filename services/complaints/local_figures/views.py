"""Local complaint figures as the API shows them."""

from __future__ import annotations

from services.complaints.local_figures.models import ComplaintPolicy
from services.complaints.local_figures.schemas import PolicyOut


def policy_out(p: ComplaintPolicy) -> PolicyOut:
    return PolicyOut.model_validate(p, from_attributes=True)
