"""The five services' monthly figures as the 统计分析 pages and the monthly report put them side by side.

Each service answers its own figures (`GET /api/v1/<service>/statistics`, shape `libs.contracts.statistics`); the
console adds nothing of its own but sums of a service's own keys (a program's amount paid is its regular, arrears
and one-off payments). A service that does not answer statistics (404: not deployed, or older) leaves its columns
empty ("—") rather than failing the page. Many months are many calls: they run concurrently, a few at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from console.gateway_client import ApiProblem, GatewayClient
from console.sessions import Session
from libs.contracts.period import Period
from libs.contracts.programs import PROGRAM_NAMES, Program
from libs.contracts.statistics import FigureSet, MonthlyFigures

SERVICES: tuple[str, ...] = ("intake", "casework", "matching", "complaints", "disbursement")
TREND_MONTHS = 24
# Calls in flight at once for one page: 24 months of two services is 48 calls, and the console is one of many clients.
CONCURRENT_CALLS = 6
EARLIEST = Period(2000, 1)
LEVELS = (2, 4, 6, 9, 12)  # province, city, county, township, village


def statistics_path(service: str) -> str:
    return f"/api/v1/{service}/statistics"


@dataclass(frozen=True)
class Column:
    """A figure as the page and the report show it: the sum of one service's keys (one key, mostly)."""

    group: str
    label: str
    unit: str  # 户, 人, 件 or 元 (the keys hold fen)
    service: str
    keys: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"{self.label}（{self.unit}）"

    def value(self, figures: FigureSet | None) -> int | None:
        """The figure, or None where the service did not answer or does not count one of the keys."""
        if figures is None or any(k not in figures.figures for k in self.keys):
            return None
        return sum(figures.figures[k] for k in self.keys)


def _col(group: str, label: str, unit: str, service: str, *keys: str) -> Column:
    return Column(group, label, unit, service, keys)


def paid_keys(program: Program) -> tuple[str, ...]:
    """Disbursement's amounts paid for a program in the month: the regular amount, arrears and one-off payments."""
    return tuple(f"paid_{item}_fen_{program}" for item in ("regular", "arrears", "one_off"))


def program_columns(program: Program) -> list[Column]:
    name = PROGRAM_NAMES[program]
    return [
        _col(name, "户数", "户", "casework", f"households_{program}"),
        _col(name, "人数", "人", "casework", f"persons_{program}"),
        _col(name, "发放金额", "元", "disbursement", *paid_keys(program)),
    ]


# The programs a civil-affairs statistics table reports on (the others are in each service's own answer).
REPORT_PROGRAMS: tuple[Program, ...] = (
    Program.DIBAO,
    Program.DIBAO_SINGLE,
    Program.TEKUN_CENTRALIZED,
    Program.TEKUN_DISPERSED,
    Program.MARGINAL,
    Program.ORPHAN,
    Program.DE_FACTO_ORPHAN,
)
TREND_PROGRAMS: tuple[Program, ...] = (Program.DIBAO, Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED)

WORK_COLUMNS: list[Column] = [
    _col("申请审批", "收到申请", "件", "intake", "received"),
    _col("申请审批", "审批同意", "件", "intake", "approved"),
    _col("申请审批", "不予批准", "件", "intake", "refused"),
    _col("申请审批", "法定时限内办结", "件", "intake", "decided_on_time"),
    _col("复核", "应复核", "件", "casework", "reviews_due"),
    _col("复核", "已复核", "件", "casework", "reviews_done"),
    _col("比对疑点", "新增疑点", "件", "matching", "raised"),
    _col("比对疑点", "核实确认", "件", "matching", "confirmed"),
    _col("比对疑点", "核实排除", "件", "matching", "dismissed"),
    _col("比对疑点", "逾期未核实", "件", "matching", "overdue"),
    _col("投诉举报", "收到", "件", "complaints", "received"),
    _col("投诉举报", "办结", "件", "complaints", "closed"),
    _col("投诉举报", "超期办结", "件", "complaints", "closed_late"),
]
REPORT_COLUMNS: list[Column] = [
    *(c for p in REPORT_PROGRAMS for c in program_columns(p)),
    _col("合计", "本月发放金额", "元", "disbursement", "paid_fen"),
    *WORK_COLUMNS,
]
# The page's table by township or village: fewer columns, so it reads on a laptop's screen.
PAGE_COLUMNS: list[Column] = [
    _col("在册", "在册救助户数", "户", "casework", "households"),
    _col("在册", "低保人数", "人", "casework", "persons_dibao"),
    _col("在册", "特困人数", "人", "casework", "persons_tekun_centralized", "persons_tekun_dispersed"),
    _col("发放", "本月发放金额", "元", "disbursement", "paid_fen"),
    _col("申请审批", "收到申请", "件", "intake", "received"),
    _col("申请审批", "审批同意", "件", "intake", "approved"),
    _col("复核", "已复核", "件", "casework", "reviews_done"),
    _col("比对疑点", "新增疑点", "件", "matching", "raised"),
    _col("投诉举报", "收到投诉举报", "件", "complaints", "received"),
]
# Deadlines (seed 004: the statutory time; 14 days for a hit; a complaint's own deadline).
TIMELINESS_COLUMNS: list[Column] = [
    _col("申请审批", "法定时限内办结", "件", "intake", "decided_on_time"),
    _col("申请审批", "超过法定时限办结", "件", "intake", "decided_late"),
    _col("申请审批", "月末仍在办且已超期", "件", "intake", "open_overdue"),
    _col("比对疑点", "本月逾期未核实", "件", "matching", "overdue"),
    _col("比对疑点", "月末逾期未核实", "件", "matching", "open_overdue"),
    _col("投诉举报", "按期办结", "件", "complaints", "closed_on_time"),
    _col("投诉举报", "超期办结", "件", "complaints", "closed_late"),
    _col("投诉举报", "月末未办结且已超期", "件", "complaints", "open_overdue"),
]
# Timeliness as a share: (label, on time, late).
RATES: list[tuple[str, Column, Column]] = [
    ("申请法定时限内办结率", TIMELINESS_COLUMNS[0], TIMELINESS_COLUMNS[1]),
    ("投诉举报按期办结率", TIMELINESS_COLUMNS[5], TIMELINESS_COLUMNS[6]),
]


