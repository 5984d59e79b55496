"""Review dates per program (issue 21): each entitlement's next visit from its region's rule, and the household's.

A household is still visited once per date (the review calendar opens one case per household and date): its date
is the earliest of its programs'. A visit reviews the household as a whole, so a review's decision moves every
visited program on from its effective month (a dibao household of class B with a disability subsidy is visited each
quarter, the subsidy's interval, and its dibao is reviewed at those visits); a new program (an approval, a restored
one) gets its first date and the others keep theirs. Programs the monthly registry check covers, and programs no
longer paid in full (a gradual exit, a stop), have no visit date.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.period import Period
from services.casework.case.review_rules import household_date, review_months, visit_class
from services.casework.local_figures.figures import Standards
from services.casework.registry.models import Entitlement, Household, HouseholdStatus

# A program in these statuses is visited; a gradual exit ends by itself (case/exits.py), a stop is over.
VISITED: frozenset[str] = frozenset({EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED})


async def schedule(
    session: AsyncSession,
    household: Household,
    standards: Standards,
    start: Period,
    *,
    reviewed: str | None = None,
    whole_household: bool = False,
) -> None:
    """Set the next visit, counted from `start`, of each visited program that has none, of `reviewed`, or of every
    one when the `whole_household` was reviewed; then the household's date (the earliest)."""
    await session.flush()
    rows = (await session.scalars(select(Entitlement).where(Entitlement.household_id == household.id))).all()
    for row in rows:
        cls = visit_class(standards, row.program, household.review_class)
        if row.status not in VISITED or cls is None:
            row.next_review_date = None
            continue
        if whole_household or row.next_review_date is None or row.program == reviewed:
            row.next_review_date = (start + review_months(standards, cls)).first_day
    refresh(household, rows)


def refresh(household: Household, rows: Sequence[Entitlement]) -> None:
    """The household's date from its programs' (none for a closed household)."""
    if household.status != HouseholdStatus.ACTIVE:
        household.next_review_date = None
        return
    household.next_review_date = household_date(r.next_review_date for r in rows if r.status in VISITED)


async def refresh_from_rows(session: AsyncSession, household: Household) -> None:
    """The household's date after a program stopped or began to exit (its own date was cleared)."""
    await session.flush()
    rows = (await session.scalars(select(Entitlement).where(Entitlement.household_id == household.id))).all()
    refresh(household, rows)
