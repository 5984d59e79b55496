"""Codes only matching answers with; each is raised as a Problem class in its module's `errors.py`."""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # Hits (services/matching/hits/errors.py).
    ErrorCode("hit_closed", 409, "The hit has been checked already", "该疑点已核查完毕"),
    # Rules (services/matching/rules/errors.py). intake's procedure rules answer with `rule_exists` too.
    ErrorCode("invalid_rule", 422, "The rule is not valid", "比对规则填写有误"),
    ErrorCode("rule_exists", 409, "A rule with this id exists already", "该规则已存在"),
    # Registry feeds (services/matching/feeds/errors.py; CONTRACTS.md §5). The gateway's proxy answers with
    # `client_disconnected` too.
    ErrorCode("unknown_source", 422, "Unknown registry source", "未知的比对数据来源"),
    ErrorCode("invalid_idempotency_key", 422, "The Idempotency-Key is not valid", "幂等键格式有误"),
    ErrorCode("unsupported_body_format", 422, "The feed must be CSV or NDJSON", "比对数据须为CSV或NDJSON格式"),
    ErrorCode("unexpected_body", 422, "This request takes no body", "此请求不应附带数据"),
    ErrorCode("empty_body", 422, "The feed is empty", "比对数据为空"),
    ErrorCode("invalid_body", 422, "The feed's first line is not a header or a JSON object", "比对数据首行格式有误"),
    ErrorCode("unframed_body", 422, "The feed cannot be cut into rows", "比对数据无法按行拆分"),
    ErrorCode("duplicate_columns", 422, "The header names a column twice", "表头有重复的列"),
    ErrorCode("missing_columns", 422, "The header lacks required columns", "表头缺少必需的列"),
    ErrorCode("too_many_rejects", 422, "Too many rows of the feed were refused", "比对数据被拒行数过多，已停止导入"),
    ErrorCode("body_stalled", 400, "The provider stopped sending the feed", "比对数据发送中断，已放弃本次上传"),
    ErrorCode(
        "feed_in_progress",
        409,
        "A feed under this Idempotency-Key is still being received",
        "同一幂等键的比对数据仍在接收中",
    ),
    ErrorCode(
        "idempotency_key_reused", 409, "The Idempotency-Key was used for another feed", "该幂等键已用于其他比对数据"
    ),
    ErrorCode("upload_failed", 409, "The upload failed; create a new one", "上传失败，请重新创建上传"),
    ErrorCode("upload_in_progress", 409, "The upload is being loaded already", "该上传正在导入中"),
    ErrorCode("upload_already_loaded", 409, "The upload was loaded with another body", "该上传已导入其他数据"),
)
