"""OAuth 2.0 token errors as problems: `code` for our clients, and the same value in `error` (RFC 6749 §5.2)
so off-the-shelf OAuth client libraries understand them too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from libs.kernel.errors import (
    BadGateway,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    Problem,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)


class OAuthProblem(Problem):
    def __init__(self, detail: str | None = None, *, headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail, headers=headers, error=self.code, error_description=detail or self.title, **extra)


class InvalidRequest(OAuthProblem):
    code = "invalid_request"


class UnsupportedGrantType(OAuthProblem):
    code = "unsupported_grant_type"


class InvalidScope(OAuthProblem):
    code = "invalid_scope"


class InvalidGrant(OAuthProblem):
    # CONTRACTS.md §1 fixes 401 for wrong staff credentials (RFC 6749 would say 400).
    code = "invalid_grant"


class InvalidClient(OAuthProblem):
    code = "invalid_client"


class CallbackNotRegistered(BadGateway):
    code = "callback_not_registered"


class ClientDisconnected(BadRequest):
    code = "client_disconnected"


class MissingToken(Unauthorized):
    code = "missing_token"


class InvalidAccessToken(Unauthorized):
    code = "invalid_token"


class AccessTokenExpired(Unauthorized):
    code = "token_expired"


class AccessTokenRevoked(Unauthorized):
    code = "token_revoked"


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"


class StaffOnly(Forbidden):
    code = "staff_only"


class UseAdminApi(Forbidden):
    code = "use_admin_api"


class UserNotFound(NotFound):
    code = "user_not_found"


class ClientNotFound(NotFound):
    code = "client_not_found"


class CannotDeactivateSelf(Conflict):
    code = "cannot_deactivate_self"


class UsernameTaken(Conflict):
    code = "username_taken"


class WrongCurrentPassword(Unprocessable):
    code = "wrong_current_password"


class WeakPassword(Unprocessable):
    code = "weak_password"


class NotAHotlineClient(Unprocessable):
    code = "not_a_hotline_client"


class WrongClientSecret(Unprocessable):
    code = "wrong_client_secret"


class TooManyFailures(TooManyRequests):
    code = "too_many_failures"


class AccountLocked(TooManyRequests):
    code = "account_locked"


class PublicRateLimited(TooManyRequests):
    code = "public_rate_limited"
