"""What casework's documents say: pure functions from a decided case's facts to a printable `Document`.

Titles and sentences follow the notices: 审批决定书 for an approval, 不予批准告知书 with the reasons and the appeal
route, 调整 / 渐退 / 停发告知书 with the old and new amount and the month it applies from, and the 明白卡 a recipient
keeps (amount, how it is calculated, the review date, the complaint line).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.programs import PROGRAM_NAMES, Program
from libs.documents.layout import Document, Section, Table
from libs.documents.wording import chinese_date, month_text, yuan


class DocumentKind(StrEnum):
    DECISION = "decision"  # the decision letter of the case's outcome
    CARD = "card"  # 明白卡


# The word of casework's document numbers (平遥民救〔2026〕第000123号).
NUMBER_WORD = "民救"
# Outcomes after which the household is paid, so a card (明白卡) has an amount to explain.
CARD_OUTCOMES = frozenset({CaseOutcome.APPROVED, CaseOutcome.CONTINUED, CaseOutcome.ADJUSTED, CaseOutcome.GRADUAL_EXIT})

_TITLES: dict[CaseOutcome, str] = {
    CaseOutcome.APPROVED: "审批决定书",
    CaseOutcome.REJECTED: "不予批准告知书",
    CaseOutcome.CONTINUED: "复核结果告知书",
    CaseOutcome.ADJUSTED: "调整告知书",
    CaseOutcome.GRADUAL_EXIT: "渐退告知书",
    CaseOutcome.STOPPED: "停发告知书",
}
# The appeal route every adverse decision prints (行政复议法 第二十条: sixty days; 行政诉讼法 第四十六条: six months).
APPEAL = (
    "如对本决定不服，可以自收到本告知书之日起六十日内向本级人民政府申请行政复议，"
    "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
)
COMPLAINT_LINE = "如有疑问或投诉举报，可拨打“12345”政务服务便民热线，或向乡镇（街道）、县级民政部门反映。"
_ADVERSE = frozenset({CaseOutcome.REJECTED, CaseOutcome.ADJUSTED, CaseOutcome.GRADUAL_EXIT, CaseOutcome.STOPPED})
_ASCII = re.compile(r"\s*[A-Za-z].*$")
_GLOSS = re.compile(r"[A-Za-z]+(?:\s+[A-Za-z]+)*")


def program_name(program: str) -> str:
    try:
        return PROGRAM_NAMES[Program(program)]
    except ValueError:
        return program


def chinese_label(label: str) -> str:
    """A calculation line's label without its English gloss ("家庭月收入 household monthly income" → "家庭月收入")."""
    return _ASCII.sub("", label).strip() or label


def chinese_formula(formula: str) -> str:
    """A formula without its English words ("700.00 每人每月 per person per month" → "700.00 每人每月")."""
    return " ".join(_GLOSS.sub("", formula).split()) or formula


@dataclass(frozen=True)
class Line:
    label: str
    formula: str
    amount_fen: int | None


@dataclass(frozen=True)
class ExitStepFacts:
    first: str
    last: str
    percent: int
    amount_fen: int


@dataclass(frozen=True)
class DecidedCase:
    """What a printed decision needs of a decided case, as the case view shows it."""

    case_id: str
    application_no: str | None
    outcome: CaseOutcome
    program: str
    addressee: str
    address: str  # the region path by name: 平遥县古陶镇东关村
    county_name: str
    member_count: int
    amount_fen: int
    previous_amount_fen: int
    effective_month: str | None
    decided_on: dt.date
    reasons: tuple[str, ...]
    calculation: tuple[Line, ...]
    schedule: tuple[ExitStepFacts, ...] = ()
    stop_month: str | None = None
    review_date: dt.date | None = None


def issuer(county_name: str) -> str:
    return f"{county_name}民政局"


def title_of(kind: DocumentKind, case: DecidedCase) -> str:
    if kind is DocumentKind.CARD:
        return f"{program_name(case.program)}明白卡"
    return f"{program_name(case.program)}{_TITLES[case.outcome]}"


def _calculation(case: DecidedCase) -> Table:
    return Table(
        header=("项目", "计算方法", "金额"),
        rows=tuple(
            (chinese_label(x.label), chinese_formula(x.formula), "" if x.amount_fen is None else yuan(x.amount_fen))
            for x in case.calculation
        ),
        widths=(3, 5, 2),
    )


def _reasons(case: DecidedCase) -> str:
    return "；".join(case.reasons) if case.reasons else "经审核，不符合条件"


def _from_month(case: DecidedCase) -> str:
    return month_text(case.effective_month) if case.effective_month else "本决定作出之次月"


