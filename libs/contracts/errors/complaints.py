"""Codes only complaints answers with; each is raised as a Problem class in its module's `errors.py`.

`callback_url_refused` is in `common.py`: the gateway and complaints both answer it, with the kernel's class
(`libs.kernel.outbound.CallbackUrlRefused`), because both check a callback URL with the one outbound policy.
"""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # Work orders from the 12345 hotline (工单).
    ErrorCode("work_order_too_large", 413, "The work order is too large", "工单内容过大"),
    ErrorCode("raw_too_large", 413, "The platform's raw record of the call is too large", "工单原始记录过大"),
    ErrorCode(
        "work_order_conflict",
        409,
        "The work order number was already received with other content",
        "该工单号已接收过内容不同的工单",
    ),
    ErrorCode("work_order_not_found", 404, "No such work order of yours", "未找到本平台提交的该工单"),
    ErrorCode("not_answered", 409, "The work order is not answered yet", "该工单尚未办结答复，不能回访评价"),
    # The register of letters, visits and calls (信访件).
    ErrorCode("complaint_not_found", 404, "No such item", "未找到该信访件"),
    ErrorCode("not_assigned_to_you", 403, "The item is assigned to another office", "该件未交由本单位办理"),
    ErrorCode("complaint_closed", 409, "The item is already closed", "该件已办结"),
    ErrorCode("received_in_future", 422, "The time received is in the future", "受理时间不能晚于当前时间"),
    ErrorCode(
        "anonymous_item",
        409,
        "An anonymous item gets no reply and its informant is not revealed",
        "匿名件不予答复，也不公开举报人信息",
    ),
    ErrorCode(
        "finding_needs_facts",
        422,
        "A complaint or report ends in a finding about facts",
        "投诉、举报须作出是否属实的办理结论",
    ),
    ErrorCode(
        "not_investigated",
        409,
        "A finding about facts needs an investigation note first",
        "须先逐一核查并记录，才能作出办理结论",
    ),
    ErrorCode(
        "feedback_required",
        422,
        "A real-name item is closed only with written feedback",
        "实名件须书面答复信访人后才能办结",
    ),
    ErrorCode(
        "subject_unidentified",
        422,
        "Identify the household or person before upholding the item",
        "认定属实前须明确所涉家庭或人员",
    ),
    # Hotline platforms and the result push (办理结果回传).
    # Local figures (办理时限).
    ErrorCode("policy_exists", 409, "The region already has figures from that date", "该地区已有自该日起的规定"),
    ErrorCode("no_policy", 404, "No figures are in force for the region", "该地区当前没有生效的办理时限规定"),
)
