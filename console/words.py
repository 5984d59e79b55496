"""The words the console shows, in the notices' Chinese: roles, programs, statuses, dates and money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from console.words_registers import (
    CALENDAR_SERVICES as CALENDAR_SERVICES,
)
from console.words_registers import (
    COMPLAINT_CATEGORIES as COMPLAINT_CATEGORIES,
)
from console.words_registers import (
    COMPLAINT_CHANNELS as COMPLAINT_CHANNELS,
)
from console.words_registers import (
    COMPLAINT_SOURCES as COMPLAINT_SOURCES,
)
from console.words_registers import (
    COMPLAINT_STATUSES as COMPLAINT_STATUSES,
)
from console.words_registers import (
    DISABILITY_GRADES as DISABILITY_GRADES,
)
from console.words_registers import (
    DISABILITY_KINDS as DISABILITY_KINDS,
)
from console.words_registers import (
    FEEDBACK_METHODS as FEEDBACK_METHODS,
)
from console.words_registers import (
    FINDINGS as FINDINGS,
)
from console.words_registers import (
    GRANT_CAUSES as GRANT_CAUSES,
)
from console.words_registers import (
    GRANT_KINDS as GRANT_KINDS,
)
from console.words_registers import (
    GRANT_PAYMENTS as GRANT_PAYMENTS,
)
from console.words_registers import (
    GRANT_REVIEWS as GRANT_REVIEWS,
)
from console.words_registers import (
    ISSUES as ISSUES,
)
from console.words_registers import (
    RECOVERY_REASONS as RECOVERY_REASONS,
)
from libs.contracts.ledger_words import (  # one wording for pages and ledgers (台账)
    APPLICATION_STATUSES as APPLICATION_STATUSES,
)
from libs.contracts.ledger_words import (
    BANK_NAMES,
)
from libs.contracts.ledger_words import (
    CASE_STATUSES as CASE_STATUSES,
)
from libs.contracts.ledger_words import (
    CHANNELS as CHANNELS,
)
from libs.contracts.ledger_words import (
    ENTITLEMENT_STATUSES as ENTITLEMENT_STATUSES,
)
from libs.contracts.ledger_words import (
    HIT_ROLES as HIT_ROLES,
)
from libs.contracts.ledger_words import (
    HIT_STATUSES as HIT_STATUSES,
)
from libs.contracts.ledger_words import (
    HOUSEHOLD_STATUSES as HOUSEHOLD_STATUSES,
)
from libs.contracts.ledger_words import (
    LINE_STATUSES as LINE_STATUSES,
)
from libs.contracts.ledger_words import (
    OUTCOMES as OUTCOMES,
)
from libs.contracts.ledger_words import (
    RECOVERY_STATUSES as RECOVERY_STATUSES,
)
from libs.contracts.ledger_words import (
    SEVERITIES as SEVERITIES,
)
from libs.contracts.ledger_words import (
    SOURCES as SOURCES,
)
from libs.contracts.ledger_words import (
    TRIGGERS as TRIGGERS,
)
from libs.contracts.programs import PROGRAM_NAMES

# The console's own names for two of them.
BANKS = BANK_NAMES
PAYMENT_STATUSES = LINE_STATUSES

ROLES = {
    "village_assistant": "村协理员",
    "township_officer": "乡镇经办人员",
    "county_officer": "县级审核审批人员",
    "city_supervisor": "市级监督人员",
    "system_admin": "系统管理员",
}
PROGRAMS: dict[str, str] = {str(program): name for program, name in PROGRAM_NAMES.items()}
# What an application may be filed for, as the filing form offers it.
PROGRAM_OPTIONS = {
    key: PROGRAMS[key] for key in ("dibao", "dibao_single", "marginal", "tekun_dispersed", "tekun_centralized")
}


def word(table: dict[str, str], key: object) -> str:
    """The Chinese word for a value, or the value itself when the table lacks it (never an empty cell)."""
    return table.get(str(key), str(key))


_CHINA = dt.timezone(dt.timedelta(hours=8))


def china_day(value: object) -> dt.date | None:
    """The day a date or an instant the API wrote (ISO 8601, often in UTC) falls on in China; None if it is neither."""
    text = str(value or "")
    try:
        moment = dt.datetime.fromisoformat(text) if len(text) > 10 else None
        return moment.astimezone(_CHINA).date() if moment and moment.tzinfo else dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def chinese_date(value: object) -> str:
    """2026-03-30 → 2026年3月30日; an instant by its date in China, so 2026-03-29T17:00:00Z is 2026年3月30日; anything
    else as it is."""
    day = china_day(value)
    return f"{day.year}年{day.month}月{day.day}日" if day else str(value or "")


def yuan(value: object) -> str:
    """'1200' or '1200.5' (yuan, as the API writes money) → ¥1,200.50."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"¥{amount:,.2f}"


