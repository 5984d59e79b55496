"""structlog JSON logs with `service`, `request_id` and `event_id`, and personal data redacted.

Redaction is a safety net, not the policy: code must not log personal data in the first place (DOMAIN.md §11). The
processor masks known keys wherever they appear and scrubs identity-number-, phone- and account-shaped digit runs
from every string value. The values a database error quotes (asyncpg's "invalid input for query argument $1: '…'",
PostgreSQL's `invalid input syntax for type …: "…"` and `Key (…)=(…)` details, SQLAlchemy's `[parameters: …]`) are
removed whatever their shape, since a name or an address has none: a 500's traceback names the statement, never
the values.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger

SENSITIVE_KEYS = frozenset(
    {
        "id_number",
        "id_no",
        "idcard",
        "payee_id_number",
        "phone",
        "mobile",
        "telephone",
        "account_no",
        "bank_account",
        "card_no",
        "password",
        "client_secret",
        "secret",
        "token",
        "access_token",
        "authorization",
        "diagnosis",
        "disease",
        "health",
        "illness",
        "disability",
        "address",
    }
)
REDACTED = "[redacted]"

# 18-character identity numbers (or 15-digit legacy), mainland mobile numbers, and 12–19 digit account numbers.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# Bank card numbers are 16–19 digits; 12-digit runs are village region codes and stay readable.
_ACCOUNT_RE = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
# Identifiers we generate (uuids, hex tokens) can contain long digit runs by chance; they are never personal data.
_ID_KEYS = frozenset({"event_id", "request_id", "correlation_id", "correlationid", "probe_id", "timestamp"})


# Database errors quote the offending values; each pattern keeps what names the fault and drops the value.
_DB_VALUES = (
    # asyncpg, before sending: the value's repr (cut at 40 characters) and the codec's reason, which may repeat it.
    (re.compile(r"(invalid input for query argument \$\d+[^:\n]*: ).*"), rf"\g<1>{REDACTED}"),
    # PostgreSQL: `invalid input syntax for type integer: "…"`, `… out of range: "…"`, `value "…" is out of range`.
    (re.compile(r'(: |\bvalue )"(?:[^"\n]|"")*"'), rf'\g<1>"{REDACTED}"'),
    # DETAIL of constraint violations: `Key (id_number_hash)=(…) already exists`, `Failing row contains (…).`
    (re.compile(r"(\bKey \((?:[^()\n]|\([^()\n]*\))*\)=)\(.*?\)(?= already| is not present| conflicts|\.?$)", re.M),
     rf"\g<1>({REDACTED})"),
    (re.compile(r"(Failing row contains )\(.*\)", re.M), rf"\g<1>({REDACTED})"),
    # SQLAlchemy's rendering of a failed statement's parameters (engines hide them; this is for any that does not).
    (re.compile(r"(\[parameters: ).*?(\])$", re.M), rf"\g<1>{REDACTED}\g<2>"),
)  # fmt: skip
_DB_MARKERS = ("query argument", '"', "Key (", "Failing row", "[parameters: ")


def scrub_database_values(text: str) -> str:
    """`text` without the values a database error message quotes."""
    if not any(marker in text for marker in _DB_MARKERS):
        return text
    for pattern, replacement in _DB_VALUES:
        text = pattern.sub(replacement, text)
    return text


def scrub(text: str) -> str:
    text = scrub_database_values(text)
    text = _ID_RE.sub(REDACTED, text)
    text = _PHONE_RE.sub(REDACTED, text)
    return _ACCOUNT_RE.sub(REDACTED, text)


def _redact_value(key: str, value: Any) -> Any:
    lowered = key.lower()
    if lowered in SENSITIVE_KEYS:
        return REDACTED
    if lowered in _ID_KEYS:
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, int) and not isinstance(value, bool) and scrub(str(value)) != str(value):
        return REDACTED
    if isinstance(value, Mapping):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redact_personal_data(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact_value(key, value)
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    """Configure structlog and route stdlib logging (uvicorn, aiokafka, alembic) through the same JSON renderer."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_personal_data,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.JSONRenderer(sort_keys=False)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping().get(level.upper(), 20)),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log would duplicate our request line (and carries query strings); aiokafka is chatty.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # httpx logs every URL at INFO, query strings included, and query strings may carry personal data.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
