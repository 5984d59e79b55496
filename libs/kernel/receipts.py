"""Messages a partner sends once under its own key (a 12345 work order number, a provincial warning id). The first
delivery is acted on and its answer kept beside a hash of the request; the same message again gets that answer back,
and another message under a key already used is a conflict. Each service keeps its receipts in a table of its own
(at least `request_hash` and `response`); this module is how one is taken, answered and read again, and how a route
receiving such messages answers: with its own status the first time, with 200 and the original answer for a repeat."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import orjson
from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.errors import Problem, documented


class Receipt(Protocol):
    # SHA-256 of the canonical request: equal means "the same message again", different means a reused key.
    request_hash: str
    # The answer the first delivery got, as JSON.
    response: dict[str, Any]


R = TypeVar("R", bound=Receipt)
A = TypeVar("A", bound=BaseModel)


def compact_json(value: Any, *, sort_keys: bool = False) -> bytes:
    """`value` as compact UTF-8 JSON (orjson's bytes, which the stored request hashes were made with)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except TypeError:
        # An integer beyond 64 bits: valid JSON, which orjson does not write (it was a 500 in a platform's `raw`).
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False).encode()


def request_hash(body: BaseModel, *instants: str) -> str:
    """SHA-256 of the request as sorted compact JSON. The fields named in `instants` are written in UTC: the same
    moment written with another offset is the same message (compare instants, not spellings)."""
    data = body.model_dump(mode="json")
    for name in instants:
        moment: datetime | None = getattr(body, name)
        data[name] = None if moment is None else moment.astimezone(UTC).isoformat()
    return hashlib.sha256(compact_json(data, sort_keys=True)).hexdigest()


async def receipt_for(session: AsyncSession, model: type[R], key: Mapping[str, Any], **first: Any) -> R:
    """The receipt under `key` (its primary key, columns in order), locked until the transaction ends: written now
    with `first` unless an earlier delivery holds it. Two deliveries at once wait for each other; never both act."""
    await session.execute(pg_insert(model).values(**key, **first).on_conflict_do_nothing(index_elements=list(key)))
    row = await session.get(model, tuple(key.values()), with_for_update=True)
    assert row is not None
    return row


def original_answer(receipt: Receipt, digest: str, answer: type[A], conflict: Exception) -> A:
    """The answer the first delivery got, when this delivery is the same message (`digest`); else `conflict`."""
    if receipt.request_hash != digest:
        raise conflict
    return answer.model_validate(receipt.response)


def keep_answer(receipt: Receipt, answer: A) -> A:
    """`answer`, kept on the receipt to be given again to a repeat of the same message."""
    receipt.response = answer.model_dump(mode="json")
    return answer


def responses(what: str, *problems: type[Problem], notes: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route receiving `what` once: a repeat's 200, then the problems it may answer with."""
    return {200: {"description": f"The same {what} again: the original answer"}, **documented(*problems, notes=notes)}


def answered(response: Response, received: tuple[A, bool]) -> A:
    """A receiving route's answer: with the route's own status when this delivery acted on the message, else 200."""
    answer, acted = received
    if not acted:
        response.status_code = 200
    return answer