RELATIONS = {
    "head": "户主",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandparent": "祖父母、外祖父母",
    "grandchild": "孙子女、外孙子女",
    "sibling": "兄弟姐妹",
    "child_in_law": "儿媳、女婿",
    "other": "其他",
}
LABOUR = {"full": "有劳动能力", "partial": "部分丧失劳动能力", "none": "无劳动能力"}
EMPLOYMENT = {
    "employed": "就业",
    "self_employed": "自主经营",
    "flexible": "灵活就业",
    "farming": "务农",
    "unemployed": "失业",
    "student": "在校学生",
    "retired": "退休",
    "not_working": "未就业",
}
INCOME = {"wages": "工资性收入", "business": "经营净收入", "property": "财产净收入", "transfers": "转移净收入"}
EXPENDITURE = {"medical": "医疗", "education": "教育", "rehabilitation": "康复", "disaster": "灾害", "other": "其他"}
HEALTH = {"healthy": "健康", "chronic_illness": "患慢性病", "serious_illness": "患重特大疾病"}
ASSETS = {"house": "房产", "vehicle": "机动车辆", "deposit": "存款", "securities": "有价证券",
          "business_registration": "工商登记", "other": "其他"}  # fmt: skip
CLOSE_RELATIONS = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母、外祖父母",
    "grandchild": "孙子女、外孙子女",
    "uncle_aunt": "伯叔姑舅姨",
    "cousin": "堂兄弟姐妹、表兄弟姐妹",
    "nephew_niece": "侄子女、外甥子女",
    "spouse_parent": "配偶的父母",
    "spouse_sibling": "配偶的兄弟姐妹",
    "spouse_sibling_spouse": "配偶的兄弟姐妹的配偶",
    "child_spouse": "子女的配偶",
    "child_spouse_parent": "子女配偶的父母",
}
DECISIONS = {"confirm": "确认", "reject": "驳回", "return": "退回"}

# Households (户籍查询, 家庭档案): the registry's and the payment file's values in the notices' words.
REVIEW_CLASSES = {
    "A": "A类（每年复核一次）",
    "B": "B类（每半年复核一次）",
    "C": "C类（每季度复核一次）",
    "monthly": "每月复核",
    "quarterly": "每季度复核",
}
# The proposal form offers them with "as the rules say" first (the API then chooses).
REVIEW_CLASS_OPTIONS = {"": "（按规定）", **REVIEW_CLASSES}
# A stop on a ground outside the income test (services/casework/outcome/allowed.py StopGround).
STOP_GROUNDS = {
    "": "（无，按核算结果）",
    "death": "死亡",
    "moved_out": "迁出本辖区",
    "imprisoned": "唯一成员服刑",
    "fraud": "骗取救助",
}
HOUSEHOLD_CHANGES = {
    "member_added": "增加家庭成员",
    "member_removed": "减少家庭成员",
    "member_updated": "家庭情况变更",
    "head_changed": "变更户主",
    "region_changed": "户籍地变更",
    "bank_account_changed": "变更银行账户",
    "closed": "停保",
    "successor_opened": "停旧建新",
}
PAYMENT_ITEMS = {"regular": "当月保障金", "arrears": "补发", "one_off": "一次性生活补贴", "recovery": "追缴扣减"}
ACCOUNT_STATUSES = {"ok": "正常", "failed": "发放失败，待更正"}
HOLD_KINDS = {
    "death": "成员死亡待核实",
    "suspension": "县级暂停发放",
    "account": "银行账户待更正",
    "amount": "金额待核实",
}


def chinese_month(value: object) -> str:
    """2026-04 (a benefit month, as the API writes it) → 2026年4月; anything else as it is."""
    text = str(value or "")
    year, _, month = text.partition("-")
    if len(year) == 4 and year.isdigit() and month[:2].isdigit():
        return f"{year}年{int(month[:2])}月"
    return text


def fen_to_yuan(value: object) -> str:
    """A gradual-exit step's amount in fen (as the registry keeps it) → ¥1,200.00."""
    try:
        return yuan(Decimal(int(str(value))) / 100)
    except ValueError:
        return str(value)


# 发放花名册 (disbursement's rosters and their lines).
ROSTER_STATUSES = {
    "draft": "草稿",
    "locked": "已锁定",
    "submitted": "已提交财政",
    "paid": "已发放",
    "partially_failed": "部分发放失败",
    "reconciled": "已对账",
    "cancelled": "已作废",
}
ITEM_KINDS = {"regular": "当月救助金", "arrears": "补发", "one_off": "一次性补贴", "recovery": "扣回"}
HOLDS = {"death": "疑似死亡待核实", "suspension": "暂停发放", "account": "银行账户异常", "amount": "金额待核实"}