def _decision_sections(case: DecidedCase) -> tuple[Section, ...]:
    name = program_name(case.program)
    whom = f"你（户）居住在{case.address}，家庭人口{case.member_count}人。"
    applied = f"你（户）于申请{name}（申请编号{case.application_no}）" if case.application_no else f"你（户）的{name}"
    match case.outcome:
        case CaseOutcome.APPROVED:
            return (
                Section(
                    f"{whom}{applied}，经入户调查、民主评议、公示和审核，符合{name}条件，决定予以批准："
                    f"自{_from_month(case)}起，每月发放{name}{yuan(case.amount_fen)}。"
                ),
                Section("核算过程如下：", _calculation(case)),
                Section(_review_sentence(case)),
            )
        case CaseOutcome.REJECTED:
            return (Section(f"{whom}{applied}，经审核，不符合{name}条件，决定不予批准。理由：{_reasons(case)}。"),)
        case CaseOutcome.CONTINUED:
            return (
                Section(f"{whom}经复核，你（户）继续符合{name}条件，每月{yuan(case.amount_fen)}不变。"),
                Section(_review_sentence(case)),
            )
        case CaseOutcome.ADJUSTED:
            return (
                Section(
                    f"{whom}经复核，你（户）的家庭情况发生变化，决定调整{name}保障金额："
                    f"自{_from_month(case)}起，由每月{yuan(case.previous_amount_fen)}调整为每月{yuan(case.amount_fen)}。"
                    f"理由：{_reasons(case)}。"
                ),
                Section("核算过程如下：", _calculation(case)),
            )
        case CaseOutcome.GRADUAL_EXIT:
            steps = Table(
                header=("起始月份", "截止月份", "发放比例", "每月金额"),
                rows=tuple(
                    (month_text(s.first), month_text(s.last), f"{s.percent}%", yuan(s.amount_fen))
                    for s in case.schedule
                ),
            )
            stop = f"，自{month_text(case.stop_month)}起停发" if case.stop_month else ""
            return (
                Section(
                    f"{whom}经复核，你（户）家庭收入已超过{name}标准，按照渐退规定，原每月"
                    f"{yuan(case.previous_amount_fen)}按下表逐步减发{stop}。理由：{_reasons(case)}。",
                    steps,
                ),
            )
        case CaseOutcome.STOPPED:
            return (
                Section(
                    f"{whom}经复核，你（户）已不再符合{name}条件，决定自{_from_month(case)}起停发"
                    f"（原每月{yuan(case.previous_amount_fen)}）。理由：{_reasons(case)}。"
                ),
            )


def _review_sentence(case: DecidedCase) -> str:
    when = chinese_date(case.review_date) if case.review_date else "按规定"
    return f"下次复核时间：{when}。家庭人口、收入、财产状况发生变化的，请及时向乡镇（街道）报告。"


def decision_document(case: DecidedCase, number: str, issued_on: dt.date) -> Document:
    return Document(
        title=title_of(DocumentKind.DECISION, case),
        number=number,
        issued_on=issued_on,
        issuer=issuer(case.county_name),
        addressee=case.addressee,
        sections=_decision_sections(case),
        notes=(APPEAL, COMPLAINT_LINE) if case.outcome in _ADVERSE else (COMPLAINT_LINE,),
    )


def card_document(case: DecidedCase, number: str, issued_on: dt.date) -> Document:
    """明白卡: what the household receives, how it is calculated, when it is reviewed, where to complain."""
    name = program_name(case.program)
    facts = Table(
        header=("事项", "内容"),
        rows=(
            ("户主（申请人）", case.addressee),
            ("住址", case.address),
            ("救助项目", name),
            ("家庭人口", f"{case.member_count}人"),
            ("每月金额", yuan(case.amount_fen)),
            ("起始月份", _from_month(case)),
            ("下次复核", chinese_date(case.review_date) if case.review_date else "按规定"),
        ),
        widths=(3, 7),
    )
    return Document(
        title=title_of(DocumentKind.CARD, case),
        number=number,
        issued_on=issued_on,
        issuer=issuer(case.county_name),
        sections=(
            Section(f"你（户）享受{name}，每月{yuan(case.amount_fen)}。", facts),
            Section("保障金额计算方法：", _calculation(case)),
            Section("享受期间家庭人口、收入、财产状况发生变化的，应及时报告；不如实报告的，将依法追回多领的资金。"),
        ),
        signatures=("经办人（签字）", "户主（签字）"),
        notes=(COMPLAINT_LINE,),
    )
