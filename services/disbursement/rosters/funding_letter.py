"""资金拨付函 on paper (issue 22): the letter that goes with a locked roster to the county's finance bureau, with
the totals by program, numbered and kept with the roster so a reprint is the kept file.

Only a locked roster has a letter: a draft is rebuilt at will and a cancelled one is not funded, so neither may go
to finance on paper. The letter's version is the roster's checksum, fixed by the lock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.programs import PROGRAM_NAMES, Program
from libs.documents.layout import Document, Section, Table
from libs.documents.render import render
from libs.documents.wording import chinese_date, document_number, month_text, yuan
from libs.kernel.auth import Principal
from libs.kernel.document_archive import KeptDocument, Rendered, Wanted, keep_or_render
from libs.kernel.region_names import names_for
from services.disbursement.db import documents, tables
from services.disbursement.rosters import repository
from services.disbursement.rosters.errors import FundingLetterNotAvailable
from services.disbursement.rosters.models import Roster, RosterKind, RosterStatus

KIND = "funding_letter"
# The word of disbursement's document numbers (平遥民拨〔2026〕第000001号).
NUMBER_WORD = "民拨"
# A roster that went to finance or may yet: locked and every state after it, cancelled excepted.
PRINTABLE = frozenset(
    s.value
    for s in (
        RosterStatus.LOCKED,
        RosterStatus.SUBMITTED,
        RosterStatus.PAID,
        RosterStatus.PARTIALLY_FAILED,
        RosterStatus.RECONCILED,
    )
)
_COLUMNS = ("regular", "arrears", "one_off", "recovery", "total")


@dataclass(frozen=True)
class LetterFacts:
    county_name: str
    period: str  # YYYY-MM
    temporary: bool
    line_count: int
    checksum: str
    due_date: dt.date
    locked_on: dt.date
    # Per program: lines and fen by item kind, as the roster keeps them.
    totals: dict[str, dict[str, Any]]


def _program(program: str) -> str:
    try:
        return PROGRAM_NAMES[Program(program)]
    except ValueError:
        return program


def _row(name: str, t: dict[str, Any]) -> tuple[str, ...]:
    lines = int(t.get("lines", 0))
    return (name, f"{lines}", *(yuan(int(t.get(k, 0))) for k in _COLUMNS))


def letter_document(facts: LetterFacts, number: str) -> Document:
    """The letter: to the county's finance bureau, from its civil affairs bureau, the month's totals by program."""
    grand = {k: sum(int(t.get(k, 0)) for t in facts.totals.values()) for k in ("lines", *_COLUMNS)}
    month = month_text(facts.period)
    what = "临时救助资金" if facts.temporary else "社会救助资金"
    rows = (*(_row(_program(p), t) for p, t in sorted(facts.totals.items())), _row("合计", grand))
    table = Table(
        header=("救助项目", "户次", "正常发放", "补发", "一次性补贴", "扣回", "合计"),
        rows=rows,
        widths=(5, 2, 3, 3, 3, 3, 3),
    )
    return Document(
        title=f"关于拨付{month}{what}的函",
        number=number,
        issued_on=facts.locked_on,
        issuer=f"{facts.county_name}民政局",
        addressee=f"{facts.county_name}财政局",
        sections=(
            Section(
                f"经审核，{facts.county_name}{month}{what}发放花名册已锁定，共{facts.line_count}户次，"
                f"合计{yuan(grand['total'])}（其中补发{yuan(grand['arrears'])}，一次性补贴{yuan(grand['one_off'])}，"
                f"扣回{yuan(-grand['recovery'])}）。分项目明细如下：",
                table,
            ),
            Section(
                # The roster's due day is when the roster and this letter reach finance (seed 001 三(四)).
                f"本函随发放花名册于{chinese_date(facts.due_date)}前报送。请审核后按花名册将资金直接拨付至"
                "救助对象账户，确保按时足额发放到位，并及时反馈发放结果。"
            ),
            Section(f"花名册校验值（SHA-256）：{facts.checksum}", heading="附：发放花名册"),
        ),
        notes=("资金拨付函随发放花名册一并报送，花名册内容以校验值为准。",),
    )


async def print_letter(session: AsyncSession, who: Principal, roster_id: str) -> KeptDocument:
    """The roster's funding letter: kept bytes when printed before, identical on every reprint."""
    roster = await repository.county_roster(session, who, roster_id)
    if roster.status not in PRINTABLE or roster.checksum is None or roster.locked_at is None:
        raise FundingLetterNotAvailable(f"Roster {roster.id} is {roster.status}, not locked", status_now=roster.status)
    names = await names_for(session, tables.region_names, [roster.region_code])
    facts = _facts(roster, names.name(roster.region_code[:6]))

    async def rendered(number: str) -> Rendered:
        doc = letter_document(facts, number)
        # Rendering takes a second of CPU: off the event loop.
        return Rendered(doc.title, await asyncio.to_thread(render, doc))

    wanted = Wanted(
        kind=KIND,
        subject_id=roster.id,
        source_key=roster.checksum,
        region_code=roster.region_code,
        household_id=None,
        issued_on=facts.locked_on,
        created_by=who.subject,
    )

    def number_of(sequence: int) -> str:
        return document_number(facts.county_name, NUMBER_WORD, facts.locked_on.year, sequence)

    return await keep_or_render(session, documents, wanted, number_of, rendered)


def _facts(roster: Roster, county_name: str) -> LetterFacts:
    assert roster.checksum is not None
    assert roster.locked_at is not None
    return LetterFacts(
        county_name=county_name,
        period=roster.period.strftime("%Y-%m"),
        temporary=roster.kind == RosterKind.TEMPORARY.value,
        line_count=roster.line_count,
        checksum=roster.checksum,
        due_date=roster.due_date,
        locked_on=business_date(roster.locked_at),
        totals=roster.totals,
    )
