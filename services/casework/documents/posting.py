"""The village posting sheet on paper (公示, issue 22): what `GET /postings/{village}` shows, set on A4 to be put up
in the village, with the posting period and where to object, numbered and kept.

The sheet shows only what a posting may (DOMAIN.md §11): masked names, household size, program, amount; never an
identity number, an illness or a child's allowance, since it is built from the posting view, which leaves those out.
A sheet is the posting as it stood: its version is a digest of its lines and period, so a reprint of an unchanged
posting is the kept file, and a posting that changed (a new proposal in publicity) prints a new sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.money import Money
from libs.contracts.programs import NEVER_PUBLISHED
from libs.documents.layout import Document, Section, Table
from libs.documents.wording import chinese_date, yuan
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.document_archive import KeptDocument, Wanted
from libs.kernel.region_names import names_for
from services.casework.case import repository, views
from services.casework.case.schemas import PostingItem
from services.casework.context import Casework
from services.casework.db import tables
from services.casework.documents.errors import PostingEmpty
from services.casework.documents.printing import kept_or_printed
from services.casework.documents.wording import program_name
from services.casework.registry import repository as registry
from services.casework.registry.state import load_states

KIND = "posting"
# The word of a posting sheet's number (平遥民公〔2026〕第000001号); it shares casework's county sequence.
NUMBER_WORD = "民公"
_STAGES = {"proposed": "拟批准", "continuing": "复核继续享受", "recipient": "在保对象"}
OBJECTION = (
    "对公示对象有异议的，可在公示期内以书面、电话或当面等方式向村（居）民委员会、乡镇人民政府（街道办事处）"
    "或县级民政部门实名反映，也可拨打“12345”政务服务便民热线。我们将依法保护反映人的个人信息。"
)


@dataclass(frozen=True)
class PostingFacts:
    village_path: str  # 平遥县古陶镇东关村
    village_name: str
    township_name: str
    county_name: str
    items: tuple[PostingItem, ...]
    starts_on: dt.date | None
    ends_on: dt.date | None

    def digest(self) -> str:
        lines = [i.model_dump(mode="json") for i in self.items]
        period = [str(self.starts_on), str(self.ends_on)]
        return hashlib.sha256(json.dumps([lines, period], ensure_ascii=False).encode()).hexdigest()


def _issuer(township: str) -> str:
    return f"{township}办事处" if township.endswith("街道") else f"{township}人民政府"


def posting_document(facts: PostingFacts, number: str, issued_on: dt.date) -> Document:
    rows = tuple(
        (
            str(n),
            item.name_masked,
            f"{item.household_size}人",
            program_name(item.program),
            yuan(Money.from_str(item.monthly_amount).fen),
            _STAGES.get(item.stage, item.stage),
        )
        for n, item in enumerate(facts.items, start=1)
    )
    table = Table(("序号", "户主姓名", "家庭人口", "救助项目", "每月金额", "类别"), rows, (1, 2, 2, 4, 3, 3))
    if facts.starts_on and facts.ends_on:
        period = f"公示期：{chinese_date(facts.starts_on)}至{chinese_date(facts.ends_on)}。"
    else:
        period = "本公示为在保对象长期公示。"
    return Document(
        title=f"{facts.village_name}社会救助对象公示",
        number=number,
        issued_on=issued_on,
        issuer=_issuer(facts.township_name),
        sections=(
            Section(
                f"根据社会救助审核确认有关规定，现将{facts.village_path}拟批准及在保的社会救助对象予以公示"
                f"（共{len(rows)}户），接受群众监督。{period}",
                table,
            ),
            Section(OBJECTION, heading="异议渠道"),
        ),
        signatures=("村（居）民委员会（盖章）", "张贴人（签字）"),
        notes=("本公示不公开身份证号码、疾病等个人隐私信息，孤儿、艾滋病病毒感染儿童等不予公示。",),
    )


async def _facts(session: AsyncSession, ctx: Casework, village: str) -> PostingFacts:
    proposals = await repository.in_publicity(session, village)
    households = await load_states(session, ctx, await registry.active_in_village(session, village), details=False)
    shown = views.posting(village, business_date(ctx.now()), proposals, households)
    published = [c for c in proposals if c.program not in NEVER_PUBLISHED]
    starts = [c.publicity_started_on for c in published if c.publicity_started_on]
    ends = [c.publicity_ends_on for c in published if c.publicity_ends_on]
    names = await names_for(session, tables.region_names, [village])
    return PostingFacts(
        village_path=names.path(village),
        village_name=names.name(village),
        township_name=names.name(village[:9]),
        county_name=names.name(village[:6]),
        items=tuple(shown.items),
        starts_on=min(starts) if starts else None,
        ends_on=max(ends) if ends else None,
    )


async def print_posting(session: AsyncSession, ctx: Casework, who: Principal, village: str) -> KeptDocument:
    """The village's posting sheet as it stands: the kept one when nothing changed since it was printed."""
    ensure_jurisdiction(who, village)
    facts = await _facts(session, ctx, village)
    if not facts.items:
        raise PostingEmpty(f"Nothing is posted in village {village}")
    today = business_date(ctx.now())
    wanted = Wanted(
        kind=KIND,
        subject_id=village,
        source_key=facts.digest(),
        region_code=village,
        household_id=None,
        issued_on=today,
        created_by=who.subject,
    )
    return await kept_or_printed(
        session, wanted, facts.county_name, NUMBER_WORD, lambda number: posting_document(facts, number, today)
    )
