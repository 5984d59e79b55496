"""Disbursement's monthly figures (issue 22): what the month's rosters paid by program and item, lines paid and
failed, payments held at the month's end, recoveries raised and recovered, temporary grants paid. Keys as
`GET /api/v1/disbursement/statistics` answers them."""

from __future__ import annotations

from libs.contracts.programs import Program
from libs.contracts.statistics import Labels, per_program

# The programs of the monthly rosters; temporary grants are paid by payment orders of their own.
PROGRAMS: tuple[Program, ...] = tuple(p for p in Program if p is not Program.TEMPORARY)
HOLD_KINDS: dict[str, str] = {
    "death": "死亡待核暂停发放",
    "suspension": "暂停发放",
    "account": "账户问题暂停发放",
    "amount": "金额待核暂停发放",
}


LABELS: Labels = {
    **per_program(
        PROGRAMS,
        {
            "paid_regular_fen": ("本月应发已发放金额", "元"),
            "paid_arrears_fen": ("补发已发放金额", "元"),
            "paid_one_off_fen": ("一次性补贴已发放金额", "元"),
            "lines_paid": ("发放成功笔数", "件"),
        },
    ),
    "paid_fen": ("本月花名册发放成功金额合计", "元"),
    "lines_paid": ("本月花名册发放成功笔数", "件"),
    "lines_failed": ("本月花名册发放失败笔数", "件"),
    "lines_pending": ("本月花名册待回盘笔数", "件"),
    "failed_fen": ("本月花名册发放失败金额", "元"),
    **{f"holds_{kind}": (f"月末{label}户数", "户") for kind, label in HOLD_KINDS.items()},
    "recoveries_raised": ("本月新增追回件数", "件"),
    "recoveries_raised_fen": ("本月新增追回金额", "元"),
    "recovered_deducted_fen": ("本月从发放中扣回金额", "元"),
    "recovered_collected_fen": ("本月退回收缴金额", "元"),
    "temporary_paid": ("本月临时救助发放笔数", "件"),
    "temporary_paid_fen": ("本月临时救助发放金额", "元"),
}
