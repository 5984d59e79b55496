"""Intake's monthly figures (`GET /api/v1/intake/statistics`): applications and active-discovery leads.

Flows count what happened in the month (an application received, accepted, decided); `open_overdue` is a stock,
taken at the month's end (now, for the current month). Decisions are casework's, as intake learns them from its
`application-decided` events; "within the statutory time" compares the day of the decision with the due date.
"""

from __future__ import annotations

from libs.contracts.programs import PROGRAM_NAMES
from libs.contracts.statistics import Labels, in_unit

CHANNELS: dict[str, str] = {
    "counter": "窗口受理",
    "online": "网上申请",
    "proxy": "代办申请",
    "referral": "主动发现转申请",
}


LABELS: Labels = in_unit(
    "件",
    {
        "received": "收到申请",
        **{f"received_channel_{key}": f"收到申请（{label}）" for key, label in CHANNELS.items()},
        **{f"received_program_{p.value}": f"收到申请（{label}）" for p, label in PROGRAM_NAMES.items()},
        "accepted": "受理",
        "returned": "退回补正",
        "withdrawn": "撤回申请",
        "approved": "审批同意",
        "refused": "不予批准",
        "decided_on_time": "在法定时限内办结",
        "decided_late": "超过法定时限办结",
        "open_overdue": "月末仍在办且已超期",
        "leads_raised": "主动发现线索",
        "leads_to_applications": "线索转为申请",
    },
)