# 系统管理: partner clients' permissions, account states, and the figures of the 救助标准 as the API names them.
SCOPES = {"hotline": "12345热线", "finance": "财政", "province": "省级系统", "registry_feed": "数据比对"}
ACCOUNT_STATES = {"True": "启用", "False": "停用"}
# Money figures are typed and shown in 元 per person and month; the others keep their own unit.
MONEY_FIGURES = {
    "dibao_standard": "低保标准",
    "tekun_basic": "特困人员基本生活标准",
    "tekun_care_self": "特困人员照料护理标准（全自理）",
    "tekun_care_partial": "特困人员照料护理标准（半护理）",
    "tekun_care_full": "特困人员照料护理标准（全护理）",
    "disability_living": "困难残疾人生活补贴",
    "disability_care_grade1": "重度残疾人护理补贴（一级）",
    "disability_care_grade2": "重度残疾人护理补贴（二级）",
    "orphan_allowance": "孤儿基本生活费",
    "hiv_child_allowance": "艾滋病病毒感染儿童基本生活费",
    "de_facto_orphan_allowance": "事实无人抚养儿童基本生活费",
    "elderly_high_age": "高龄津贴",
    "elderly_disabled": "失能老年人补贴",
    "tekun_care_subsidy": "特困人员护理补贴",
    "legacy_railway_militia": "原襄渝铁路伤残民兵民工生活补助",
    "legacy_retired_staff": "精简退职人员生活补助",
    "employment_cost_deduction": "就业成本扣减（每名就业成员）",
    # Caps per household, not per person: named in FIGURES below with their own unit.
    "rigid_medical_cap": "刚性支出扣减上限（医疗）",
    "rigid_education_cap": "刚性支出扣减上限（教育）",
    "rigid_rehabilitation_cap": "刚性支出扣减上限（康复）",
    "rigid_disaster_cap": "刚性支出扣减上限（灾害）",
}
_RULE_CHOICES = "household 按家庭分类 / A / B / C / quarterly / monthly / registry 按月数据核查"
_PER_HOUSEHOLD = ("rigid_medical_cap", "rigid_education_cap", "rigid_rehabilitation_cap", "rigid_disaster_cap")
FIGURES = {
    **{name: f"{word}（元/人·月）" for name, word in MONEY_FIGURES.items()},
    "marginal_multiplier_pct": "低保边缘家庭认定倍数（%，150 即 1.5 倍）",
    "gradual_exit_schedule_pct": "渐退期逐月发放比例（%，以逗号分隔）",
    "benefit_start_offset_months": "审批后起始发放月（0 为当月）",
    "publicity_days": "公示天数",
    "confirmation_delegated": "审核确认权下放乡镇（是/否）",
    "review_months_a": "A类对象复核周期（月）",
    "review_months_b": "B类对象复核周期（月）",
    "review_months_c": "C类对象复核周期（月）",
    "review_months_monthly": "按月复核对象周期（月）",
    "review_months_quarterly": "按季复核对象周期（月）",
    # How each program is reviewed (issue 21): every program but temporary grants, which are one-off payments.
    **{f"review_rule_{p}": f"{name}复核方式（{_RULE_CHOICES}）" for p, name in PROGRAMS.items() if p != "temporary"},
    "village_report_due_day": "村级报送截止日（每月几日）",
    "township_report_due_day": "乡镇报送截止日（每月几日）",
    **{name: f"{MONEY_FIGURES[name]}（元/户·月，不设则全额扣减）" for name in _PER_HOUSEHOLD},
    "rigid_expense_declared": "申报的刚性支出未经入户核实也予扣减（是/否）",
    "financial_assets_months": "家庭人均金融资产上限（低保标准的月数）",
    "vehicles_allowed": "允许拥有的车辆数",
    "houses_allowed": "允许拥有的住房套数",
    "elderly_high_age_min_years": "高龄津贴起始年龄（周岁）",
    "age_review_lead_days": "到龄复核提前天数",
    "complaint_line": "社会救助服务热线（投诉举报电话，信息公开页面显示）",
}
# 比对疑点 (matching's hits): statuses, severities, the person's place in the household, the evidence's fields.
EVIDENCE_FIELDS = {
    "source": "数据来源",
    "feed_id": "数据批次",
    "as_of": "数据截至",
    "row": "行号",
    "name": "姓名",
    "event_date": "发生日期",
    "start_date": "起始日期",
    "end_date": "终止日期",
    "status": "状态",
    "monthly_amount": "月金额（元）",
    "plate": "号牌号码",
    "vehicle_type": "车辆类型",
    "registered_at": "登记日期",
    "deregistered": "是否注销",
    "property_id": "不动产权证号",
    "acquired_at": "取得日期",
    "acquisition": "取得方式",
    "kind": "房屋类型",
    "credit_code": "统一社会信用代码",
    "flight_date": "乘机日期",
    "route": "航线",
}
EVIDENCE_VALUES = {
    "car": "汽车",
    "motorcycle": "摩托车",
    "truck": "货车",
    "purchase": "购买",
    "resettlement": "拆迁安置",
    "inheritance": "继承",
    "self_built": "自建",
    "commercial": "商品房",
    "rural_homestead": "农村宅基地房屋",
    "normal": "正常",
    "terminated": "终止",
    "other": "其他",
    "True": "是",
    "False": "否",
}


def chinese_part(text: object) -> str:
    """The Chinese of a rule's bilingual wording ("名下有汽车或摩托车未注销 a car or …" → the first part): the API's
    descriptions carry an English gloss for developers, which a person at the counter should not have to read."""
    value = str(text or "")
    for i, char in enumerate(value):
        if char.isascii() and char.isalpha():
            return value[:i].rstrip(" ,;:-") or value
    return value
