"""Staff API of the registry: households now and as they stood on a past date, and their versions
(`/api/v1/casework/households`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.contracts.id_number import IdNumberStr
from libs.contracts.programs import Program
from libs.contracts.text import NAME_MAX_LENGTH, PersonName
from libs.kernel import ledgers
from libs.kernel.auth import Principal, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.ledgers import WORKBOOK, WholeNumbers, export, whole_numbers
from libs.kernel.pagination import Page, Paging
from libs.kernel.region_names import names_under
from services.casework.context import Casework, CaseworkCtx
from services.casework.db import tables
from services.casework.dependencies import Reader
from services.casework.registry import ledger as roll
from services.casework.registry import repository, views
from services.casework.registry import service as registry
from services.casework.registry.errors import NotYetRegistered
from services.casework.registry.schemas import HouseholdOut, HouseholdSummary, VersionOut
from services.casework.registry.state import load_state, load_states

router = APIRouter(prefix="/api/v1/casework", tags=["households"])

# Exact, after the name rules of entry (invisible characters removed, trimmed, NFC): what was stored is what matches.
MemberName = Annotated[
    PersonName | None,
    Query(
        max_length=NAME_MAX_LENGTH,
        description="The full name of a current member of the household, exactly (e.g. 王建国); surrounding spaces "
        "are ignored. Combines with the other filters and with the cursor.",
    ),
]


@dataclass(frozen=True, slots=True)
class HouseholdQuery:
    """The list's filters, which the roll takes too."""

    region_code: str | None
    person_id_number: str | None
    name: str | None
    status: str | None

    def filter(self, ctx: Casework, who: Principal) -> repository.HouseholdFilter:
        """Inside `who`'s jurisdiction (403 for a region outside it), the person as their keyed hash."""
        return repository.HouseholdFilter(
            region_prefix=jurisdiction_prefix(who, self.region_code),
            status=self.status,
            person_hash=ctx.hash(self.person_id_number) if self.person_id_number is not None else None,
            member_name=self.name,
        )


def household_query(
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    person_id_number: IdNumberStr | None = None,
    name: MemberName = None,
    status: Annotated[str | None, Query(pattern=r"^(active|closed)$")] = None,
) -> HouseholdQuery:
    return HouseholdQuery(region_code, person_id_number, name, status)


Households = Annotated[HouseholdQuery, Depends(household_query)]


@router.get("/households", response_model=Page[HouseholdSummary], responses={403: {}, 422: {}})
async def list_households(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    households: Households,
    page: Paging,
) -> Page[HouseholdSummary]:
    """Households in your jurisdiction, optionally the one(s) a person (by identity number or by full name) belongs
    to now."""
    f = households.filter(ctx, who)
    rows = await repository.search(session, f, page.after(tuple[str]), page.limit)
    states = {s.household_id: s for s in await load_states(session, ctx, rows[: page.limit], details=False)}
    return page.of(rows, key=lambda h: (h.id,), item=lambda h: views.household_summary(h, states[h.id]))


@router.get("/households/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, 403: {}, 422: {}})
async def export_households(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    households: Households,
    program: Program | None = None,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """花名册: the households of the list's filters, one row per household and program (or the one `program`), as an
    Excel ledger with region names; identity and account numbers masked unless a county officer asks for them whole
    (audited)."""
    chosen = households.filter(ctx, who)
    prefix = chosen.region_prefix
    whole = whole_numbers(who, whole)
    f = roll.RollFilter(chosen, program=program.value if program is not None else None)
    names = await names_under(session, tables.region_names, prefix)
    day, sheet = business_date(ctx.now()), roll.sheet(f.program)
    return await export(
        sheet.ledger(ledgers.title(names.path(prefix) if prefix else ledgers.EVERYWHERE, sheet.name, day)),
        roll.pages(session, ctx, f, names, whole=whole),
        file_name=f"{names.path(prefix) if prefix else ''}{sheet.name}{day.isoformat()}",  # the country's: no region
        fallback=f"{sheet.slug}-{prefix}-{day.isoformat()}",
        target=f"{sheet.slug}/{prefix or 'all'}",
        whole=whole,
    )


@router.get("/households/{household_id}", response_model=HouseholdOut, responses={403: {}, 404: {}})
async def get_household(
    household_id: str, session: DbSession, ctx: CaseworkCtx, who: Reader, as_of: CivilDate | None = None
) -> HouseholdOut:
    """The household now, or with `as_of` as it stood at the end of that day (from its kept versions)."""
    household = await repository.visible_household(session, who, household_id)
    if as_of is None:
        return views.household_out(await load_state(session, ctx, household))
    state = await registry.state_as_of(session, ctx, household_id, as_of)
    if state is None:
        raise NotYetRegistered(f"Household {household_id} did not exist on {as_of}")
    return views.household_out(state, as_of)


@router.get("/households/{household_id}/versions", response_model=list[VersionOut], responses={403: {}, 404: {}})
async def versions(household_id: str, session: DbSession, who: Reader) -> list[VersionOut]:
    """Every recorded state of the household: when, what changed, and the case behind it."""
    await repository.visible_household(session, who, household_id)
    return [views.version_out(v) for v in await repository.versions_of(session, household_id)]
