"""Assistance programs (救助类别), DOMAIN.md §2: the codes appear in APIs and events, so they never change."""

from __future__ import annotations

from enum import StrEnum


class Program(StrEnum):
    DIBAO = "dibao"  # 最低生活保障
    DIBAO_SINGLE = "dibao_single"  # 单人保
    MARGINAL = "marginal"  # 低保边缘家庭
    TEKUN_CENTRALIZED = "tekun_centralized"  # 特困人员 集中供养
    TEKUN_DISPERSED = "tekun_dispersed"  # 特困人员 分散供养
    DISABILITY_LIVING = "disability_living"  # 困难残疾人生活补贴
    DISABILITY_CARE = "disability_care"  # 重度残疾人护理补贴
    ORPHAN = "orphan"  # 孤儿
    HIV_CHILD = "hiv_child"  # 艾滋病病毒感染儿童
    DE_FACTO_ORPHAN = "de_facto_orphan"  # 事实无人抚养儿童
    TEMPORARY = "temporary"  # 临时救助
    ELDERLY_HIGH_AGE = "elderly_high_age"  # 高龄津贴
    ELDERLY_DISABLED = "elderly_disabled"  # 失能老年人补贴
    TEKUN_CARE = "tekun_care"  # 特困人员护理补贴
    LEGACY_RAILWAY_MILITIA = "legacy_railway_militia"  # 原襄渝铁路伤残民兵民工
    LEGACY_RETIRED_STAFF = "legacy_retired_staff"  # 精简退职


# The children's allowances (孤儿, 艾滋病病毒感染儿童, 事实无人抚养儿童): a child holds at most one of them, and each
# ends at 18.
CHILDREN_ALLOWANCES: frozenset[Program] = frozenset({Program.ORPHAN, Program.HIV_CHILD, Program.DE_FACTO_ORPHAN})

# Never shown in public postings (DOMAIN.md §3.7, §11): publishing them would expose the children.
NEVER_PUBLISHED: frozenset[Program] = CHILDREN_ALLOWANCES

# The names rosters, funding letters and line notes show (DOMAIN.md §2).
PROGRAM_NAMES: dict[Program, str] = {
    Program.DIBAO: "最低生活保障",
    Program.DIBAO_SINGLE: "单人保",
    Program.MARGINAL: "低保边缘家庭",
    Program.TEKUN_CENTRALIZED: "特困人员集中供养",
    Program.TEKUN_DISPERSED: "特困人员分散供养",
    Program.DISABILITY_LIVING: "困难残疾人生活补贴",
    Program.DISABILITY_CARE: "重度残疾人护理补贴",
    Program.ORPHAN: "孤儿基本生活费",
    Program.HIV_CHILD: "艾滋病病毒感染儿童基本生活费",
    Program.DE_FACTO_ORPHAN: "事实无人抚养儿童基本生活费",
    Program.TEMPORARY: "临时救助",
    Program.ELDERLY_HIGH_AGE: "高龄津贴",
    Program.ELDERLY_DISABLED: "失能老年人补贴",
    Program.TEKUN_CARE: "特困人员护理补贴",
    Program.LEGACY_RAILWAY_MILITIA: "原襄渝铁路伤残民兵民工生活补助",
    Program.LEGACY_RETIRED_STAFF: "精简退职人员生活补助",
}

# The most one household may receive from a program in a month (for `temporary`, in one payment), in fen: a guard at
# every entry of an amount (decisions, standards, imports, one-off batches), far above what any region pays, so that
# a typo or a hostile figure ("999999999999999.99") is refused at the door instead of overflowing a county's roster
# totals later. Not a policy figure: standards are data per region (DOMAIN.md §12).
MONTHLY_CEILING_FEN: dict[Program, int] = {
    Program.DIBAO: 5_000_000,  # 50,000.00: ten members at five times today's highest urban standard
    Program.DIBAO_SINGLE: 1_000_000,
    Program.MARGINAL: 5_000_000,
    Program.TEKUN_CENTRALIZED: 2_000_000,
    Program.TEKUN_DISPERSED: 2_000_000,
    Program.DISABILITY_LIVING: 500_000,
    Program.DISABILITY_CARE: 500_000,
    Program.ORPHAN: 1_000_000,
    Program.HIV_CHILD: 1_000_000,
    Program.DE_FACTO_ORPHAN: 1_000_000,
    Program.TEMPORARY: 20_000_000,  # 200,000.00: a one-off for a catastrophe, decided case by case
    Program.ELDERLY_HIGH_AGE: 500_000,
    Program.ELDERLY_DISABLED: 500_000,
    Program.TEKUN_CARE: 1_000_000,
    Program.LEGACY_RAILWAY_MILITIA: 1_000_000,
    Program.LEGACY_RETIRED_STAFF: 1_000_000,
}
# A per-person figure (a standard per person and month, a per-member one-off): no program pays one person more.
PER_PERSON_CEILING_FEN = 2_000_000


class AmountAboveCeiling(ValueError):
    """An amount above its program's ceiling; `code` goes into the 422."""

    code = "amount_above_ceiling"


def check_monthly_amount(program: Program, fen: int) -> int:
    """`fen` if it is a possible monthly (or one-off) amount of `program`, else AmountAboveCeiling."""
    ceiling = MONTHLY_CEILING_FEN[program]
    if fen > ceiling:
        raise AmountAboveCeiling(f"{program.value} pays at most {ceiling // 100}.00 a household and month")
    return fen
