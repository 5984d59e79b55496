"""Local complaint figures as the API shows them."""

from __future__ import annotations

from dataclasses import asdict

from services.complaints.local_figures.figures import PolicyFigures
from services.complaints.local_figures.models import ComplaintPolicy
from services.complaints.local_figures.schemas import PolicyOut


def policy_out(p: ComplaintPolicy) -> PolicyOut:
    return PolicyOut(
        policy_id=p.id,
        region_prefix=p.region_prefix,
        effective_from=p.effective_from,
        **asdict(PolicyFigures.read(p)),
        created_by=p.created_by,
        created_at=p.created_at,
    )
