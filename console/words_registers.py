"""The words of the console's registers, in the notices' Chinese: complaints, disability certificates, recovery
orders, working-day calendars and temporary grants (re-exported by `console.words`, which templates read)."""

from __future__ import annotations

from libs.contracts.ledger_words import (  # one wording for pages and ledgers (台账)
    COMPLAINT_CATEGORIES as COMPLAINT_CATEGORIES,
)
from libs.contracts.ledger_words import (
    COMPLAINT_CHANNELS as COMPLAINT_CHANNELS,
)
from libs.contracts.ledger_words import (
    COMPLAINT_SOURCES as COMPLAINT_SOURCES,
)
from libs.contracts.ledger_words import (
    COMPLAINT_STATUSES as COMPLAINT_STATUSES,
)
from libs.contracts.ledger_words import (
    FINDINGS as FINDINGS,
)
from libs.contracts.ledger_words import (
    ISSUES as ISSUES,
)

# 投诉举报 (the complaint ledger).
FEEDBACK_METHODS = {
    "hotline_reply": "经12345平台答复",
    "letter": "书面函告",
    "sms": "短信",
    "in_person": "当面送达（签收）",
}

# 残疾类别、等级 as the disability certificate (残疾人证) writes them; empty: none declared.
DISABILITY_KINDS = {"": "无", "visual": "视力残疾", "hearing": "听力残疾", "speech": "言语残疾", "physical": "肢体残疾",
                    "intellectual": "智力残疾", "mental": "精神残疾", "multiple": "多重残疾"}  # fmt: skip
DISABILITY_GRADES = {"": "无", "1": "一级", "2": "二级", "3": "三级", "4": "四级"}

# 追缴: why a recovery order was raised (libs.contracts.events.disbursement.OverpaymentReason).
RECOVERY_REASONS = {
    "paid_after_death": "保障对象死亡后仍发放",
    "paid_after_stop": "停发后仍发放",
    "other": "发放金额高于现核定金额",
}
# 工作日历: the services that count deadlines in working days, each keeping its own copy of the year's schedule.
CALENDAR_SERVICES = {"intake": "申请受理", "casework": "审核审批", "complaints": "投诉举报"}
# 临时救助 (temporary grants, issue 20): one payment, off the monthly roster.
GRANT_KINDS = {"advance": "先行救助", "ordinary": "临时救助（申请审批）"}
GRANT_CAUSES = {
    "fire": "火灾",
    "accident": "意外事故",
    "serious_illness": "罹患重病",
    "disaster": "自然灾害",
    "unemployment": "就业困难",
    "student": "大学生基本生活困难",
    "other": "其他",
}
GRANT_PAYMENTS = {"issued": "已发送财政", "paid": "已发放", "failed": "发放失败"}
GRANT_REVIEWS = {
    "explanation_due": "待补充说明",
    "to_confirm": "待县级确认",
    "confirmed": "已确认",
    "reclaimed": "已追回",
}
