"""Problem details (RFC 9457) for every error, with a stable `code` (CONTRACTS.md, common rules).

Domain code raises a `Problem` subclass; routers never build error responses themselves. Anything unexpected becomes a
500 problem without internals, logged with the request id.

Each module declares its problems as classes in its `errors.py` (`class HitClosed(Conflict): code = "hit_closed"`);
the code, its status and its English and Chinese messages live in the published catalogue (`libs.contracts.errors`),
so a class takes its status and title from there and every problem carries the Chinese message as `title_zh`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from libs.contracts.errors import CATALOGUE

PROBLEM_JSON = "application/problem+json"
# A problem answer in a route's `responses=` (OpenAPI): its body is a problem document.
PROBLEM: dict[str, Any] = {"content": {PROBLEM_JSON: {}}}
_log = structlog.get_logger("errors")


class Problem(Exception):
    """An expected failure that maps to an HTTP status and a stable snake_case code."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        entry = CATALOGUE.get(cls.code)
        if entry is None or "code" not in cls.__dict__:
            return
        # The catalogue says what a code answers with; a class names its code and the kind of problem it is (its
        # parent), and the two can never disagree.
        parent, kind_status = cls.__mro__[1], entry.status
        if issubclass(parent, Problem) and parent is not Problem and "code" in parent.__dict__:
            kind_status = parent.status
        status = cls.__dict__.get("status", kind_status)
        if entry.status != status:
            raise TypeError(f"{cls.__name__}: {cls.code} is {entry.status} in the catalogue, not {status}")
        cls.status = status
        if "title" not in cls.__dict__:
            cls.title = entry.en

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.instance_code = code or self.code
        self.errors = list(errors) if errors is not None else None
        self.headers = dict(headers or {})
        self.extra = extra


class BadRequest(Problem):
    code = "bad_request"


class Unauthorized(Problem):
    code = "unauthorized"


class Forbidden(Problem):
    code = "forbidden"


class OutsideJurisdiction(Forbidden):
    code = "outside_jurisdiction"


class NotFound(Problem):
    code = "not_found"


class Conflict(Problem):
    code = "conflict"


class Unprocessable(Problem):
    code = "validation_failed"


class TooManyRequests(Problem):
    code = "too_many_requests"


class BadGateway(Problem):
    code = "service_unavailable"


class GatewayTimeout(Problem):
    code = "service_timeout"


# The kernel's own refusals (libs.kernel: auth, paging, the metrics endpoint); their codes are in the catalogue's
# common area, so every service and the gateway answer them alike.
class MissingPrincipal(Unauthorized):
    code = "missing_principal"


class InvalidInternalToken(Unauthorized):
    code = "invalid_internal_token"


class InvalidMetricsToken(Unauthorized):
    code = "invalid_metrics_token"


class RoleRequired(Forbidden):
    code = "role_required"


class ScopeRequired(Forbidden):
    code = "scope_required"


class InvalidCursor(Unprocessable):
    code = "invalid_cursor"


def documented(*problems: type[Problem], notes: Mapping[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: for each status, the catalogued codes the route may answer with and what each means,
    so the partner document and the catalogue never disagree. `notes` puts words first under a status that no class
    carries (`{422: "Invalid input; errors names each field"}`)."""
    said: dict[int, list[str]] = {status: [words] for status, words in (notes or {}).items()}
    for problem in problems:
        said.setdefault(problem.status, []).append(f"{problem.title} (`{problem.code}`)")
    return {status: {"description": "; ".join(lines)} for status, lines in sorted(said.items())}


# What a staff route may refuse with before its own rules (libs.kernel.auth): a region outside the caller's
# jurisdiction, a role the route does not allow. Routes document these first: `documented(*ACCESS_REFUSALS, ...)`.
ACCESS_REFUSALS: tuple[type[Problem], ...] = (OutsideJurisdiction, RoleRequired)
# The words under 422 of a route whose body or query is checked field by field: `documented(..., notes=FIELD_ERRORS)`.
FIELD_ERRORS: Mapping[int, str] = {422: "Invalid input; `errors` names each field"}


_STATUS_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("payload_too_large", "Payload too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    422: ("validation_failed", "The request is not valid"),
    429: ("too_many_requests", "Too many requests"),
    500: ("internal_error", "Internal error"),
    502: ("service_unavailable", "Service unavailable"),
    503: ("not_ready", "Not ready"),
    504: ("service_timeout", "Service timeout"),
}


def problem_body(
    status: int,
    *,
    code: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    correlation_id: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    default_code, default_title = _STATUS_CODES.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": f"https://jiuzhu.example/problems/{code or default_code}",
        "title": title or default_title,
        "status": status,
        "detail": detail or title or default_title,
        "code": code or default_code,
        "correlation_id": correlation_id,
    }
    entry = CATALOGUE.get(body["code"])
    if entry is not None:
        body["title_zh"] = entry.zh
    if errors is not None:
        body["errors"] = [_with_chinese(e) for e in errors]
    body.update(extra)
    return body


def _with_chinese(error: Mapping[str, Any]) -> dict[str, Any]:
    """An item of `errors` with its own catalogued code gets that code's Chinese message, for the field it names."""
    item = dict(error)
    entry = CATALOGUE.get(str(item.get("code") or ""))
    if entry is not None and "title_zh" not in item:
        item["title_zh"] = entry.zh
    return item


def problem_response(status: int, *, headers: Mapping[str, str] | None = None, **fields: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, **fields), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def request_id_of(request: Request) -> str | None:
    """The request's id as RequestContextMiddleware set it (for problems, records, audit notes)."""
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def _clean_validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Never echo the rejected input back: it may be an identity number or a bank account.
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")} for e in exc.errors()]


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            exc.status,
            headers=exc.headers,
            code=exc.instance_code,
            title=exc.title,
            detail=exc.detail,
            correlation_id=request_id_of(request),
            errors=exc.errors,
            **exc.extra,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = _clean_validation_errors(exc)
        first = errors[0] if errors else {"loc": [], "msg": ""}
        return problem_response(
            422,
            code="validation_failed",
            detail=f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}",
            correlation_id=request_id_of(request),
            errors=errors,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(
            exc.status_code,
            headers=exc.headers,
            detail=str(exc.detail) if exc.detail else None,
            correlation_id=request_id_of(request),
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("request.failed", path=request.url.path)
        return problem_response(500, correlation_id=request_id_of(request))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