def rate(on_time: int | None, late: int | None) -> str:
    """On time as a share of everything closed, "—" when nothing was."""
    if on_time is None or late is None or on_time + late == 0:
        return "—"
    return f"{on_time * 100 / (on_time + late):.1f}%"


@dataclass(frozen=True)
class Line:
    """One region's figures across the services: the region asked for, or one of its children."""

    code: str
    name: str
    by_service: dict[str, FigureSet]

    def value(self, column: Column) -> int | None:
        return column.value(self.by_service.get(column.service))


@dataclass
class MonthAnswers:
    """What the services answered for one month and region; `missing` those that answer no statistics."""

    month: str
    answers: dict[str, MonthlyFigures] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def total(self) -> Line:
        sets = {s: a.region for s, a in self.answers.items()}
        first = next(iter(sets.values()), None)
        return Line(first.region_code if first else "", first.region_name if first else "", sets)

    def children(self) -> list[Line]:
        """The regions one level below, in the order the services list them (by code, the region's own "本级" line
        last); a child one service lists and another does not is kept, with the other's figures absent."""
        order: dict[tuple[str, str], dict[str, FigureSet]] = {}
        for service, answer in self.answers.items():
            for child in answer.children:
                order.setdefault((child.region_code, child.region_name), {})[service] = child
        return [Line(code, name, sets) for (code, name), sets in order.items()]


def trend_months(month: str, count: int = TREND_MONTHS) -> list[str]:
    """The `count` months ending with `month`, oldest first, none before 2000-01."""
    last = Period.parse(month)
    first = max(last - (count - 1), EARLIEST)
    return [str(p) for p in Period.range(first, last)]


class StatisticsFetcher:
    """The services' answers as this person, at most `CONCURRENT_CALLS` at a time."""

    def __init__(self, gateway: GatewayClient, session: Session) -> None:
        self.gateway = gateway
        self.session = session
        self.limit = asyncio.Semaphore(CONCURRENT_CALLS)

    async def _one(self, service: str, month: str, region: str | None) -> MonthlyFigures | None:
        params = {"month": month, **({"region": region} if region else {})}
        async with self.limit:
            try:
                body = await self.gateway.call(self.session, "GET", statistics_path(service), params=params)
            except ApiProblem as refused:
                if refused.status == 404:
                    return None
                raise
        return MonthlyFigures.model_validate(body)

    async def month(self, month: str, region: str | None, services: Iterable[str] = SERVICES) -> MonthAnswers:
        """One month of the services: a refusal (a month out of range, a region outside the person's jurisdiction)
        is raised as the API's problem."""
        wanted = list(services)
        # The first call alone: it renews the access token if due, so the calls after it do not all renew at once.
        first = await self._one(wanted[0], month, region)
        rest = await asyncio.gather(*(self._one(s, month, region) for s in wanted[1:]))
        found = MonthAnswers(month)
        for service, answer in zip(wanted, [first, *rest], strict=True):
            if answer is None:
                found.missing.append(service)
            else:
                found.answers[service] = answer
        return found

    async def trend(self, months: list[str], region: str | None, services: Iterable[str]) -> list[MonthAnswers]:
        """The region's figures month by month (the answers' children are there too, unused)."""
        wanted = list(services)
        return list(await asyncio.gather(*(self.month(m, region, wanted) for m in months)))


def parent_of(code: str, top: str) -> str | None:
    """The region one level up from `code`, never above the person's own jurisdiction `top`."""
    above = [n for n in LEVELS if n < len(code)]
    if not above or len(code) <= len(top):
        return None
    parent = code[: above[-1]]
    return parent if len(parent) >= len(top) else None
