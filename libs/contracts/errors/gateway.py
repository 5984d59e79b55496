"""Codes only the gateway answers with (sign-in, accounts, partner clients, routing); each is a Problem class in
`gateway/auth/errors.py`, except `audit_unavailable`, which the access audit answers before any route runs."""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    # The token endpoint (OAuth 2.0, RFC 6749 §5.2: the same value in `error`).
    ErrorCode("invalid_request", 400, "The token request is malformed", "令牌申请格式有误"),
    ErrorCode("unsupported_grant_type", 400, "This grant type is not supported", "不支持此授权方式"),
    ErrorCode(
        "invalid_scope",
        400,
        "The requested scope exceeds what the client holds",
        "申请的权限超出该对接方所有",
    ),
    ErrorCode("invalid_grant", 401, "The username or password is wrong", "用户名或密码错误"),
    ErrorCode("invalid_client", 401, "The client id or secret is wrong", "对接方编号或密钥错误"),
    # Access tokens and sign-in.
    ErrorCode("missing_token", 401, "No access token was sent", "未携带访问令牌，请先登录"),
    ErrorCode("invalid_token", 401, "The access token is not valid", "访问令牌无效，请重新登录"),
    ErrorCode("token_expired", 401, "The access token has expired", "访问令牌已过期，请重新登录"),
    ErrorCode(
        "token_revoked",
        401,
        "The access token has been revoked; sign in again",
        "访问令牌已被注销，请重新登录",
    ),
    ErrorCode(
        "password_change_required",
        403,
        "Your password was reset by an administrator: choose a new one first",
        "密码已由管理员重置，请先设置新密码",
    ),
    ErrorCode(
        "staff_only", 403, "Only staff may do this; partner clients use their partner endpoints", "仅限工作人员使用"
    ),
    ErrorCode(
        "use_admin_api",
        403,
        "Hotline callbacks are changed through the gateway's administration API",
        "12345 热线回调地址须通过网关管理接口修改",
    ),
    ErrorCode(
        "too_many_failures", 429, "Too many failed sign-ins from this address", "该地址登录失败次数过多，请稍后再试"
    ),
    ErrorCode(
        "account_locked",
        429,
        "The account is locked after too many failed sign-ins",
        "账号因多次登录失败已锁定，请稍后再试或联系管理员解锁",
    ),
    # Accounts and partner clients (administration).
    ErrorCode("user_not_found", 404, "No such user in your jurisdiction", "本辖区内无此用户"),
    ErrorCode("client_not_found", 404, "No such partner client in your jurisdiction", "本辖区内无此对接方"),
    ErrorCode("cannot_deactivate_self", 409, "You cannot deactivate your own account", "不能停用本人账号"),
    ErrorCode("username_taken", 409, "The username is taken", "用户名已被占用"),
    ErrorCode("wrong_current_password", 422, "The current password is wrong", "原密码错误"),
    ErrorCode("weak_password", 422, "The password does not meet the password policy", "密码不符合安全要求"),
    ErrorCode(
        "not_a_hotline_client",
        422,
        "Only an active hotline client has a callback",
        "仅启用中的 12345 热线对接方可设置回调",
    ),
    ErrorCode("wrong_client_secret", 422, "The client secret is not this client's", "对接方密钥不正确"),
    ErrorCode(
        "callback_not_registered",
        502,
        "The complaints service did not take the callback; try again",
        "投诉服务未能登记回调地址，请重试",
    ),
    # The training clock (issue 21; `clock_fixed_in_production` is common: the services refuse it too).
    ErrorCode(
        "clock_backwards",
        409,
        "The training clock stands further ahead; moving it back needs rewind: true",
        "培训时钟已向前调整，回拨须明确注明 rewind",
    ),
    # Proxying and the access audit.
    ErrorCode(
        "audit_unavailable",
        503,
        "The access audit cannot be written at the moment; nothing was done",
        "访问记录暂时无法写入，本次操作未执行，请稍后重试",
    ),
    ErrorCode(
        "public_rate_limited",
        429,
        "Too many requests to the public pages from this address; try again later",
        "该地址访问过于频繁，请稍后再试",
    ),
)
