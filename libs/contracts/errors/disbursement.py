"""Codes only disbursement answers with; each is raised as a Problem class in its module's `errors.py`.

Disbursement also answers with `household_not_found`, catalogued in casework's area (the household is casework's),
and `amount_above_ceiling`, catalogued in common with the programs' ceilings (libs.contracts.programs)."""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # Amounts staff enter (one-off batches, money collected on a recovery order).
    ErrorCode("invalid_amount", 422, "An amount is more than zero", "金额须大于零"),
    # Rosters (发放花名册).
    ErrorCode("roster_not_found", 404, "No such roster in your jurisdiction", "未找到该发放花名册"),
    ErrorCode("roster_exists", 409, "The county already has a roster for this month", "本区县本月花名册已存在"),
    ErrorCode(
        "later_roster_exists",
        409,
        "The county already has a roster for a later month",
        "本区县已有以后月份的花名册，不能再造此前月份的花名册",
    ),
    ErrorCode("roster_status", 409, "The roster's status does not allow this", "花名册当前状态不允许此操作"),
    ErrorCode(
        "roster_outdated",
        409,
        "The ledger changed after the roster was built: rebuild it",
        "花名册生成后救助台账有变动，请重新生成、核对后再锁定",
    ),
    ErrorCode(
        "period_too_far_ahead",
        422,
        "A roster is built only a few months ahead",
        "花名册只能提前生成有限的月份",
    ),
    ErrorCode("unknown_county", 422, "No entitlement in this county is known", "本区县尚无享受救助的对象"),
    # Finance's payment results (银行回盘).
    ErrorCode(
        "too_many_results",
        413,
        "Too many results in one request",
        "单次提交的发放结果过多，请分批提交",
    ),
    ErrorCode(
        "conflicting_results",
        422,
        "The batch gives different results for the same line",
        "同一批结果对同一条发放记录给出了不同结果",
    ),
    ErrorCode("unknown_line", 422, "A line is not a line of this roster", "有发放记录不属于该花名册"),
    ErrorCode(
        "result_conflict",
        409,
        "A line was already reported with a different outcome",
        "该发放记录已有不同的发放结果",
    ),
    ErrorCode(
        "roster_reconciled", 409, "The roster is reconciled; its results are closed", "花名册已对账，不再接收发放结果"
    ),
    # Holds (暂停发放).
    ErrorCode("hold_not_found", 404, "No such hold", "未找到该暂停发放记录"),
    ErrorCode("not_entitled", 404, "The household has no entitlement of this program", "该户未享受此项救助"),
    ErrorCode("already_held", 409, "The household's payments are already suspended", "该户已暂停发放"),
    ErrorCode("hold_released", 409, "The hold was already released", "该暂停发放已解除"),
    ErrorCode(
        "account_hold",
        409,
        "An account hold ends when the account is fixed",
        "因银行账户暂停的发放，须更正账户后自动恢复",
    ),
    ErrorCode(
        "amount_hold",
        409,
        "An amount hold ends when casework sends an amount the program can pay",
        "因金额超出标准暂停的发放，须重新核定金额后恢复",
    ),
    # Bank accounts (银行账户).
    ErrorCode("account_not_found", 404, "No bank account of the household is held", "未登记该户的银行账户"),
    ErrorCode("warning_not_found", 404, "No such account warning in your jurisdiction", "未找到该共用账户预警"),
    ErrorCode("warning_closed", 409, "The account warning was already handled", "该共用账户预警已处理"),
    ErrorCode("filter_required", 422, "Name a household or a roster", "请指定家庭或花名册"),
    # Recovery orders (追回).
    ErrorCode("recovery_not_found", 404, "No such recovery order in your jurisdiction", "未找到该追回单"),
    ErrorCode("recovery_closed", 409, "The recovery order is closed", "该追回单已追回完毕或已核销"),
    ErrorCode(
        "amount_exceeds_outstanding",
        422,
        "The amount exceeds what is outstanding on the order",
        "金额超过尚未追回的数额",
    ),
    # The payment deadline (发放到位时限: 10 日前, or the region's day).
    ErrorCode(
        "deadline_figures_exist",
        409,
        "The region already has deadline figures from that month",
        "该地区已有自该月起的发放时限规定",
    ),
    ErrorCode(
        "figures_in_past",
        422,
        "Figures take effect from this month or a later one",
        "发放时限规定只能自本月或以后月份起生效",
    ),
    ErrorCode(
        "paid_by_before_due",
        422,
        "The payment deadline cannot come before the roster's due day",
        "发放到位日不能早于花名表报送截止日",
    ),
    ErrorCode("period_not_begun", 422, "The month has not begun", "所查月份尚未到来"),
    # Printed funding letters (rosters/funding_letter.py, issue 22).
    ErrorCode(
        "funding_letter_not_available",
        409,
        "The funding letter is printed from a locked roster only (a draft changes; a cancelled one is not funded)",
        "花名册锁定后才能打印资金拨付函（草稿或已作废的花名册不能打印）",
    ),
)
