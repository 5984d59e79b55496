"""The age job (issue 21): reviews opened ahead of birthdays that end a children's allowance or reach the region's
high-age allowance age (rules in `age_rules`).

Only members whose birth date can fall in a window are read: one range per age in use (18, and every high-age age a
region sets) under the widest lead time a region may set, through the partial index on current members' birth dates,
a page at a time. Each member is then judged with their own region's figures. A review opens once per person,
program and birthday (the case's unique trigger), so the job may run as often as it likes; a birthday stays in the
window for the whole lead time, so a day or a few without a run lose nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import structlog
from sqlalchemy import Row, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.entitlements import CURRENT
from libs.contracts.id_number import mask_name
from services.casework.case.age_rules import CHILD_END_AGE, AgeFigures, AgeTrigger, Holding, age_triggers, born_between
from services.casework.case.models import Case
from services.casework.case.opening import open_triggered
from services.casework.case.rules import Trigger
from services.casework.context import ID_NUMBER_CONTEXT, Casework
from services.casework.local_figures.figures import Standards, rows_in_force
from services.casework.local_figures.models import StandardFigure
from services.casework.local_figures.schemas import SPECS
from services.casework.registry.models import Entitlement, Household, HouseholdMember, HouseholdStatus

_log = structlog.get_logger("casework.age_reviews")

_AGE_FIGURES = ("elderly_high_age_min_years", "age_review_lead_days")
# A current member whose birthday may be in a window: id, birth date, household, person hash, name, sealed identity
# number, the household's region.
_Candidate = Row[int, dt.date, str, str, str, str, str]
# The candidate ranges use the widest lead a region may set; each member is then held to their region's own.
_WIDEST_LEAD_DAYS = SPECS["age_review_lead_days"].high or 0


class _Figures:
    """The two figures of every region, resolved once per region from one query's rows."""

    def __init__(self, rows: Sequence[StandardFigure]) -> None:
        self.rows = rows
        self._by_region: dict[str, AgeFigures] = {}

    def ages(self) -> set[int]:
        """Every high-age allowance age some region may be using today, and the children's end age."""
        ages = {CHILD_END_AGE, Standards().elderly_high_age_min_years}
        set_by_regions = (r.value for r in self.rows if r.name == "elderly_high_age_min_years")
        return ages | {v for v in set_by_regions if isinstance(v, int)}

    def of(self, region_code: str) -> AgeFigures:
        found = self._by_region.get(region_code)
        if found is None:
            s = Standards.of({n: r.value for n, r in rows_in_force(self.rows, region_code).items()})
            found = self._by_region[region_code] = AgeFigures(s.age_review_lead_days, s.elderly_high_age_min_years)
        return found


async def open_age_reviews(session: AsyncSession, ctx: Casework, *, page: int = 500, limit: int = 2000) -> int:
    """Open the age reviews due today. The run is one transaction, so at most `limit` open in it (a region's first
    run may find a month of birthdays at once); the rest open the next day, still a week or more before the day."""
    today = business_date(ctx.now())
    figure_rows = (
        await session.scalars(
            select(StandardFigure).where(StandardFigure.name.in_(_AGE_FIGURES), StandardFigure.effective_from <= today)
        )
    ).all()
    figures = _Figures(figure_rows)
    ranges = [born_between(today, _WIDEST_LEAD_DAYS, age) for age in sorted(figures.ages())]
    candidates = (
        select(
            HouseholdMember.id,
            HouseholdMember.birth_date,
            HouseholdMember.household_id,
            HouseholdMember.person_hash,
            HouseholdMember.name,
            HouseholdMember.id_number_sealed,
            Household.region_code,
        )
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.left_at.is_(None), Household.status == HouseholdStatus.ACTIVE)
        .order_by(HouseholdMember.birth_date, HouseholdMember.id)
        .limit(page)
    )
    opened = 0
    # One range at a time (a few months of birth dates each, years apart), each read in pages along the index.
    for first, last in ranges:
        after = (first - dt.timedelta(days=1), 0)
        while opened < limit:
            stmt = candidates.where(
                HouseholdMember.birth_date <= last, tuple_(HouseholdMember.birth_date, HouseholdMember.id) > after
            )
            rows = (await session.execute(stmt)).all()
            if rows:
                after = (rows[-1].birth_date, rows[-1].id)
                opened += await _open_for(session, ctx, figures, today, rows, limit - opened)
            if len(rows) < page:
                break
    if opened:
        _log.info("age_reviews.opened", count=opened, on=today.isoformat())
    return opened


async def _open_for(
    session: AsyncSession,
    ctx: Casework,
    figures: _Figures,
    today: dt.date,
    members: Sequence[_Candidate],
    limit: int,
) -> int:
    """The reviews the page's members are due and that no earlier run opened, up to `limit`."""
    holdings: dict[str, list[Holding]] = defaultdict(list)
    current = select(Entitlement.household_id, Entitlement.program, Entitlement.beneficiary_hash).where(
        Entitlement.household_id.in_({m.household_id for m in members}), Entitlement.status.in_(CURRENT)
    )
    for household_id, program, beneficiary_hash in await session.execute(current):
        holdings[household_id].append(Holding(program, beneficiary_hash))
    due: list[tuple[_Candidate, AgeTrigger]] = [
        (m, t)
        for m in members
        for t in age_triggers(m.person_hash, m.birth_date, holdings[m.household_id], today, figures.of(m.region_code))
    ]
    if not due:
        return 0
    refs = [t.ref for _, t in due]
    done = set(
        await session.scalars(select(Case.trigger_ref).where(Case.trigger == Trigger.AGE, Case.trigger_ref.in_(refs)))
    )
    opened = 0
    for member, trigger in due:
        if opened >= limit:
            break
        if trigger.ref in done:
            continue
        _case, created = await open_triggered(
            session,
            ctx,
            household_id=member.household_id,
            trigger=Trigger.AGE,
            trigger_ref=trigger.ref,
            summary=trigger.summary(mask_name(member.name)),
            actor="age-reviews",
            # The sealed content names the member, so the township knows whose allowance to end or add.
            detail={
                "id_number": ctx.open(member.id_number_sealed, ID_NUMBER_CONTEXT),
                "program": trigger.program.value,
                "age": trigger.age,
                "birthday": trigger.birthday.isoformat(),
            },
        )
        opened += created
    return opened
