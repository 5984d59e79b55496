"""`GET /api/v1/errors`: the published catalogue of error codes (libs.contracts.errors), for partners and the console.

Served by the gateway because it is the one public entry: every code any service answers with is here, with its
status and its English and Simplified Chinese message, so a partner can branch on `code` and a console can show the
Chinese text without a copy of its own. No token is needed: the list names no data.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from libs.contracts.errors import AREAS

PATH = "/api/v1/errors"
_CACHE_SECONDS = 3600  # the catalogue changes only with a release


class ErrorEntry(BaseModel):
    code: str = Field(description="The stable `code` of a problem document")
    status: int = Field(description="The HTTP status it comes with")
    en: str = Field(description="What it means, in English")
    zh: str = Field(description="What it means, in Simplified Chinese (`title_zh` of a problem)")
    area: str = Field(description="Where it comes from: common, gateway, or a service's name")


class ErrorCatalogue(BaseModel):
    items: list[ErrorEntry]


def catalogue() -> ErrorCatalogue:
    """Every code, by area then code."""
    items = [
        ErrorEntry(code=e.code, status=e.status, en=e.en, zh=e.zh, area=area)
        for area, codes in AREAS.items()
        for e in codes
    ]
    return ErrorCatalogue(items=sorted(items, key=lambda e: (e.area, e.code)))


catalogue_router = APIRouter(tags=["errors"])


@catalogue_router.get(PATH, response_model=ErrorCatalogue, summary="The error codes Jiuzhu answers with")
async def list_errors(response: Response) -> ErrorCatalogue:
    """Every error code a caller can receive, with its HTTP status and its English and Chinese message; sorted by
    area, then code. No token needed."""
    response.headers["Cache-Control"] = f"public, max-age={_CACHE_SECONDS}"
    return catalogue()
