"""Matching's monthly figures (`GET /api/v1/matching/statistics`): registry hits (疑点) and deaths found.

A hit is "overdue" in the month its 14-day deadline passed without a confirmation or dismissal; `open_overdue` is
the stock of hits still unresolved past their deadline at the month's end (now, for the current month).
"""

from __future__ import annotations

from libs.contracts.statistics import Labels, in_unit

# The registries matching reads (services.matching.sources.SOURCES, one key each; a test checks they agree).
SOURCES: dict[str, str] = {
    "death": "卫健死亡",
    "police_deregistration": "公安户籍注销",
    "cremation": "火化",
    "prison": "服刑在押",
    "public_payroll": "财政供养",
    "employee_medical_insurance": "职工医保",
    "work_injury": "工伤保险",
    "provident_fund": "住房公积金",
    "retirement": "退休",
    "military": "退役军人/服役",
    "pension": "养老保险",
    "vehicle": "车辆",
    "property": "不动产",
    "business": "市场主体登记",
    "flight": "民航出行",
}

_OUTCOMES: dict[str, str] = {
    "raised": "新增疑点",
    "confirmed": "核实确认",
    "dismissed": "核实排除",
    "overdue": "逾期未核实",
}

LABELS: Labels = {
    **in_unit("件", {**_OUTCOMES, "open_overdue": "月末逾期未核实"}),
    "deaths_found": ("发现死亡人员", "人"),
    **in_unit(
        "件",
        {
            f"{outcome}_{source}": f"{label}（{name}）"
            for outcome, label in _OUTCOMES.items()
            for source, name in SOURCES.items()
        },
    ),
}
