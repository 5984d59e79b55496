"""The Chinese words ledgers (台账, issue 22) print for stored codes, as the console shows them (`console.words`):
a service writes its own ledger, so its words live here, where every service (and the console) may read them."""

from __future__ import annotations

from libs.contracts.programs import PROGRAM_NAMES, Program

BANK_NAMES = {
    "ICBC": "中国工商银行",
    "ABC": "中国农业银行",
    "BOC": "中国银行",
    "CCB": "中国建设银行",
    "BOCOM": "交通银行",
    "PSBC": "中国邮政储蓄银行",
    "RCC": "农村信用社",
    "RCB": "农村商业银行",
}
HOUSEHOLD_STATUSES = {"active": "在保", "closed": "已停保"}
APPLICATION_STATUSES = {
    "draft": "草稿",
    "submitted": "待受理",
    "returned": "退回补充",
    "accepted": "已受理",
    "withdrawn": "已撤回",
    "decided": "已审核确认",
}
CHANNELS = {"counter": "窗口申请", "online": "网上申请", "proxy": "代为申请", "referral": "主动发现转办"}
ENTITLEMENT_STATUSES = {"active": "正常发放", "gradual_exit": "渐退", "suspended": "暂停发放", "stopped": "停发"}

# Registry hits (比对疑点).
SOURCES = {
    "death": "死亡登记",
    "police_deregistration": "公安户籍注销",
    "cremation": "火化信息",
    "prison": "服刑人员",
    "public_payroll": "财政供养人员",
    "employee_medical_insurance": "职工医疗保险",
    "work_injury": "工伤保险",
    "provident_fund": "住房公积金",
    "retirement": "退休人员",
    "military": "现役军人",
    "pension": "养老保险",
    "vehicle": "机动车辆",
    "property": "不动产登记",
    "business": "市场主体登记",
    "flight": "乘机记录",
}
HIT_STATUSES = {"open": "待确认", "confirmed": "已确认", "dismissed": "已排除"}
SEVERITIES = {"high": "高", "medium": "中", "low": "低"}
HIT_ROLES = {"member": "家庭成员", "obligor": "赡养（抚养、扶养）义务人"}

# Complaints (投诉举报).
COMPLAINT_STATUSES = {
    "received": "已登记",
    "assigned": "已交办",
    "investigating": "核查中",
    "resolved": "已办结",
    "returned": "已退回",
}
COMPLAINT_CATEGORIES = {
    "complaint": "投诉",
    "report": "举报",
    "help": "求助",
    "consultation": "咨询",
    "suggestion": "建议",
}
COMPLAINT_CHANNELS = {
    "phone": "电话",
    "web": "网站",
    "wechat": "微信",
    "app": "手机应用",
    "letter": "来信",
    "visit": "来访",
    "online": "网上留言",
}
COMPLAINT_SOURCES = {"hotline": "12345热线工单", "staff": "工作人员登记"}
ISSUES = {
    "wrongful_inclusion": "错保",
    "favouritism": "人情保、关系保",
    "deceased_recipient": "死人保",
    "wrongful_exclusion": "漏保",
    "staff_misconduct": "工作人员作风问题",
    "help_request": "求助",
    "policy_question": "政策咨询",
    "other": "其他",
}
FINDINGS = {
    "substantiated": "属实",
    "partly_substantiated": "部分属实",
    "unsubstantiated": "不属实",
    "not_applicable": "不涉及事实核查（咨询、建议、求助）",
}

# Disbursement (资金发放, 追缴).
LINE_STATUSES = {"pending": "待发放", "paid": "已发放", "failed": "发放失败"}
RECOVERY_STATUSES = {"open": "追缴中", "recovered": "已追回", "waived": "已核销"}
RECOVERY_REASONS = {
    "paid_after_death": "保障对象死亡后仍发放",
    "paid_after_stop": "停发后仍发放",
    "other": "发放金额高于现核定金额",
    "grant_reclaimed": "临时救助追回",
}

# Cases (审核审批).
CASE_STATUSES = {
    "awaiting_verification": "待核对",
    "investigating": "入户调查",
    "township_review": "乡镇审核",
    "publicity": "公示",
    "confirmation": "县级审核确认",
    "decided": "已决定",
    "cancelled": "已撤销",
}
CASE_KINDS = {"application": "申请审核", "periodic": "定期复核", "triggered": "触发复核"}
TRIGGERS = {
    "application": "申请",
    "periodic": "定期复核",
    "death": "死亡信息比对",
    "hit": "比对疑点",
    "complaint": "投诉举报",
    "province_warning": "省级预警",
    "payment_failed": "发放失败",
    "age": "到龄复核",
    "campaign": "年度复核",
}
OUTCOMES = {
    "approved": "批准",
    "rejected": "不予批准",
    "continued": "继续保障",
    "adjusted": "调整保障金额",
    "gradual_exit": "渐退",
    "stopped": "停发",
}


def program_name(program: str | None) -> str:
    """最低生活保障 for `dibao`; an unknown code as it is (never an empty cell)."""
    if program is None:
        return ""
    try:
        return PROGRAM_NAMES[Program(program)]
    except ValueError:
        return program


def word(table: dict[str, str], key: str | None) -> str:
    """The word for a code, or the code itself when the table lacks it."""
    return table.get(key or "", key or "")
