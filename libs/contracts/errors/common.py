"""Codes any endpoint of any service or the gateway can answer with (libs.kernel: errors, auth, paging, input guard)."""

from libs.contracts.errors.entry import ErrorCode

CODES = (
    ErrorCode("bad_request", 400, "Bad request", "请求有误"),
    # The gateway's proxy and matching's streamed feeds both notice a caller gone before its body was complete.
    ErrorCode(
        "client_disconnected", 400, "The client went away while sending the request", "请求未发送完整，连接已断开"
    ),
    ErrorCode("unauthorized", 401, "Authentication required", "请先登录"),
    ErrorCode("missing_principal", 401, "No principal was forwarded by the gateway", "未经网关转发身份"),
    ErrorCode(
        "invalid_internal_token",
        401,
        "The internal principal token is missing, expired or invalid",
        "内部身份令牌缺失、过期或无效",
    ),
    ErrorCode("invalid_metrics_token", 401, "The metrics token is missing or wrong", "监控令牌缺失或错误"),
    ErrorCode("forbidden", 403, "Forbidden", "无权进行此操作"),
    ErrorCode("outside_jurisdiction", 403, "Outside your jurisdiction", "超出本人管辖区域"),
    ErrorCode("role_required", 403, "This action needs another role", "此操作需要其他岗位权限"),
    ErrorCode("scope_required", 403, "This endpoint needs another partner scope", "此接口需要其他对接权限"),
    ErrorCode("not_found", 404, "Not found", "未找到"),
    ErrorCode("method_not_allowed", 405, "Method not allowed", "不支持此请求方式"),
    ErrorCode("not_acceptable", 406, "Not acceptable", "无法提供所要求的格式"),
    ErrorCode("conflict", 409, "Conflict", "与当前状态冲突"),
    # The training clock (libs.kernel.training_clock, gateway.clock): the gateway and every service refuse it.
    ErrorCode(
        "clock_fixed_in_production",
        409,
        "In production the business date follows the real calendar",
        "生产环境的业务日期以实际日期为准，不能调整",
    ),
    ErrorCode("payload_too_large", 413, "Payload too large", "提交的内容过大"),
    ErrorCode("unsupported_media_type", 415, "Unsupported media type", "不支持的内容格式"),
    ErrorCode("validation_failed", 422, "The request is not valid", "填写的内容不符合要求"),
    # The calendar admin API of every service that keeps a calendar (libs.modules.work_calendar).
    ErrorCode("date_outside_year", 422, "A date of the schedule is not in its year", "日期不在该年度内"),
    ErrorCode("makeup_day_not_weekend", 422, "A make-up working day must be a weekend day", "调休上班日应为周末"),
    ErrorCode(
        "day_both_off_and_working",
        422,
        "A day is listed both as a day off and as a working day",
        "同一天既列为放假又列为上班",
    ),
    ErrorCode("malformed_schedule", 422, "The year schedule is malformed", "年度节假日安排格式有误"),
    ErrorCode(
        "callback_url_refused",
        422,
        "The callback URL may not be called (https, no internal address)",
        "回调地址不可使用（须为 https，且不得指向内部地址）",
    ),
    ErrorCode("too_deep", 422, "The JSON body is nested too deeply", "提交的内容层级过深"),
    # Value types of libs.contracts that several services accept (programs, periods, money).
    ErrorCode("amount_above_ceiling", 422, "The amount is above the program's ceiling", "金额超过该救助项目的上限"),
    ErrorCode("invalid_period", 422, "A month is written YYYY-MM, e.g. 2026-12", "月份格式应为“年-月”，如 2026-12"),
    ErrorCode("out_of_range", 422, "The value is outside the range allowed", "数值超出允许范围"),
    # Monthly figures (libs.modules.figures_by_region): a month nobody can have figures for.
    ErrorCode(
        "statistics_month_out_of_range",
        422,
        "The month of the figures is in the future or before 2000-01",
        "统计月份不能晚于本月，也不能早于 2000 年 1 月",
    ),
    ErrorCode("invalid_cursor", 422, "The cursor is not one this endpoint issued", "翻页标记无效"),
    ErrorCode("too_many_requests", 429, "Too many requests", "请求过于频繁，请稍后再试"),
    ErrorCode("internal_error", 500, "Internal error", "系统内部错误"),
    ErrorCode("service_unavailable", 502, "The service behind the gateway is unavailable", "后台服务暂不可用"),
    ErrorCode("not_ready", 503, "Not ready", "服务尚未就绪"),
    ErrorCode("service_timeout", 504, "The service behind the gateway did not answer in time", "后台服务响应超时"),
)
