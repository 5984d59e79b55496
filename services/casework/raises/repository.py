"""The entitlements a standard raise reaches, with the facts their cases decided on, in few queries: one streamed
query for a county's preview, one per chunk for a confirmed batch (never one query per household)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Select, Text, any_, case, distinct, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.programs import Program
from services.casework.case import content as case_content
from services.casework.case.models import Case, CaseInvestigation
from services.casework.context import Casework
from services.casework.raises.policy import Held
from services.casework.registry.models import Entitlement, Household, HouseholdMember, HouseholdStatus

# Rows decrypted and calculated per round trip of the streamed preview.
STREAM_ROWS = 2000


def _in_scope(county_code: str, month: str) -> tuple[ColumnElement[bool], ...]:
    # Active entitlements of active households of the county. Gradual exits run down a fixed schedule of the last
    # amount (seed 004 §5) and temporary assistance is paid once: a raise changes neither.
    return (
        Household.region_code.startswith(county_code, autoescape=True),
        Household.status == HouseholdStatus.ACTIVE,
        Entitlement.status == EntitlementStatus.ACTIVE,
        Entitlement.program != Program.TEMPORARY,
        or_(Entitlement.effective_to.is_(None), Entitlement.effective_to >= month),
    )


def _held_query(county_code: str, month: str) -> Select[Any]:
    latest_investigation = (
        select(CaseInvestigation.content_sealed)
        .where(CaseInvestigation.case_id == Case.id)
        .order_by(CaseInvestigation.round.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    # Counted only where there is no case to read the members from (an imported household): CASE evaluates it there.
    members = (
        select(func.count())
        .where(HouseholdMember.household_id == Household.id, HouseholdMember.left_at.is_(None))
        .correlate(Household)
        .scalar_subquery()
    )
    return (
        select(
            Entitlement.id,
            Entitlement.household_id,
            Household.region_code,
            Entitlement.program,
            Entitlement.monthly_amount_fen,
            Case.content_sealed,
            latest_investigation,
            case((Case.content_sealed.is_(None), members), else_=0),
        )
        .select_from(Entitlement)
        .join(Household, Household.id == Entitlement.household_id)
        .outerjoin(Case, Case.id == Entitlement.case_id)
        .where(*_in_scope(county_code, month))
    )


def held_of(ctx: Casework, row: Sequence[Any]) -> Held:
    """One row of `_held_query` as the policy reads it: the case's facts rebuilt as its decision built them."""
    entitlement_id, household_id, region_code, program, amount, content_sealed, investigation_sealed, members = row
    program = Program(program)
    facts = None
    if content_sealed is not None:
        content = case_content.CaseContent.open(ctx, content_sealed)
        investigation = case_content.open_investigation(ctx, investigation_sealed) if investigation_sealed else None
        proposal = content.proposal or case_content.SealedProposal()
        try:
            facts = case_content.benefit_input(
                content,
                investigation,
                program,
                leaving=frozenset(m.id_number for m in proposal.members_removed),
                beneficiary_id_number=proposal.beneficiary_id_number,
            )
        except ValueError:
            # Facts the calculation refuses (no member left, say): a review looks at the household by hand.
            facts = None
    return Held(entitlement_id, household_id, region_code, program, int(amount), facts, int(members))


async def stream_held(session: AsyncSession, ctx: Casework, county_code: str, month: str) -> AsyncIterator[Held]:
    """Every entitlement in scope, streamed with a server-side cursor."""
    stmt = _held_query(county_code, month).execution_options(yield_per=STREAM_ROWS)
    result = await session.stream(stmt)
    async for rows in result.partitions():
        for row in rows:
            yield held_of(ctx, row)


async def held_of_households(
    session: AsyncSession, ctx: Casework, county_code: str, month: str, household_ids: Sequence[str]
) -> list[Held]:
    # The ids as one array parameter: a parameter each (`IN`) costs more to render than the query takes to run.
    ids = literal(list(household_ids), ARRAY(Text))
    stmt = _held_query(county_code, month).where(Entitlement.household_id == any_(ids))
    return [held_of(ctx, row) for row in (await session.execute(stmt)).all()]


async def households_after(
    session: AsyncSession, county_code: str, month: str, after: str | None, limit: int
) -> list[str]:
    """The next `limit` households in scope in id order after `after` (a batch's cursor): read along the households'
    primary key from the cursor on, so each chunk costs the same however far the batch has gone."""
    household_scope, entitlement_scope = _in_scope(county_code, month)[:2], _in_scope(county_code, month)[2:]
    has_one = select(Entitlement.id).where(Entitlement.household_id == Household.id, *entitlement_scope).exists()
    stmt = select(Household.id).where(*household_scope, has_one).order_by(Household.id).limit(limit)
    if after is not None:
        stmt = stmt.where(Household.id > after)
    return list((await session.scalars(stmt)).all())


async def households_in_scope(session: AsyncSession, county_code: str, month: str) -> int:
    stmt = (
        select(func.count(distinct(Entitlement.household_id)))
        .join(Household, Household.id == Entitlement.household_id)
        .where(*_in_scope(county_code, month))
    )
    return int(await session.scalar(stmt) or 0)
