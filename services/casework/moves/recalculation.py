"""A moved household's amounts under the figures of the region it moves to (issue 21): recalculated as a standard
raise recalculates them (`raises.policy.recalculate`: from its case's facts, or an imported household's amount moved
by what the figures moved), set from the move's month and published as `entitlement-changed` the way a raise writes
them (`raises.changes.apply_changed`). An amount the new figures cannot recalculate is left as it was, for a review
by hand: a move never stops or cuts a payment on grounds a review has not looked at."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.period import Period
from services.casework.context import Casework
from services.casework.local_figures.repository import standards_in_force
from services.casework.raises.changes import apply_changed
from services.casework.raises.policy import Held, Recalculated, Verdict, recalculate
from services.casework.raises.repository import held_of_households

# Verdicts a review looks at: an amount not recalculated, or a marginal household now below the dibao standard.
_FOR_REVIEW = frozenset({Verdict.REVIEW, Verdict.NEWLY_ELIGIBLE})


async def held_before(
    session: AsyncSession, ctx: Casework, household_id: str, region_code: str, month: Period
) -> list[Held]:
    """The household's entitlements as paid where it lives now (read before its region changes)."""
    return await held_of_households(session, ctx, region_code[:6], str(month), [household_id])


async def recalculate_moved(
    session: AsyncSession, ctx: Casework, held: list[Held], from_region: str, to_region: str, month: Period
) -> list[str]:
    """Write the amounts that change under `to_region`'s figures in force on `month`'s first day; return the programs
    left for a review by hand. Same figures (a move within a county, most often): nothing to recalculate, since
    an amount recalculated under unchanged figures would be a review's business, not the move's."""
    on = month.first_day
    before, after = await standards_in_force(session, from_region, on), await standards_in_force(session, to_region, on)
    if not held or before == after:
        return []
    results = [recalculate(h, after, on, before) for h in held]
    changed: list[Recalculated] = [r for r in results if r.verdict is Verdict.CHANGED]
    await apply_changed(session, ctx, changed, month)
    return sorted({r.held.program.value for r in results if r.verdict in _FOR_REVIEW})
