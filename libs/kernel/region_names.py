"""Region names in every service (issue 22): what printed documents, ledgers and figures show instead of codes.

The gateway owns the names (administrators name their counties, townships and villages there, gateway.regions) and
delivers each new name to every service's `PUT /internal/v1/region-names` (gateway.regions.delivery), which keeps it
in the service's own `region_names` table. So a service prints a decision or streams a ledger from its own schema,
without a call back to the gateway, and a name changed later reaches every service in order (the gateway's revision
decides, not the arrival).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal, require_national_admin
from libs.kernel.db import DbSession

# The lengths of the levels of an administrative code: province, city, county, township, village.
LEVELS = (2, 4, 6, 9, 12)
# The levels a printed address names: county, township, village (the province and city are the bureau's own).
PRINTED_LEVELS = (6, 9, 12)
MAX_DELIVERED = 5000


def ancestors(code: str) -> list[str]:
    """The code's own region and every region above it, from the province down."""
    return [code[:n] for n in LEVELS if n <= len(code)]


@dataclass(frozen=True)
class RegionNames:
    """Names by code, as one service knows them; a code nobody named reads as itself, marked, never as a blank."""

    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.names.get(code) or f"未命名区划{code}"

    def place(self, code: str) -> tuple[str, str | None, str | None]:
        """A ledger's three place cells (`libs.kernel.xlsx.PLACE`): the county, township and village of a code, by
        name; a level the code does not reach stays empty."""
        return (
            self.name(code[:6]),
            self.name(code[:9]) if len(code) >= 9 else None,
            self.name(code) if len(code) == 12 else None,
        )

    def path(self, code: str) -> str:
        """The county, township and village of a code, by name ("平遥县古陶镇东关村"); a level nobody named is
        left out, and a code with no named level at all reads as its own name (marked unnamed)."""
        parts = [self.names[c] for c in ancestors(code) if len(c) in PRINTED_LEVELS and c in self.names]
        return "".join(parts) if parts else self.name(code)


async def names_for(session: AsyncSession, table: Table, codes: Iterable[str]) -> RegionNames:
    """The names of the given codes and of every region above them."""
    wanted = sorted({a for code in codes for a in ancestors(code)})
    if not wanted:
        return RegionNames()
    rows = await session.execute(select(table.c.code, table.c.name).where(table.c.code.in_(wanted)))
    return RegionNames({str(code): str(name) for code, name in rows})


async def names_under(session: AsyncSession, table: Table, prefix: str) -> RegionNames:
    """Every name under a jurisdiction prefix, with the regions above it: one read for a whole ledger or report."""
    above = [a for a in ancestors(prefix) if a != prefix] if prefix else []
    rows = await session.execute(
        select(table.c.code, table.c.name).where(
            table.c.code.startswith(prefix, autoescape=True) | table.c.code.in_(above)
        )
    )
    return RegionNames({str(code): str(name) for code, name in rows})


# --- the internal endpoint the gateway delivers to: never proxied (gateway.routes forwards /api/v1/<service>/ only)

RegionCodeText = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$")]
NameText = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class DeliveredName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: RegionCodeText
    name: NameText
    revision: StrictInt = Field(ge=1, le=2**62)


class NameDelivery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[DeliveredName] = Field(max_length=MAX_DELIVERED)


class NamesKept(BaseModel):
    kept: int  # how many names were new or newer than the ones held


# Names are the whole country's reference data: only the gateway, acting as a national administrator, sends them.
_national_admin = require_national_admin(
    "Region names are delivered by the gateway as a system_admin",
    "Region names are delivered by the gateway for the whole country",
)


async def keep_names(session: AsyncSession, table: Table, names: Iterable[DeliveredName]) -> int:
    """Keep each name unless a later revision of it is already held, in one statement; returns how many changed."""
    latest: dict[str, DeliveredName] = {}
    for item in names:  # a code named twice in one delivery: its later revision (one row per code per statement)
        if item.code not in latest or latest[item.code].revision < item.revision:
            latest[item.code] = item
    if not latest:
        return 0
    rows = [{"code": n.code, "name": n.name, "revision": n.revision} for n in latest.values()]
    values = insert(table).values(rows)
    upsert = values.on_conflict_do_update(
        index_elements=[table.c.code],
        set_={"name": values.excluded.name, "revision": values.excluded.revision},
        where=table.c.revision < values.excluded.revision,
    ).returning(table.c.code)
    return len((await session.execute(upsert)).all())


def region_names_router(table: Table) -> APIRouter:
    router = APIRouter(prefix="/internal/v1/region-names", tags=["internal"], include_in_schema=False)

    @router.put("", response_model=NamesKept)
    async def deliver_names(
        body: NameDelivery, session: DbSession, _: Annotated[Principal, Depends(_national_admin)]
    ) -> NamesKept:
        """Keep the gateway's names (a repeat or an older revision changes nothing)."""
        return NamesKept(kept=await keep_names(session, table, body.names))

    return router
