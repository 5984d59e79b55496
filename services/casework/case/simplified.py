"""The simplified review of an annual campaign (seed 001 三(五) "可简化复核程序 … 缩减为确认一榜公示", issue 21).

A review opened by a simplified campaign may be investigated by a desk check (`simplified: true`: the officers check
the household's file and the registry data, no home visit) as long as nothing changed: only `continued` may be
proposed on it, and that proposal goes to the confirmation posting. Any other outcome needs a home investigation, as
in the normal procedure (return the case to investigation and record one). A household that objected to its posting
is visited: after an objection the desk check is refused.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseOutcome
from services.casework.case.errors import HomeVisitRequired, SimplifiedReviewNotAllowed
from services.casework.case.models import Case, CaseHistory
from services.casework.case.rules import Action, CaseStatus
from services.casework.case.schemas import InvestigationIn


async def ensure_desk_check_allowed(session: AsyncSession, case: Case, body: InvestigationIn) -> None:
    """422 `simplified_review_not_allowed` for a desk check outside a simplified campaign or after an objection."""
    if not body.simplified:
        return
    if not case.simplified_review:
        raise SimplifiedReviewNotAllowed(
            "A desk check replaces the home visit only in a simplified annual review campaign",
            errors=[{"loc": ["body", "simplified"], "msg": "not a review of a simplified campaign"}],
        )
    objected = await session.scalar(
        select(func.count()).where(CaseHistory.case_id == case.id, CaseHistory.action == Action.OBJECT)
    )
    if objected:
        raise SimplifiedReviewNotAllowed(
            "An objection was raised to this household's posting: investigate it with a home visit",
            errors=[{"loc": ["body", "simplified"], "msg": "objected: a home visit is needed"}],
        )


def ensure_visit_for(investigation: InvestigationIn | None, outcome: CaseOutcome) -> None:
    """422 `home_visit_required` for anything but `continued` on a desk check alone."""
    if investigation is not None and investigation.simplified and outcome is not CaseOutcome.CONTINUED:
        raise HomeVisitRequired(
            f"A desk check supports continuing only; to propose {outcome.value}, return the case and record a "
            "home investigation",
            errors=[{"loc": ["body", "outcome"], "msg": "a home investigation is needed for this outcome"}],
        )


def posted_for_confirmation(case: Case) -> bool:
    """A continuing household in publicity is on the confirmation posting (一榜公示), not a proposal's."""
    return case.status == CaseStatus.PUBLICITY and case.proposed_outcome == CaseOutcome.CONTINUED
