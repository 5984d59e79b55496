"""The rule catalogue of DOMAIN.md §5 as shipped (seed 004 §10 for pensions, vehicles, property and business; seeds
001–003 for the rest), and each source's schedule (seeds 001 and 003). Migration matching_0002 loads both into their
tables; administrators change the rows from there, so a change to the catalogue belongs in a new migration, not here.

Dates are judged as of the feed's `as_of` date. Means-tested programs are dibao (also 单人保), the marginal band and
tekun; the asset rules of seed 004 are about them, not about the disability or children's allowances.
"""

from __future__ import annotations

from typing import Any

_MEANS_TESTED = ["dibao", "dibao_single", "marginal", "tekun_centralized", "tekun_dispersed"]
_SUPPORTED = ["dibao", "dibao_single", "tekun_centralized", "tekun_dispersed"]
_CURRENT = {"field": "status", "op": "not_in", "values": ["ended", "terminated", "stopped", "deregistered"]}
_STARTED = {"field": "start_date", "op": "on_or_before_as_of"}
_SERVING = [
    {"field": "start_date", "op": "on_or_before_as_of"},
    {"field": "end_date", "op": "on_or_after_as_of", "or_null": True},
]
_MOTOR = {"field": "vehicle_type", "op": "in", "values": ["car", "truck", "motorcycle"]}
_HOMES = {"field": "kind", "op": "in", "values": ["commercial", "rural_homestead"]}
# A commercial home bought (not resettlement after land requisition) within three years.
_COMMERCIAL_BOUGHT = [
    {"field": "kind", "op": "eq", "value": "commercial"},
    {"field": "acquisition", "op": "eq", "value": "purchase"},
    {"field": "acquired_at", "op": "within", "years": 3},
]
_SUPPORT_CHECK = "核查赡养（抚养、扶养）能力，重新核定赡养费 re-assess the obligor's support"


# Every field a row holds, so that the rows seeded are complete and the tests compare them field for field. These
# are RuleSpec's and Condition's defaults; the migration cannot ask RuleSpec for them (it would then change with it).
_RULE_DEFAULTS: dict[str, Any] = {
    "kind": "record",
    "roles": ["member"],
    "programs": [],
    "conditions": [],
    "aggregate": None,
    "evidence_fields": [],
    "enabled": True,
}
_CONDITION_DEFAULTS: dict[str, Any] = {
    "value": None,
    "values": [],
    "years": 0,
    "months": 0,
    "days": 0,
    "or_null": False,
}


def _complete(rule: dict[str, Any]) -> dict[str, Any]:
    conditions = [{**_CONDITION_DEFAULTS, **condition} for condition in rule.get("conditions", [])]
    return {**_RULE_DEFAULTS, **rule, "conditions": conditions}


def _death(source: str, label: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{source}_member",
            "source": source,
            "kind": "death",
            "roles": ["member"],
            "evidence_fields": ["event_date"],
            "severity": "high",
            "suggested_action": "次月停发，停发或调整，死亡后发放资金追回 "
            "hold from the month after death, stop or adjust",
            "description": f"{label}: 救助对象或家庭成员死亡 a recipient or member died",
        },
        {
            "id": f"{source}_obligor",
            "source": source,
            "roles": ["obligor"],
            "programs": _SUPPORTED,
            "evidence_fields": ["event_date"],
            "severity": "medium",
            "suggested_action": "赡养义务人死亡，重新核定赡养费 the obligor died: recompute the support counted",
            "description": f"{label}: 赡养义务人死亡 an obligor died",
        },
    ]


def _employment(source: str, label: str, action: str, severity: str = "medium") -> list[dict[str, Any]]:
    return [
        {
            "id": source,
            "source": source,
            "programs": _MEANS_TESTED,
            "conditions": [_CURRENT, _STARTED],
            "evidence_fields": ["start_date", "status"],
            "severity": severity,
            "suggested_action": action,
            "description": label,
        },
        {
            "id": f"{source}_obligor",
            "source": source,
            "roles": ["obligor"],
            "programs": _SUPPORTED,
            "conditions": [_CURRENT, _STARTED],
            "evidence_fields": ["start_date", "status"],
            "severity": "low",
            "suggested_action": _SUPPORT_CHECK,
            "description": f"{label} (赡养义务人 obligor)",
        },
    ]


