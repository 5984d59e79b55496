"""Use cases of the monthly village dynamic report (DOMAIN.md §4, seed 001 §三(二)): filing with its triggered
reviews, the township's forwarding, and the lists of missing and late reports. Never commits.

A report is filed once per village and month (corrections go through the cases it opened). Every entry with a
change opens a triggered review of its household (DOMAIN.md §4: "a household change reported by the village").
The detail text may name an illness, so it is stored sealed (DOMAIN.md §11).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.period import Period
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.context import seal_context
from libs.kernel.presenters import from_row
from services.casework.case.opening import open_triggered
from services.casework.case.schemas import Trigger
from services.casework.context import Casework
from services.casework.local_figures.repository import standards_in_area, standards_in_force
from services.casework.registry.models import Household, HouseholdStatus
from services.casework.reports import rules
from services.casework.reports.errors import PROBLEMS, ReportExists, ReportNotFound
from services.casework.reports.models import VillageReport, VillageReportEntry
from services.casework.reports.schemas import (
    EntryOut,
    ForwardIn,
    ForwardOut,
    LateReport,
    MissingVillage,
    OverdueOut,
    ReportIn,
    ReportOut,
    ReportSummary,
)
from services.casework.reports.views import report_out, report_summary

DETAIL_CONTEXT = seal_context("casework", "village-report-detail")


def raise_violations(violations: Sequence[rules.Violation]) -> None:
    """422 naming every violation; the missing households are also listed by id."""
    if not violations:
        return
    first = violations[0]
    problem = PROBLEMS[first.code](
        first.msg,
        errors=[{"loc": list(v.loc), "msg": v.msg, "code": v.code} for v in violations],
    )
    missing = [v.ref for v in violations if v.code == "households_missing"]
    if missing:
        problem.extra["households_missing"] = missing
    raise problem


async def _active_households(session: AsyncSession, village_code: str) -> list[str]:
    stmt = (
        select(Household.id)
        .where(Household.region_code == village_code, Household.status == HouseholdStatus.ACTIVE.value)
        .order_by(Household.id)
    )
    return list((await session.scalars(stmt)).all())


async def _filed(session: AsyncSession, village_code: str, period: str) -> bool:
    stmt = select(VillageReport.id).where(VillageReport.village_code == village_code, VillageReport.period == period)
    return (await session.scalar(stmt)) is not None


def _already_filed(village_code: str, period: str) -> ReportExists:
    return ReportExists(
        f"{village_code} has already filed its report for {period}; corrections go through its cases",
    )


async def file_report(
    session: AsyncSession, ctx: Casework, principal: Principal, village_code: str, period: str, body: ReportIn
) -> ReportOut:
    now = ctx.now()
    today = business_date(now)
    parsed, bad = rules.check_target(village_code, period, today)
    raise_violations(bad)
    assert parsed is not None
    ensure_jurisdiction(principal, village_code)
    # A filed month is settled whatever the second filing says: the conflict comes before its content is judged.
    if await _filed(session, village_code, str(parsed)):
        raise _already_filed(village_code, str(parsed))
    raise_violations(rules.check_report(body, await _active_households(session, village_code)))
    # The due day in force when the month began, so a figure changed mid-month does not move this month's deadline.
    due_day = (await standards_in_force(session, village_code, parsed.first_day)).village_report_due_day
    report_id = str(uuid.uuid4())
    # ON CONFLICT: of two filings racing for the same village and month, the second waits and is refused.
    inserted = await session.scalar(
        pg_insert(VillageReport)
        .values(
            id=report_id,
            village_code=village_code,
            period=str(parsed),
            zero_report=body.zero_report,
            late=rules.is_late(parsed, due_day, today),
            filed_by=principal.subject,
            filed_at=now,
        )
        .on_conflict_do_nothing(constraint="uq_village_reports_village_period")
        .returning(VillageReport.id)
    )
    if inserted is None:
        raise _already_filed(village_code, str(parsed))
    for entry in body.entries:
        case_id: str | None = None
        if entry.changes:
            case, _created = await open_triggered(
                session,
                ctx,
                household_id=entry.household_id,
                trigger=Trigger.VILLAGE_REPORT,
                trigger_ref=f"{report_id}:{entry.household_id}",
                summary=rules.case_summary(str(parsed), entry),
                actor=principal.subject,
                # The assistant's own words may name an illness: they go into the sealed case content only.
                detail={
                    "village_report": report_id,
                    "period": str(parsed),
                    "changes": [kind.value for kind in entry.changes],
                    "detail": entry.detail,
                },
            )
            case_id = case.id
        session.add(
            VillageReportEntry(
                report_id=report_id,
                household_id=entry.household_id,
                changes=[kind.value for kind in entry.changes],
                detail=ctx.seal(entry.detail, DETAIL_CONTEXT) if entry.detail else "",
                case_id=case_id,
            )
        )
    await session.flush()
    report = await session.get(VillageReport, report_id)
    assert report is not None
    return await _detail(session, ctx, report)


async def get_report(
    session: AsyncSession, ctx: Casework, principal: Principal, village_code: str, period: str
) -> ReportOut:
    parsed, bad = rules.check_target(village_code, period, business_date(ctx.now()))
    raise_violations(bad)
    ensure_jurisdiction(principal, village_code)
    stmt = select(VillageReport).where(VillageReport.village_code == village_code, VillageReport.period == str(parsed))
    report = await session.scalar(stmt)
    if report is None:
        raise ReportNotFound(f"{village_code} has filed no report for {parsed}")
    return await _detail(session, ctx, report)


async def _detail(session: AsyncSession, ctx: Casework, report: VillageReport) -> ReportOut:
    stmt = select(VillageReportEntry).where(VillageReportEntry.report_id == report.id).order_by(VillageReportEntry.id)
    entries = [
        from_row(EntryOut, e, detail=ctx.open(e.detail, DETAIL_CONTEXT) if e.detail else "")
        for e in (await session.scalars(stmt)).all()
    ]
    period = Period.parse(report.period)
    due_day = (await standards_in_force(session, report.village_code, period.first_day)).village_report_due_day
    return report_out(report, entries, rules.due_date(period, due_day))


@dataclass(frozen=True)
class ReportFilter:
    region_prefix: str
    period: str | None = None


async def search(
    session: AsyncSession, f: ReportFilter, after: tuple[str, str] | None, limit: int
) -> list[ReportSummary]:
    """Filed reports in the area, the latest month first, then by village; `limit + 1` rows for `page_of`."""
    stmt = select(VillageReport).where(VillageReport.village_code.startswith(f.region_prefix, autoescape=True))
    if f.period is not None:
        stmt = stmt.where(VillageReport.period == f.period)
    if after is not None:
        period, village = after
        stmt = stmt.where(
            or_(
                VillageReport.period < period,
                and_(VillageReport.period == period, VillageReport.village_code > village),
            )
        )
    stmt = stmt.order_by(VillageReport.period.desc(), VillageReport.village_code).limit(limit + 1)
    reports = (await session.scalars(stmt)).all()
    changed = func.count().filter(func.cardinality(VillageReportEntry.changes) > 0)
    counts_stmt = (
        select(VillageReportEntry.report_id, func.count(), changed)
        .where(VillageReportEntry.report_id.in_([r.id for r in reports]))
        .group_by(VillageReportEntry.report_id)
    )
    counts = {row[0]: (int(row[1]), int(row[2])) for row in (await session.execute(counts_stmt)).all()}
    return [report_summary(r, *counts.get(r.id, (0, 0))) for r in reports]


async def _villages(session: AsyncSession, prefix: str) -> dict[str, int]:
    """Villages under `prefix` with active recipient households, and how many: the villages that must report."""
    stmt = (
        select(Household.region_code, func.count())
        .where(
            Household.region_code.startswith(prefix, autoescape=True),
            func.length(Household.region_code) == 12,
            Household.status == HouseholdStatus.ACTIVE.value,
        )
        .group_by(Household.region_code)
    )
    return {code: int(n) for code, n in (await session.execute(stmt)).all()}


async def forward(session: AsyncSession, ctx: Casework, principal: Principal, body: ForwardIn) -> ForwardOut:
    """Mark the township's filed reports of the month as passed on to the county (seed 001: by the 25th)."""
    now = ctx.now()
    today = business_date(now)
    bad = rules.check_township(body.township_code, ("body", "township_code"))
    parsed, bad_period = rules.parse_period(body.period, ("body", "period"), today)
    raise_violations(bad + bad_period)
    assert parsed is not None
    ensure_jurisdiction(principal, body.township_code)
    due_day = (await standards_in_force(session, body.township_code, parsed.first_day)).township_report_due_day
    due = rules.due_date(parsed, due_day)
    marked = await session.scalars(
        update(VillageReport)
        .where(
            VillageReport.village_code.startswith(body.township_code, autoescape=True),
            VillageReport.period == str(parsed),
            VillageReport.forwarded_at.is_(None),
        )
        .values(forwarded_at=now, forwarded_by=principal.subject)
        .returning(VillageReport.id)
    )
    forwarded = len(marked.all())
    filed = set(
        (
            await session.scalars(
                select(VillageReport.village_code).where(
                    VillageReport.village_code.startswith(body.township_code, autoescape=True),
                    VillageReport.period == str(parsed),
                )
            )
        ).all()
    )
    missing = sorted(set(await _villages(session, body.township_code)) - filed)
    return ForwardOut(forwarded=forwarded, late=today > due, due_date=due, missing_villages=missing)


