"""Recovery orders (追缴台账) as an Excel ledger: the orders of `GET /recoveries` with its filters, newest first, a
keyset page at a time, each page with what its rosters deducted and the payee of each order's entitlement.

The payee's identity number is sealed on the entitlement (ID_NUMBER_CONTEXT); it is opened to be masked, or shown
whole to a county officer who asks (`libs.kernel.ledgers`). An order on a temporary grant has no entitlement here: its
payee cells stay empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from itertools import count

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.ledger_words import RECOVERY_REASONS, RECOVERY_STATUSES, program_name, word
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages, name_cell
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import HOUSEHOLD, PLACE, PROGRAM, SERIAL, Column, Kind, Row, Sheet, day, person
from services.disbursement.context import ID_NUMBER_CONTEXT, Disbursement
from services.disbursement.entitlements.models import Entitlement
from services.disbursement.recoveries import repository
from services.disbursement.recoveries.models import Recovery
from services.disbursement.recoveries.service import outstanding

SHEET = Sheet(
    "追缴台账",
    "recoveries",
    (
        SERIAL,
        Column("追缴编号", width=20),
        *PLACE,
        HOUSEHOLD,
        *person("收款人", named=False),
        PROGRAM,
        Column("追缴原因", width=22),
        Column("涉及月份", width=20),
        Column("应追缴金额（元）", Kind.YUAN, 15),
        Column("已扣回（元）", Kind.YUAN, 13),
        Column("已收回（元）", Kind.YUAN, 13),
        Column("已核销（元）", Kind.YUAN, 13),
        Column("尚欠（元）", Kind.YUAN, 13),
        Column("追缴状态", width=10),
        day("发现日期"),
    ),
)


@dataclass(frozen=True)
class _Payee:
    region_code: str
    name: str
    id_sealed: str


async def pages(
    session: AsyncSession, ctx: Disbursement, where: repository.RecoveryFilter, names: RegionNames, *, whole: bool
) -> AsyncIterator[Sequence[Row]]:
    open_id = ctx.vault.opener(context=ID_NUMBER_CONTEXT)
    serial = count(1)

    async def read(after: tuple[dt.datetime, str] | None) -> list[Recovery]:
        return await repository.recoveries_in(session, where, after=after, limit=PAGE_ROWS)

    async for orders in keyset_pages(read, lambda r: (r.detected_at, r.id)):
        deducted = await repository.deducted(session, [r.id for r in orders])
        stmt = select(
            Entitlement.entitlement_id, Entitlement.region_code, Entitlement.payee_name, Entitlement.payee_id_sealed
        ).where(Entitlement.entitlement_id.in_({r.entitlement_id for r in orders}))
        payees = {
            e.entitlement_id: _Payee(e.region_code, e.payee_name, e.payee_id_sealed)
            for e in await session.execute(stmt)
        }
        page: list[Row] = []
        for r in orders:
            payee = payees.get(r.entitlement_id)
            id_number = open_id(payee.id_sealed) if payee is not None else None
            page.append(_row(next(serial), r, deducted.get(r.id, 0), payee, id_number, names, whole))
        yield page


def _row(
    n: int, r: Recovery, deducted: int, payee: _Payee | None, id_number: str | None, names: RegionNames, whole: bool
) -> Row:
    code = payee.region_code if payee is not None else (r.region_code or r.county_code)
    return (
        n,
        r.id,
        *names.place(code),
        r.household_id,
        name_cell(payee.name, whole) if payee is not None else None,
        id_number_cell(id_number, whole),
        program_name(r.program),
        word(RECOVERY_REASONS, r.reason),
        "、".join(f"{m.year}年{m.month}月" for m in r.months),
        r.amount_fen,
        deducted,
        r.collected_fen,
        r.waived_fen,
        max(outstanding(r, deducted), 0),
        word(RECOVERY_STATUSES, r.status),
        r.detected_at.astimezone(CHINA_TZ).date(),
    )
