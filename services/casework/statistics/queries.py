"""Casework's monthly figures as grouped queries over its own tables (docs/architecture.md, "Statistics").

The registry keeps one row per household and program, changed in place, with the months it covers
(`effective_from`/`effective_to`) and the day it was first granted (`since`); members carry the moments they joined
and left. So a month's households and persons are read from the rows as they stand: a household counts at a month's
end if its program was granted by then and had not stopped by that month (a stop is a row whose `effective_from` is
its first unpaid month; a gradual exit ends after `effective_to`). A later change that rewrites a row (an amount
adjusted, a stop undone on appeal) shows in the months before it as the row now reads: figures of past months are
those of the registry today, as the province's data exchange reads it too.
"""

from __future__ import annotations

from sqlalchemy import and_, func, literal, not_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import EntitlementStatus
from libs.contracts.events.casework import CaseOutcome
from libs.contracts.programs import Program
from libs.modules.figures_tally import Rows, Scope
from services.casework.appeals.models import CaseAppeal as Appeal
from services.casework.case.models import Case
from services.casework.case.rules import CaseKind
from services.casework.db import tables
from services.casework.registry.models import Entitlement, Household, HouseholdMember
from services.casework.reports.models import VillageReport

_STOPPED = EntitlementStatus.STOPPED.value
_EXIT = EntitlementStatus.GRADUAL_EXIT.value
# Enough for a city's hash joins (a million households, their entitlements) to stay in memory, for this transaction.
WORK_MEM = "256MB"


async def program_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Households, persons, new, stopped and monthly amounts by area and program; households of any program.

    Three grouped passes, each into a few groups (areas × programs), never one group per household: a city's million
    households then add up in hash joins held in memory (`work_mem` for this transaction: bench/RESULTS.md)."""
    await session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    month, prev = str(scope.month), str(scope.month.prev())
    last_day = scope.month.last_day
    current = and_(
        Entitlement.since <= last_day,
        not_(and_(Entitlement.status == _STOPPED, Entitlement.effective_from <= month)),
        not_(and_(Entitlement.status == _EXIT, Entitlement.effective_to < month)),
    )
    new = and_(Entitlement.since >= scope.month.first_day, Entitlement.since <= last_day)
    stopped = or_(
        and_(Entitlement.status == _STOPPED, Entitlement.effective_from == month),
        and_(Entitlement.status == _EXIT, Entitlement.effective_to == prev),
    )
    # A person's program (a disability subsidy, an orphan's allowance) names its beneficiary: one person.
    personal = Entitlement.beneficiary_hash.is_not(None)
    area = scope.area(Household.region_code)
    in_region = (scope.within(Household.region_code), Entitlement.program != Program.TEMPORARY.value)
    by_program = (
        select(
            area,
            Entitlement.program,
            func.count().filter(current),
            func.count().filter(current, personal),
            func.count().filter(new),
            func.count().filter(stopped),
            func.coalesce(func.sum(Entitlement.monthly_amount_fen).filter(current), 0),
        )
        .join(Household, Household.id == Entitlement.household_id)
        .where(*in_region)
        .group_by(area, Entitlement.program)
    )
    rows: list[tuple[str, str, int]] = []
    for code, program, households, persons, added, ended, amount in await session.execute(by_program):
        rows += [
            (code, f"households_{program}", households),
            (code, f"persons_{program}", persons),
            (code, f"households_new_{program}", added),
            (code, f"households_stopped_{program}", ended),
            (code, f"amount_fen_{program}", amount),
        ]
        if program == Program.MARGINAL.value:
            rows.append((code, "marginal_households", households))
    # A household's program counts the household's members at the month's end.
    members = (
        select(area, Entitlement.program, func.count())
        .select_from(HouseholdMember)
        .join(Entitlement, Entitlement.household_id == HouseholdMember.household_id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(
            *in_region,
            current,
            not_(personal),
            HouseholdMember.joined_at < scope.end,
            or_(HouseholdMember.left_at.is_(None), HouseholdMember.left_at >= scope.end),
        )
        .group_by(area, Entitlement.program)
    )
    rows += [(code, f"persons_{program}", n) for code, program, n in await session.execute(members)]
    any_program = (
        select(area, literal("households"), func.count(func.distinct(Entitlement.household_id)))
        .join(Household, Household.id == Entitlement.household_id)
        .where(*in_region, current)
        .group_by(area)
    )
    rows += [(c, k, v) for c, k, v in await session.execute(any_program)]
    return rows


async def case_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Reviews due and done, applications decided, appeals filed and decided in the month, by area."""
    area = scope.area(Case.region_code)
    in_month = and_(Case.decided_at >= scope.start, Case.decided_at < scope.end)
    due = and_(Case.due_date >= scope.month.first_day, Case.due_date <= scope.month.last_day)
    periodic = Case.kind == CaseKind.PERIODIC.value
    application = Case.kind == CaseKind.APPLICATION.value
    cases = (
        select(
            area,
            func.count().filter(periodic, due, Case.status != "cancelled"),
            func.count().filter(periodic, in_month),
            func.count().filter(application, in_month, Case.outcome == CaseOutcome.APPROVED.value),
            func.count().filter(application, in_month, Case.outcome == CaseOutcome.REJECTED.value),
        )
        .where(scope.within(Case.region_code), or_(due, in_month))
        .group_by(area)
    )
    rows: list[tuple[str, str, int]] = []
    for code, reviews_due, reviews_done, approved, refused in await session.execute(cases):
        rows += [
            (code, "reviews_due", reviews_due),
            (code, "reviews_done", reviews_done),
            (code, "applications_approved", approved),
            (code, "applications_refused", refused),
        ]
    a_area = scope.area(Appeal.region_code)
    filed = and_(Appeal.filed_at >= scope.start, Appeal.filed_at < scope.end)
    decided = and_(Appeal.decided_at >= scope.start, Appeal.decided_at < scope.end)
    appeals = (
        select(a_area, func.count().filter(filed), func.count().filter(decided))
        .where(scope.within(Appeal.region_code), or_(filed, decided))
        .group_by(a_area)
    )
    for code, n_filed, n_decided in await session.execute(appeals):
        rows += [(code, "appeals_filed", n_filed), (code, "appeals_decided", n_decided)]
    return rows


async def village_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Villages that filed the month's report, of the villages the region has (by the names the service keeps)."""
    names = tables.region_names
    known = (
        select(scope.area(names.c.code), literal("villages_total"), func.count())
        .where(scope.within(names.c.code), func.length(names.c.code) == 12)
        .group_by(scope.area(names.c.code))
    )
    area = scope.area(VillageReport.village_code)
    filed = (
        select(area, literal("villages_reported"), func.count())
        .where(scope.within(VillageReport.village_code), VillageReport.period == str(scope.month))
        .group_by(area)
    )
    return [(c, k, n) for stmt in (known, filed) for c, k, n in await session.execute(stmt)]
