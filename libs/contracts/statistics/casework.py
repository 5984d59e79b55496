"""Casework's monthly figures (issue 22): the registry's households and persons by program, decisions, reviews,
appeals and the villages' monthly reports. Keys as `GET /api/v1/casework/statistics` answers them."""

from __future__ import annotations

from libs.contracts.programs import PROGRAM_NAMES, Program
from libs.contracts.statistics import Labels, in_unit

# Every program the registry keeps as an entitlement; temporary grants are counted by disbursement, which pays them.
PROGRAMS: tuple[Program, ...] = tuple(p for p in Program if p is not Program.TEMPORARY)


def program_keys(program: Program) -> Labels:
    name = PROGRAM_NAMES[program]
    return {
        f"households_{program}": (f"{name}在册户数（月末）", "户"),
        f"persons_{program}": (f"{name}在册人数（月末）", "人"),
        f"households_new_{program}": (f"{name}本月新增户数", "户"),
        f"households_stopped_{program}": (f"{name}本月停保户数", "户"),
        f"amount_fen_{program}": (f"{name}月保障金额合计", "元"),
        # Not a sum: the region's is its total amount over its persons, never the sum of its children's averages.
        f"average_fen_{program}": (f"{name}月人均保障金额", "元"),
    }


LABELS: Labels = {
    **in_unit(
        "户", {"households": "在册救助户数（月末，任一项目）", "marginal_households": "低保边缘家庭户数（月末）"}
    ),
    **{k: v for p in PROGRAMS for k, v in program_keys(p).items()},
    **in_unit(
        "件",
        {
            "reviews_due": "本月应复核件数",
            "reviews_done": "本月完成复核件数",
            "applications_approved": "本月审批同意件数",
            "applications_refused": "本月审批不予同意件数",
            "appeals_filed": "本月受理复核申诉件数",
            "appeals_decided": "本月办结复核申诉件数",
        },
    ),
    **in_unit("个", {"villages_reported": "本月已报送动态报告的村（社区）数", "villages_total": "村（社区）总数"}),
}

# The figures that are not sums over regions (derived after adding up).
DERIVED: frozenset[str] = frozenset(f"average_fen_{p}" for p in PROGRAMS)
