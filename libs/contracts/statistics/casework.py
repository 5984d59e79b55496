"""Casework's monthly figures (issue 22): the registry's households and persons by program, decisions, reviews,
appeals and the villages' monthly reports. Keys as `GET /api/v1/casework/statistics` answers them."""

from __future__ import annotations

from libs.contracts.programs import Program
from libs.contracts.statistics import Labels, in_unit, per_program

# Every program the registry keeps as an entitlement; temporary grants are counted by disbursement, which pays them.
PROGRAMS: tuple[Program, ...] = tuple(p for p in Program if p is not Program.TEMPORARY)

LABELS: Labels = {
    **in_unit(
        "户", {"households": "在册救助户数（月末，任一项目）", "marginal_households": "低保边缘家庭户数（月末）"}
    ),
    **per_program(
        PROGRAMS,
        {
            "households": ("在册户数（月末）", "户"),
            "persons": ("在册人数（月末）", "人"),
            "households_new": ("本月新增户数", "户"),
            "households_stopped": ("本月停保户数", "户"),
            "amount_fen": ("月保障金额合计", "元"),
            # Not a sum: the region's is its total amount over its persons, never the sum of its children's averages.
            "average_fen": ("月人均保障金额", "元"),
        },
    ),
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