_CATALOGUE: list[dict[str, Any]] = [
    *_death("death", "卫健死亡信息 health-commission death record"),
    *_death("police_deregistration", "公安户籍注销 police deregistration"),
    *_death("cremation", "火化信息 cremation record"),
    {
        "id": "prison_sole_member",
        "source": "prison",
        "conditions": [*_SERVING, {"field": "household_size", "op": "eq", "value": 1}],
        "evidence_fields": ["start_date"],
        "severity": "high",
        "suggested_action": "单人户成员服刑，停发 the only member is serving a sentence: stop",
        "description": "服刑人员 a one-person household's member is in prison or detention",
    },
    {
        "id": "prison_member",
        "source": "prison",
        "conditions": [*_SERVING, {"field": "household_size", "op": "gte", "value": 2}],
        "evidence_fields": ["start_date"],
        "severity": "medium",
        "suggested_action": "服刑成员不计入家庭，调整救助金 exclude the member and recalculate",
        "description": "服刑人员 a member is in prison or detention",
    },
    {
        "id": "prison_obligor",
        "source": "prison",
        "roles": ["obligor"],
        "programs": _SUPPORTED,
        "conditions": _SERVING,
        "evidence_fields": ["start_date"],
        "severity": "low",
        "suggested_action": _SUPPORT_CHECK,
        "description": "服刑人员 an obligor is in prison or detention",
    },
    *_employment(
        "public_payroll",
        "财政供养人员 a member is on the public payroll",
        "核查家庭收入，原则上取消 check income: likely stop",
        "high",
    ),
    *_employment(
        "employee_medical_insurance",
        "参加职工医保 a member has employee medical insurance (formal employment)",
        "核查就业收入 check employment income",
    ),
    *_employment(
        "work_injury",
        "参加工伤保险 a member has work-injury insurance (formal employment)",
        "核查就业收入 check income",
    ),
    *_employment(
        "provident_fund", "缴存住房公积金 a member pays into the housing provident fund", "核查收入 check income"
    ),
    *_employment(
        "retirement", "退休人员 a member is retired (a pension income)", "核查退休金收入 check the retirement income"
    ),
    {
        "id": "military",
        "source": "military",
        "programs": _MEANS_TESTED,
        "conditions": [_CURRENT, _STARTED],
        "evidence_fields": ["start_date", "status"],
        "severity": "medium",
        "suggested_action": "核查家庭人口变化 check the household's composition (a member in service)",
        "description": "服兵役 a member is in military service",
    },
    {
        "id": "pension_normal",
        "source": "pension",
        "programs": _MEANS_TESTED,
        "conditions": [{"field": "status", "op": "eq", "value": "normal"}],
        "evidence_fields": ["status"],
        "severity": "high",
        "suggested_action": "需提供单位就业收入证明，家庭收入超标的取消低保 "
        "proof of employment income required; stop if household income is over the standard",
        "description": "养老保险正常参保 pension insurance status normal",
    },
    {
        "id": "pension_terminated",
        "source": "pension",
        "programs": _MEANS_TESTED,
        "conditions": [{"field": "status", "op": "eq", "value": "terminated"}],
        "evidence_fields": ["status"],
        "severity": "medium",
        "suggested_action": "核实是否务工或已领取养老保险，家庭收入超标的取消低保 "
        "check whether working or drawing a pension; stop if over the standard",
        "description": "养老保险终止参保 pension insurance terminated",
    },
    {
        "id": "pension_obligor",
        "source": "pension",
        "roles": ["obligor"],
        "programs": _SUPPORTED,
        "conditions": [{"field": "status", "op": "eq", "value": "normal"}],
        "evidence_fields": ["status"],
        "severity": "low",
        "suggested_action": _SUPPORT_CHECK,
        "description": "养老保险正常参保 (赡养义务人) an obligor's pension insurance is normal",
    },
    {
        "id": "vehicle_not_deregistered",
        "source": "vehicle",
        "programs": _MEANS_TESTED,
        "conditions": [_MOTOR, {"field": "deregistered", "op": "eq", "value": False}],
        "evidence_fields": ["plate"],
        "severity": "high",
        "suggested_action": "原则上取消低保 stop in principle",
        "description": "名下有汽车或摩托车未注销 a car or motorcycle not deregistered",
    },
    {
        "id": "vehicle_deregistered",
        "source": "vehicle",
        "programs": _MEANS_TESTED,
        "conditions": [_MOTOR, {"field": "deregistered", "op": "eq", "value": True}],
        "evidence_fields": ["plate"],
        "severity": "low",
        "suggested_action": "需提供车辆注销证明 proof of deregistration required",
        "description": "名下车辆已注销 a deregistered car or motorcycle",
    },
    {
        "id": "vehicle_other",
        "source": "vehicle",
        "programs": _MEANS_TESTED,
        "conditions": [
            {"field": "vehicle_type", "op": "eq", "value": "other"},
            {"field": "deregistered", "op": "eq", "value": False},
        ],
        "evidence_fields": ["plate"],
        "severity": "low",
        "suggested_action": "核实车辆用途和价值 check the vehicle's use and value",
        "description": "名下有其他车辆 another kind of vehicle",
    },
    {
        "id": "vehicle_purchase_recent",
        "source": "vehicle",
        "programs": _MEANS_TESTED,
        "conditions": [_MOTOR, {"field": "registered_at", "op": "within", "months": 12}],
        "evidence_fields": ["plate"],
        "severity": "medium",
        "suggested_action": "购车预警，核实 car-purchase warning: check",
        "description": "一年内购车 a vehicle registered within the last 12 months (seed 002)",
    },
    {
        "id": "vehicle_obligor",
        "source": "vehicle",
        "roles": ["obligor"],
        "programs": _SUPPORTED,
        "conditions": [_MOTOR, {"field": "deregistered", "op": "eq", "value": False}],
        "evidence_fields": ["plate"],
        "severity": "low",
        "suggested_action": _SUPPORT_CHECK,
        "description": "赡养义务人名下有车 an obligor owns a car or motorcycle",
    },
    {
        "id": "property_commercial_recent",
        "source": "property",
        "programs": _MEANS_TESTED,
        "conditions": _COMMERCIAL_BOUGHT,
        "evidence_fields": ["property_id"],
        "severity": "high",
        "suggested_action": "原则上取消低保 stop in principle",
        "description": "三年内购置商品房（征地拆迁安置除外） a commercial home bought within 3 years "
        "(land-requisition resettlement excepted)",
    },
    {
        "id": "property_two_homes",
        "source": "property",
        "kind": "household_count",
        "programs": _MEANS_TESTED,
        "conditions": [_HOMES],
        "aggregate": {"distinct": "property_id", "at_least": 2},
        "severity": "high",
        "suggested_action": "原则上取消低保 stop in principle",
        "description": "拥有两套住房（农村有房且在城里买房的算两套） "
        "two homes (a village home and a town home count as two)",
    },
    {
        "id": "property_obligor",
        "source": "property",
        "roles": ["obligor"],
        "programs": _SUPPORTED,
        "conditions": _COMMERCIAL_BOUGHT,
        "evidence_fields": ["property_id"],
        "severity": "low",
        "suggested_action": _SUPPORT_CHECK,
        "description": "赡养义务人三年内购置商品房 an obligor bought a commercial home within 3 years",
    },
    {
        "id": "business_registration",
        "source": "business",
        "programs": _MEANS_TESTED,
        "conditions": [{"field": "status", "op": "not_in", "values": ["deregistered", "revoked"]}],
        "evidence_fields": ["credit_code"],
        "severity": "medium",
        "suggested_action": "镇街调查核实生产经营情况，按低保条件据实处理 "
        "the township investigates actual operation and decides on the dibao conditions",
        "description": "有注册工商信息 a business registration",
    },
    {
        "id": "business_obligor",
        "source": "business",
        "roles": ["obligor"],
        "programs": _SUPPORTED,
        "conditions": [{"field": "status", "op": "not_in", "values": ["deregistered", "revoked"]}],
        "evidence_fields": ["credit_code"],
        "severity": "low",
        "suggested_action": _SUPPORT_CHECK,
        "description": "赡养义务人有注册工商信息 an obligor has a business registration",
    },
    {
        "id": "flight",
        "source": "flight",
        "programs": _MEANS_TESTED,
        "conditions": [{"field": "flight_date", "op": "within", "months": 12}],
        "evidence_fields": ["flight_date", "route"],
        "severity": "low",
        "suggested_action": "乘机预警，核实消费情况 air-travel warning: check spending",
        "description": "一年内乘坐飞机 air travel within the last 12 months (seed 002)",
    },
]

DEFAULT_RULES: list[dict[str, Any]] = [_complete(rule) for rule in _CATALOGUE]

# Deaths monthly, prison quarterly, payroll and insurance half-yearly; the rest on each feed.
DEFAULT_SCHEDULES: list[dict[str, str]] = [
    {"source": "death", "frequency": "monthly"},
    {"source": "police_deregistration", "frequency": "monthly"},
    {"source": "cremation", "frequency": "monthly"},
    {"source": "prison", "frequency": "quarterly"},
    {"source": "public_payroll", "frequency": "half_yearly"},
    {"source": "employee_medical_insurance", "frequency": "half_yearly"},
    {"source": "work_injury", "frequency": "half_yearly"},
    {"source": "provident_fund", "frequency": "on_feed"},
    {"source": "retirement", "frequency": "on_feed"},
    {"source": "military", "frequency": "on_feed"},
    {"source": "pension", "frequency": "half_yearly"},
    {"source": "vehicle", "frequency": "on_feed"},
    {"source": "property", "frequency": "on_feed"},
    {"source": "business", "frequency": "on_feed"},
    {"source": "flight", "frequency": "on_feed"},
]
