"""What a feed upload names besides its body: the source, the as-of date and the provider's Idempotency-Key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Query

from libs.contracts.dates import PastDate
from services.matching.context import MatchingCtx
from services.matching.dependencies import Feeder
from services.matching.feeds.errors import InvalidIdempotencyKey, UnknownSource
from services.matching.feeds.service import NewFeed
from services.matching.sources import SOURCES, SourceSpec

# Printable ASCII without spaces (a UUID, a hash, a file name and date): what providers send, and safe to log.
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _source(source: Annotated[str, Query(max_length=64)]) -> SourceSpec:
    spec = SOURCES.get(source)
    if spec is None:
        raise UnknownSource(
            f"Unknown source {source!r}",
            errors=[{"loc": ["query", "source"], "msg": f"one of {', '.join(SOURCES)}"}],
        )
    return spec


def _idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", description="Repeats answer as the first")] = None,
) -> str | None:
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise InvalidIdempotencyKey(
            "The Idempotency-Key is 1 to 255 printable ASCII characters without spaces",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "1-255 printable ASCII characters"}],
        )
    return key


Source = Annotated[SourceSpec, Depends(_source)]
IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]
# The date the extract reflects: one that has happened (not after tomorrow, China time); default today.
AsOf = Annotated[PastDate | None, Query(description="The date the extract reflects (YYYY-MM-DD); default today")]


@dataclass(frozen=True)
class FeedNaming:
    """A new feed as its request names it: the source's spec, and the source, date, provider and key."""

    spec: SourceSpec
    new: NewFeed


def _naming(ctx: MatchingCtx, who: Feeder, spec: Source, key: IdempotencyKey, as_of: AsOf = None) -> FeedNaming:
    return FeedNaming(spec, NewFeed(spec.name, as_of or ctx.today(), who, key))


Named = Annotated[FeedNaming, Depends(_naming)]