async def overdue(
    session: AsyncSession, ctx: Casework, principal: Principal, region_code: str, period: str
) -> OverdueOut:
    """The county's (or township's, or city's) list of missing and late reports of a month (DOMAIN.md §4)."""
    today = business_date(ctx.now())
    bad = rules.check_area(region_code, ("query", "region_code"))
    parsed, bad_period = rules.parse_period(period, ("query", "period"), today)
    raise_violations(bad + bad_period)
    assert parsed is not None
    ensure_jurisdiction(principal, region_code)
    area = await standards_in_area(session, region_code, parsed.first_day)
    villages = await _villages(session, region_code)
    stmt = select(VillageReport).where(
        VillageReport.village_code.startswith(region_code, autoescape=True), VillageReport.period == str(parsed)
    )
    reports = sorted((await session.scalars(stmt)).all(), key=lambda r: r.village_code)
    filed = {r.village_code for r in reports}
    missing = []
    for code in sorted(set(villages) - filed):
        due = rules.due_date(parsed, area.for_region(code).village_report_due_day)
        missing.append(MissingVillage(village_code=code, households=villages[code], due_date=due, overdue=today > due))
    return OverdueOut(
        period=str(parsed),
        due_date=rules.due_date(parsed, area.for_region(region_code).village_report_due_day),
        forward_due_date=rules.due_date(parsed, area.for_region(region_code).township_report_due_day),
        missing=missing,
        late=[LateReport(village_code=r.village_code, filed_at=r.filed_at) for r in reports if r.late],
        not_forwarded=sorted({r.village_code[:9] for r in reports if r.forwarded_at is None}),
    )
