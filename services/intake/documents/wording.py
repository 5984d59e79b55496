"""What intake's notices say: pure functions from an application's facts to a printable `Document`.

受理通知书 tells the applicant the application was accepted, the time limit the law sets and its due date, and what
happens next; 一次性告知书 lists, in writing and once, every proof still owed (seed 004 二(四): "以书面形式将证明义务、
证明内容等一次性告知申请人"), so nothing is asked for a second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from libs.contracts.ledger_words import program_name
from libs.documents.layout import Document, Section, Table
from libs.documents.wording import chinese_date


class NoticeKind(StrEnum):
    ACCEPTANCE = "acceptance"  # 受理通知书
    SUPPLEMENT = "supplement"  # 一次性告知书


# The word of intake's notice numbers (平遥民受〔2026〕第000001号).
NUMBER_WORD = "民受"
COMPLAINT_LINE = "如有疑问或投诉举报，可拨打“12345”政务服务便民热线，或向乡镇（街道）、县级民政部门反映。"


@dataclass(frozen=True)
class Missing:
    item: str
    note: str


@dataclass(frozen=True)
class ApplicationFacts:
    """What a notice needs of an application, as its detail view shows it."""

    application_no: str
    program: str
    applicant: str
    address: str  # the region path by name: 平遥县古陶镇东关村
    county_name: str
    township_name: str
    member_count: int
    submitted_on: dt.date | None
    accepted_on: dt.date | None = None
    time_limit_days: int | None = None
    due_date: dt.date | None = None
    emergency: bool = False
    returned_on: dt.date | None = None
    missing: tuple[Missing, ...] = ()


def issuer(facts: ApplicationFacts) -> str:
    """The township (street) that accepts applications issues the notices: 古陶镇人民政府, 东城街道办事处."""
    if facts.township_name.endswith("街道"):
        return f"{facts.township_name}办事处"
    return f"{facts.township_name}人民政府"


def title_of(kind: NoticeKind, facts: ApplicationFacts) -> str:
    word = "受理通知书" if kind is NoticeKind.ACCEPTANCE else "申请材料一次性告知书"
    return f"{program_name(facts.program)}{word}"


def _applied(facts: ApplicationFacts) -> str:
    when = f"于{chinese_date(facts.submitted_on)}" if facts.submitted_on else ""
    return (
        f"你（户）居住在{facts.address}，{when}提出{program_name(facts.program)}申请"
        f"（申请编号{facts.application_no}，家庭人口{facts.member_count}人）"
    )


def _notice(
    kind: NoticeKind, facts: ApplicationFacts, number: str, issued_on: dt.date, sections: tuple[Section, ...]
) -> Document:
    """A notice of `kind` from the township to the applicant, signed by the clerk and received by the applicant,
    ending with where to ask or complain."""
    return Document(
        title=title_of(kind, facts),
        number=number,
        issued_on=issued_on,
        issuer=issuer(facts),
        addressee=facts.applicant,
        sections=sections,
        signatures=("经办人（签字）", "申请人（签收）"),
        notes=(COMPLAINT_LINE,),
    )


def acceptance_document(facts: ApplicationFacts, number: str) -> Document:
    assert facts.accepted_on is not None
    assert facts.due_date is not None
    name = program_name(facts.program)
    limit = f"{facts.time_limit_days}个工作日" if facts.time_limit_days else "规定时限"
    path = "急难型临时救助" if facts.emergency else name
    rows = (
        ("申请人", facts.applicant),
        ("申请编号", facts.application_no),
        ("申请项目", name),
        ("受理日期", chinese_date(facts.accepted_on)),
        ("办理时限", f"自受理之日起{limit}"),
        ("办结期限", f"{chinese_date(facts.due_date)}前"),
    )
    return _notice(
        NoticeKind.ACCEPTANCE,
        facts,
        number,
        facts.accepted_on,
        (
            Section(
                f"{_applied(facts)}，申请材料齐全，符合法定形式，本机关决定予以受理。",
                Table(("事项", "内容"), rows, (3, 7)),
            ),
            Section(
                f"受理后，将依法对你（户）的家庭经济状况进行调查核实（入户调查、信息核对），"
                f"经民主评议、审核和公示后，由县级民政部门在{chinese_date(facts.due_date)}前作出{path}审核确认决定，"
                "并书面告知结果。特殊情况需要延长的，将书面告知延长的理由和期限。",
                heading="后续办理",
            ),
            Section(
                "调查核实期间，请配合入户调查，如实提供家庭人口、收入、财产等情况；"
                "家庭情况发生变化的，请及时告知。隐瞒或者虚报的，将依法处理。"
            ),
        ),
    )


def supplement_document(facts: ApplicationFacts, number: str) -> Document:
    assert facts.returned_on is not None
    items = Table(
        header=("序号", "需补充的证明材料", "说明"),
        rows=tuple((str(i), m.item, m.note or "") for i, m in enumerate(facts.missing, start=1)),
        widths=(1, 5, 4),
    )
    return _notice(
        NoticeKind.SUPPLEMENT,
        facts,
        number,
        facts.returned_on,
        (
            Section(
                f"{_applied(facts)}。经审查，申请材料不齐全。根据规定，现将你（户）的证明义务和需补充的"
                f"证明内容一次性书面告知如下（共{len(facts.missing)}项）：",
                items,
            ),
            Section(
                "请按上述要求补齐材料后重新提交申请；补齐后即予受理，不再要求提供本告知书以外的证明材料。"
                "申请人也可以书面承诺已经符合告知的相关要求，不再提供有关证明，由本机关直接开展家庭经济状况调查核实。",
                heading="证明义务",
            ),
        ),
    )
