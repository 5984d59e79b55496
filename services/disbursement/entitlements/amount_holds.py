"""Amounts above their program's ceiling, held back from rosters (issue 17, libs.contracts.programs).

Every entry of an amount now refuses one no program could pay; a row stored before that (an import of
"999999999999999.99") made every later roster of its county fail, since its totals overflowed. Such an entitlement is
held instead: a hold of kind `amount` with its reason, counted in the roster's `held` and listed with the county's
holds, while the rest of the county is paid. It ends when casework sends an amount the program can pay.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.money import Money
from libs.contracts.programs import MONTHLY_CEILING_FEN, PROGRAM_NAMES, Program
from services.disbursement.context import Disbursement
from services.disbursement.entitlements import holds
from services.disbursement.entitlements.models import HoldKind

SYSTEM = "disbursement"

# Per household and program: the highest monthly amount the ledger would pay and whether it is above the ceiling.
_AMOUNTS = """
    SELECT e.household_id, e.county_code, e.program, max(s.due_fen) AS fen,
           bool_or(s.due_fen > c.ceiling_fen) AS above
      FROM disbursement.entitlements e
      JOIN disbursement.schedule_segments s ON s.entitlement_id = e.entitlement_id
      JOIN unnest(CAST(:programs AS text[]), CAST(:ceilings AS bigint[])) AS c(program, ceiling_fen)
        ON c.program = e.program
     WHERE {where}
     GROUP BY e.household_id, e.county_code, e.program
"""
# Checked before every roster of the county: grouping its million entitlements to find the few above their ceiling
# took seconds. The segments above the lowest ceiling are few (a seq scan, no grouping); only their households'
# entitlements of that program are then grouped as `_AMOUNTS` groups them.
_IN_COUNTY = text(
    """
    WITH above AS MATERIALIZED (
        SELECT DISTINCT e.household_id, e.program
          FROM disbursement.schedule_segments s
          JOIN disbursement.entitlements e ON e.entitlement_id = s.entitlement_id
          JOIN unnest(CAST(:programs AS text[]), CAST(:ceilings AS bigint[])) AS c(program, ceiling_fen)
            ON c.program = e.program
         WHERE s.due_fen > :lowest AND s.due_fen > c.ceiling_fen AND e.county_code = :county
    )
    SELECT e.household_id, e.county_code, e.program, max(s.due_fen) AS fen,
           bool_or(s.due_fen > c.ceiling_fen) AS above
      FROM above a
      JOIN disbursement.entitlements e
        ON e.household_id = a.household_id AND e.program = a.program AND e.county_code = :county
      JOIN disbursement.schedule_segments s ON s.entitlement_id = e.entitlement_id
      JOIN unnest(CAST(:programs AS text[]), CAST(:ceilings AS bigint[])) AS c(program, ceiling_fen)
        ON c.program = e.program
     GROUP BY e.household_id, e.county_code, e.program
    """
)
_OF_HOUSEHOLD = text(_AMOUNTS.format(where="e.household_id = :household_id"))


def _ceilings() -> dict[str, list[str] | list[int]]:
    return {"programs": [p.value for p in MONTHLY_CEILING_FEN], "ceilings": list(MONTHLY_CEILING_FEN.values())}


def _reason(program: Program, fen: int) -> str:
    ceiling = Money.from_fen(MONTHLY_CEILING_FEN[program])
    # The figure is shown as stored: it may be too large even for an amount's usual form.
    return (
        f"金额超出上限 amount above the ceiling: the ledger pays {fen} fen a month under {program.value} "
        f"({PROGRAM_NAMES[program]}), which pays a household at most {ceiling}; casework must decide it again"
    )


async def hold_county(session: AsyncSession, ctx: Disbursement, county: str) -> int:
    """Hold every entitlement of `county` whose amount is above its ceiling; the number of holds placed now."""
    placed = 0
    # The lowest ceiling is bound as a constant, so the planner sees from its statistics how few segments pass it.
    params = {"county": county, "lowest": min(MONTHLY_CEILING_FEN.values()), **_ceilings()}
    for row in (await session.execute(_IN_COUNTY, params)).all():
        placed += await _hold(session, ctx, row.household_id, row.county_code, Program(row.program), int(row.fen))
    return placed


async def match_household(session: AsyncSession, ctx: Disbursement, household_id: str) -> None:
    """After the household's months were recomputed: held where an amount is above its ceiling, released where
    casework has since sent one its program can pay."""
    rows = (await session.execute(_OF_HOUSEHOLD, {"household_id": household_id, **_ceilings()})).all()
    above = {row.program for row in rows if row.above}
    for row in rows:
        if row.above:
            await _hold(session, ctx, row.household_id, row.county_code, Program(row.program), int(row.fen))
    for hold in await holds.active(session, household_id, HoldKind.AMOUNT):
        if hold.program not in above:
            await holds.release(session, ctx, hold, by=SYSTEM, reason="casework sent an amount the program can pay")


async def _hold(
    session: AsyncSession, ctx: Disbursement, household_id: str, county: str, program: Program, fen: int
) -> int:
    if any(h.program == program.value for h in await holds.active(session, household_id, HoldKind.AMOUNT)):
        return 0
    await holds.ensure(
        session,
        ctx,
        household_id=household_id,
        county_code=county,
        kind=HoldKind.AMOUNT,
        reason=_reason(program, fen),
        by=SYSTEM,
        program=program.value,
    )
    return 1
