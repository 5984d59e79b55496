"""Codes only casework answers with; each is raised as a Problem class in its module's `errors.py`.

Some are casework's concepts that other services answer with too (a household, a recipient, a recusal, a member of
a household, a status that does not allow the action): they are catalogued here, once.
"""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # Cases (case/errors.py)
    ErrorCode("case_not_found", 404, "No such case", "未找到该案件"),
    ErrorCode("attachment_not_found", 404, "No such attachment on this case", "该案件无此附件"),
    ErrorCode("invalid_status", 409, "The status does not allow this action", "当前办理状态不允许此操作"),
    ErrorCode("standard_missing", 409, "A local figure is not set for this area", "本地区保障标准尚未设定"),
    ErrorCode(
        "county_investigation_required",
        403,
        "A close-relative case is investigated by the county",
        "近亲属备案案件须由县级入户调查",
    ),
    ErrorCode(
        "confirmation_not_delegated",
        403,
        "Only the county confirms decisions here",
        "审批权未下放乡镇，须由县级审批",
    ),
    ErrorCode(
        "two_investigators_required",
        422,
        "A home investigation needs two different investigators",
        "入户调查须由两名不同工作人员进行",
    ),
    ErrorCode("not_a_member", 422, "The person is not a member of the household", "该人员不是家庭成员"),
    ErrorCode("visit_in_future", 422, "The visit date is in the future", "入户调查日期晚于今天"),
    ErrorCode("household_empty", 422, "Removing every member stops the household", "减少全部成员应提出停保"),
    ErrorCode("not_eligible", 422, "The calculation does not support this outcome", "核算结果不支持此审核意见"),
    ErrorCode("outcome_not_allowed", 422, "This case cannot end in this outcome", "此类案件不能作此决定"),
    ErrorCode("reason_required", 422, "This decision needs a written reason", "此决定须写明理由"),
    ErrorCode("empty_attachment", 422, "The attachment is empty", "附件为空"),
    ErrorCode(
        "outcome_against_rule",
        422,
        "The review's recalculation does not allow this outcome",
        "复核结论不符合规定（续保、调整、渐退、停发须依核算结果）",
    ),
    # Recusal and the close-relative register (case/errors.py, relatives/errors.py)
    ErrorCode(
        "recusal_required",
        403,
        "A close relative of this household may not act on it",
        "与该户有近亲属关系，应当回避",
    ),
    ErrorCode("filing_not_found", 404, "No such close-relative filing", "未找到该近亲属备案"),
    ErrorCode("filing_exists", 409, "This relation is already on file", "该近亲属关系已经备案"),
    ErrorCode("already_withdrawn", 409, "The filing was already withdrawn", "该备案已经撤销"),
    # The registry (registry/errors.py)
    ErrorCode("household_not_found", 404, "No such household", "未找到该保障家庭"),
    ErrorCode("not_yet_registered", 404, "The household did not exist on that date", "该日期该户尚未纳入保障"),
    ErrorCode(
        "person_already_recipient",
        409,
        "The person already belongs to a recipient household",
        "该人员已属于在保家庭",
    ),
    # Local figures (local_figures/errors.py)
    ErrorCode("figure_exists", 409, "The figure is already set from this date", "该项标准自此日期已有设定"),
    ErrorCode("invalid_figure", 422, "A figure of the standards is not valid", "保障标准数值无效"),
    # Village reports (reports/errors.py)
    ErrorCode("report_exists", 409, "The village has already filed this month's report", "本村本月已报送动态报告"),
    ErrorCode("report_not_found", 404, "The village has filed no report for this month", "本村本月未报送动态报告"),
    ErrorCode("period_in_future", 422, "The month has not begun", "报告月份尚未开始"),
    ErrorCode("invalid_village_code", 422, "A village code has 12 digits", "村（社区）代码应为12位"),
    ErrorCode("invalid_region_code", 422, "The region code is not a city, county or township", "区划代码无效"),
    ErrorCode("invalid_township_code", 422, "A township code has 9 digits", "乡镇（街道）代码应为9位"),
    ErrorCode("duplicate_change", 422, "A change is listed twice", "同一变化重复填报"),
    ErrorCode("detail_required", 422, "A change of kind 'other' needs a detail", "“其他”变化须填写说明"),
    ErrorCode(
        "zero_report_required",
        422,
        "The village has no recipient household: file a zero report",
        "本村无在保家庭，应报送零报告",
    ),
    ErrorCode("zero_report_with_entries", 422, "A zero report has no entries", "零报告不应填报条目"),
    ErrorCode("unknown_household", 422, "Not a recipient household of the village", "不是本村在保家庭"),
    ErrorCode("duplicate_household", 422, "A household has more than one entry", "同一户填报多条"),
    ErrorCode("households_missing", 422, "A recipient household has no entry", "有在保家庭未填报"),
    # Deaths (case/deaths.py)
    ErrorCode(
        "stop_before_death",
        422,
        "A stop for a death takes effect from the month after the death at the earliest",
        "因死亡停发的，停发月份不得早于死亡次月",
    ),
    ErrorCode("death_in_future", 422, "The death date is in the future", "死亡日期晚于今天"),
    ErrorCode("household_closed", 409, "The household is no longer a recipient household", "该户已停止保障"),
    # Standard raises (raises/errors.py)
    ErrorCode(
        "raise_month_out_of_range",
        422,
        "A standard raise takes effect from 12 months back to 3 months ahead",
        "提标生效月份须在前12个月至后3个月之内",
    ),
    ErrorCode(
        "no_new_standard",
        422,
        "No local figure of the county takes effect from this month",
        "该县本月没有新的保障标准生效",
    ),
    ErrorCode("standard_raise_not_found", 404, "No such standard raise", "未找到该提标批次"),
    # Temporary grants (grants/errors.py)
    ErrorCode("grant_not_found", 404, "No such temporary grant", "未找到该临时救助记录"),
    ErrorCode(
        "above_advance_ceiling",
        422,
        "An advance grant is above the region's ceiling for 先行救助",
        "先行救助金额超过本地区小金额先行救助上限",
    ),
    ErrorCode(
        "above_grant_limit",
        422,
        "The grant is above the region's temporary assistance limit",
        "救助金额超过本地区临时救助标准上限",
    ),
    ErrorCode(
        "same_cause_helped",
        409,
        "The person was already helped for the same cause in this period",
        "同一事由在规定期限内已给予过临时救助",
    ),
    ErrorCode("discovered_in_future", 422, "The discovery time is in the future", "发现时间晚于当前时间"),
    ErrorCode(
        "discovered_too_long_ago",
        422,
        "An emergency discovered more than 90 days ago is not an emergency: file an application",
        "发现时间已超过90日，不属于急难情形，请按程序提出申请",
    ),
    ErrorCode("account_missing", 409, "No account to pay the grant into", "未提供临时救助金收款账户"),
    ErrorCode("grant_state", 409, "The grant's state does not allow this action", "该临时救助当前状态不允许此操作"),
    # Appeals (appeals/errors.py)
    ErrorCode("appeal_not_found", 404, "No such appeal", "未找到该复核申请"),
    ErrorCode(
        "not_appealable",
        422,
        "Only a refusal, a stop, a reduction or a gradual exit can be appealed",
        "只有不予批准、停发、减发或渐退的决定可以申请复核",
    ),
    ErrorCode(
        "appeal_late",
        422,
        "The time to appeal this decision has passed",
        "已超过申请复核的期限",
    ),
    ErrorCode("appeal_exists", 409, "This decision has already been appealed", "该决定已提出过复核申请"),
    ErrorCode("appeal_decided", 409, "The appeal has already been decided", "该复核申请已作出复核决定"),
    ErrorCode(
        "appeal_same_officer",
        403,
        "The officer who made the decision may not decide its appeal",
        "原决定作出人不得办理对该决定的复核",
    ),
    ErrorCode(
        "decision_superseded",
        409,
        "A later decision has changed this entitlement: open a review instead",
        "该待遇已被此后的决定变更，请另行启动复核程序",
    ),
    # Annual review campaigns and the simplified review (campaigns/errors.py, case/errors.py)
    ErrorCode("campaign_not_found", 404, "No such annual review campaign", "未找到该年度复核工作"),
    ErrorCode(
        "campaign_window_invalid",
        422,
        "An annual review window lasts two to three months, in the campaign's year, and not already over",
        "年度复核期限应为2至3个月，在本年度内，且尚未届满",
    ),
    ErrorCode(
        "campaign_exists",
        409,
        "The county's annual review of this year was opened with another window or procedure",
        "该县本年度复核工作已按其他期限或程序启动",
    ),
    ErrorCode(
        "simplified_review_not_allowed",
        422,
        "A desk check replaces the home visit only in a simplified annual review, before any objection",
        "仅简化年度复核且未收到异议的，方可以书面核查代替入户调查",
    ),
    ErrorCode(
        "home_visit_required",
        422,
        "Only continuing is decided on a desk check: this outcome needs a home investigation",
        "书面核查仅适用于情况无变化继续保障的，其他复核结论须入户调查",
    ),
    # Household changes at review and moves (case/member_changes.py, moves/errors.py; issue 21)
    ErrorCode("already_a_member", 409, "The person is already a member of this household", "该人员已是本户成员"),
    ErrorCode(
        "head_not_remaining",
        422,
        "The new head must be a member who stays in the household",
        "新户主须为变更后仍在本户的成员",
    ),
    ErrorCode("move_not_found", 404, "No such move", "未找到该迁移申请"),
    ErrorCode("move_to_same_place", 422, "The household already lives in this village", "迁入地与现居住地相同"),
    ErrorCode(
        "move_month_out_of_range",
        422,
        "A move takes effect from this month to 12 months ahead",
        "迁移生效月份须在本月至此后12个月之内",
    ),
    ErrorCode(
        "move_pending",
        409,
        "The household has a move awaiting acceptance or its month",
        "该户已有待接收或待生效的迁移",
    ),
    ErrorCode(
        "household_case_open",
        409,
        "The household has a case in progress: decide it first",
        "该户有正在办理的案件，请先办结",
    ),
    ErrorCode("move_decided", 409, "The move has already been accepted or refused", "该迁移申请已处理"),
    # The commitment at review and the democratic evaluation (case/errors.py, issue 21)
    ErrorCode(
        "commitment_required",
        422,
        "A review's investigation needs the household's signed commitment",
        "复核入户调查须附家庭签署的如实申报承诺书（签署人、签署日期）",
    ),
    ErrorCode(
        "commitment_date_invalid",
        422,
        "The commitment is dated in the future or before the review opened",
        "承诺书签署日期不能晚于今天，也不能早于本次复核启动之日",
    ),
    ErrorCode(
        "evaluation_required",
        409,
        "This region requires a democratic evaluation of the latest investigation before the proposal",
        "本地区规定须先进行民主评议（村社区评议），方可提出初审意见",
    ),
    ErrorCode(
        "evaluation_exists",
        409,
        "An evaluation of this investigation is already recorded",
        "本次入户调查已记录民主评议结果",
    ),
    ErrorCode(
        "evaluation_date_invalid",
        422,
        "The evaluation is dated in the future or before the home visit",
        "评议日期不能晚于今天，也不能早于入户调查日期",
    ),
    ErrorCode(
        "evaluation_inconsistent",
        422,
        "The panel, the counts and the result of the evaluation do not agree",
        "评议人数、表决票数与评议结果不一致",
    ),
    ErrorCode("dissent_required", 422, "Votes against need the dissent written down", "有反对意见的，须记录不同意见"),
    # Printed documents (documents/errors.py, issue 22)
    ErrorCode(
        "document_not_available",
        409,
        "This document exists only once the case is decided with an outcome that has it",
        "案件尚未作出相应决定，不能打印此文书",
    ),
    ErrorCode(
        "county_not_public",
        404,
        "No public page for this county: it is not a county the system names",
        "未找到该区县的信息公开页面",
    ),
    ErrorCode(
        "posting_empty",
        409,
        "Nothing is posted in the village: no proposal in publicity and no recipient to list",
        "本村当前没有需要公示的对象，不能打印公示单",
    ),
)
