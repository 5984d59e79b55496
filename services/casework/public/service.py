"""The public page (信息公开, seed 000 五(一), seed 001 三(七)): per county, the standards in force today, the figures
of how to apply, the complaint line and the standing posting, read by anyone through the gateway's public paths."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.money import Money
from libs.kernel.region_names import RegionNames, names_for
from services.casework.context import Casework
from services.casework.db import tables
from services.casework.local_figures.figures import Standards
from services.casework.local_figures.repository import figure_rows_in_force
from services.casework.local_figures.schemas import api_name
from services.casework.public.errors import CountyNotPublic
from services.casework.public.rules import shown_lines
from services.casework.public.schemas import (
    ApplyInfo,
    PublicCounty,
    PublicCountyName,
    PublicPosting,
    PublicPostingLine,
    PublicStandard,
)
from services.casework.registry.models import Household, HouseholdStatus
from services.casework.registry.state import load_states

# The standards a county publishes (seed 001 三(七) "公布救助标准"), per person and month, in the order of DOMAIN.md §2.
PUBLIC_STANDARDS: tuple[str, ...] = (
    "dibao_standard_fen",
    "tekun_basic_fen",
    "tekun_care_self_fen",
    "tekun_care_partial_fen",
    "tekun_care_full_fen",
    "disability_living_fen",
    "disability_care_grade1_fen",
    "disability_care_grade2_fen",
    "orphan_allowance_fen",
    "hiv_child_allowance_fen",
    "de_facto_orphan_allowance_fen",
    "elderly_high_age_fen",
    "elderly_disabled_fen",
    "tekun_care_subsidy_fen",
)
# Seed 001 三(四): the national limits; a county may be quicker but never slower.
DECISION_WORKING_DAYS = 30
EXTENDED_WORKING_DAYS = 45
# 12345 政务服务便民热线 answers everywhere (seed 001 三(九)).
HOTLINE = "12345"
# Households per page of the posting: a page is one bounded read however large the county.
PAGE_SIZE = 50
# The counties listed on the sign-in page: a deployment serves a city or a province (a province has ~120 counties).
MAX_COUNTIES = 500


async def named_county(session: AsyncSession, county_code: str) -> str:
    """The county's name; a code no administrator named (a township, a typo) has no public page."""
    name = (await names_for(session, tables.region_names, [county_code])).names.get(county_code)
    if not name:
        raise CountyNotPublic(f"No public page for {county_code}")
    return name


async def counties(session: AsyncSession) -> list[PublicCountyName]:
    table = tables.region_names
    rows = await session.execute(
        select(table.c.code, table.c.name)
        .where(func.length(table.c.code) == 6)
        .order_by(table.c.code)
        .limit(MAX_COUNTIES)
    )
    return [PublicCountyName(county_code=str(code), county_name=str(name)) for code, name in rows]


async def county_page(session: AsyncSession, county_code: str, day: dt.date) -> PublicCounty:
    name = await named_county(session, county_code)
    rows = {row.name: row for row in await figure_rows_in_force(session, county_code, day)}
    figures = Standards.of({n: row.value for n, row in rows.items()})
    standards = [
        PublicStandard(
            figure=api_name(figure),
            monthly_amount=Money.from_fen(rows[figure].value).to_str(),
            effective_from=rows[figure].effective_from,
        )
        for figure in PUBLIC_STANDARDS
        if figure in rows and isinstance(rows[figure].value, int)
    ]
    apply = ApplyInfo(
        decision_working_days=DECISION_WORKING_DAYS,
        extended_working_days=EXTENDED_WORKING_DAYS,
        publicity_days=figures.publicity_days,
        emergency_working_days=figures.temporary_emergency_days,
        appeal_days=figures.appeal_days,
        marginal_multiplier_pct=figures.marginal_multiplier_pct,
    )
    return PublicCounty(
        county_code=county_code,
        county_name=name,
        on=day,
        standards=standards,
        apply=apply,
        complaint_line=figures.complaint_line,
        hotline=HOTLINE,
    )


def _place(names: RegionNames, county_name: str, region_code: str) -> str:
    # Township and village, by name: the county is the page's own heading.
    return names.path(region_code).removeprefix(county_name) or names.name(region_code)


async def posting_page(
    session: AsyncSession, ctx: Casework, county_code: str, page: int, day: dt.date
) -> PublicPosting:
    """One page of the county's standing posting: `PAGE_SIZE` recipient households by village, each shown as
    public/rules.py allows (a household not shown takes its place on the page, so pages never shift)."""
    name = await named_county(session, county_code)
    stmt = (
        select(Household)
        .where(Household.region_code.startswith(county_code, autoescape=True))
        .where(Household.status == HouseholdStatus.ACTIVE)
        .order_by(Household.region_code, Household.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    households = list((await session.scalars(stmt)).all())
    has_more = len(households) > PAGE_SIZE
    states = await load_states(session, ctx, households[:PAGE_SIZE], details=False)
    names = await names_for(session, tables.region_names, {s.region_code for s in states})
    items = [
        PublicPostingLine(
            place=_place(names, name, state.region_code),
            name_masked=line.name_masked,
            household_size=line.household_size,
            program=line.program,
            monthly_amount=Money.from_fen(line.monthly_amount_fen).to_str(),
        )
        for state in states
        for line in shown_lines(state, day)
    ]
    return PublicPosting(
        county_code=county_code,
        county_name=name,
        on=day,
        page=page,
        page_size=PAGE_SIZE,
        has_more=has_more,
        items=items,
    )
