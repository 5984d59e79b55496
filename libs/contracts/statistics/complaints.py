"""Complaints' monthly figures (`GET /api/v1/complaints/statistics`): the ledger of complaints and reports.

Channels as a bureau reports them: 12345 work orders, and the items staff log from letters, visits, calls and the
online form. Closed means resolved or returned in the month; on time compares the closing with the item's deadline.
`open_overdue` is a stock at the month's end (now, for the current month).
"""

from __future__ import annotations

from libs.contracts.ledger_words import COMPLAINT_CATEGORIES
from libs.contracts.statistics import Labels, in_unit

# The categories in the ledger's words.
CATEGORIES: dict[str, str] = COMPLAINT_CATEGORIES
# 12345 work orders by their source; staff-logged items by their channel ("online" gathers web, WeChat, app, online).
CHANNELS: dict[str, str] = {
    "hotline": "12345热线工单",
    "letter": "来信",
    "visit": "来访",
    "phone": "来电",
    "online": "网上留言",
}

LABELS: Labels = in_unit(
    "件",
    {
        "received": "收到投诉举报",
        **{f"received_category_{key}": f"收到（{label}）" for key, label in CATEGORIES.items()},
        **{f"received_channel_{key}": f"收到（{label}）" for key, label in CHANNELS.items()},
        "closed": "办结",
        "closed_on_time": "按期办结",
        "closed_late": "超期办结",
        "open_overdue": "月末未办结且已超期",
        "real_name_closed": "实名件办结",
        "real_name_with_feedback": "实名件书面反馈",
    },
)
