"""Codes only intake answers with; each is raised as a Problem class in its module's `errors.py`.

The 422 codes of an application's content (`age_not_eligible` …) name each field at fault in `errors`; the first
one is the problem's code. Codes intake shares with casework (`recusal_required`, `person_already_recipient`,
`invalid_status`, `not_a_member`) are casework's: recipients, recusal and statuses are the case's concepts.
"""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # Leads (active discovery: 主动发现).
    ErrorCode("lead_not_found", 404, "No such lead", "未找到该线索"),
    ErrorCode("lead_not_open", 409, "The lead has already been dealt with", "该线索已办结，不能再办理"),
    ErrorCode(
        "region_outside_lead_region",
        422,
        "The region is outside the lead's region (409 when reassigning the lead)",
        "所选地区不在线索所属地区内",
    ),
    # Applications (申请、受理、补正).
    ErrorCode("application_not_found", 404, "No such application", "未找到该申请"),
    ErrorCode(
        "person_in_open_application", 409, "This person is already in an open application", "此人已有正在办理的申请"
    ),
    ErrorCode("lead_immutable", 422, "The lead of an application cannot change", "申请关联的线索不能更改"),
    ErrorCode(
        "already_returned",
        409,
        "The missing materials were already listed once",
        "需补正的材料已一次性告知，不能再次退回补正",
    ),
    ErrorCode("already_extended", 409, "The time limit was already extended once", "办理时限已延长过一次"),
    ErrorCode("invalid_id_number", 422, "The identity number is not valid", "身份证号码有误"),
    # What an application's content must satisfy (申请条件).
    ErrorCode(
        "age_not_eligible",
        422,
        "The applicant's age does not meet the program's condition",
        "申请人年龄不符合该项目条件",
    ),
    ErrorCode(
        "single_person_condition_not_met", 422, "The single-person dibao condition is not met", "不符合单人保条件"
    ),
    ErrorCode(
        "disability_not_eligible",
        422,
        "The applicant's disability does not meet the program's condition",
        "申请人残疾情况不符合该项目条件",
    ),
    ErrorCode("duplicate_member", 422, "A person is listed twice in the household", "家庭成员重复填写"),
    ErrorCode("one_head_required", 422, "Exactly one member is the head of the household", "须有且只有一名户主"),
    ErrorCode(
        "disability_incomplete", 422, "Give both the kind and the grade of disability", "残疾类别和等级须同时填写"
    ),
    ErrorCode(
        "applicant_not_member", 422, "The applicant must be a member of the household", "申请人须为共同生活家庭成员"
    ),
    ErrorCode(
        "obligor_is_member",
        422,
        "A support obligor lives apart and is not a member",
        "赡养、抚养或扶养义务人不属于共同生活家庭成员",
    ),
    ErrorCode("proxy_required", 422, "A proxy application names the proxy", "代为申请须填写代办人"),
    ErrorCode("proxy_without_proxy_channel", 422, "Only a proxy application names a proxy", "只有代为申请才填写代办人"),
    ErrorCode("lead_required", 422, "A referral names the lead it comes from", "转办申请须注明来源线索"),
    ErrorCode(
        "referral_channel_required", 422, "An application from a lead is a referral", "来自线索的申请应为转办渠道"
    ),
    ErrorCode(
        "emergency_only_temporary", 422, "Only temporary assistance has an emergency path", "只有临时救助可走急难程序"
    ),
    ErrorCode(
        "relative_details_required",
        422,
        "Name the related staff member and the relation",
        "须填写有近亲属关系的工作人员姓名及关系",
    ),
    ErrorCode(
        "relatives_not_declared",
        422,
        "Relatives are listed but the declaration says none",
        "近亲属备案声明与所列人员不一致",
    ),
    ErrorCode(
        "declaration_required",
        422,
        "The commitment and the verification authorisation must be signed",
        "须签署如实申报承诺书和家庭经济状况核对授权书",
    ),
    ErrorCode("bank_account_required", 422, "A paid program needs the payment account", "须提供发放账户"),
    # Local figures (办理时限).
    ErrorCode("above_national_cap", 422, "A time limit is above the national one", "办理时限超过国家规定"),
    ErrorCode("no_rule", 404, "No time limits are in force for the region", "该地区当前没有生效的办理时限规定"),
    # Warnings from the province's verification platform (预警).
    ErrorCode(
        "warning_id_reused",
        409,
        "The warning id was already received with other content",
        "该预警编号已接收过内容不同的预警",
    ),
    # Printed notices (documents/errors.py, issue 22).
    ErrorCode(
        "application_document_not_available",
        409,
        "A notice exists only once the application is accepted (受理通知书) or returned for supplement (一次性告知书)",
        "申请尚未受理或未退回补正，不能打印此文书",
    ),
)
