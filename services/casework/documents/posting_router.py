"""The village posting sheet as PDF: `/api/v1/casework/postings/{village_code}/sheet.pdf` (公示, issue 22)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from libs.kernel.db import DbSession
from libs.kernel.document_archive import document_answers, pdf_response
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Reader
from services.casework.documents.posting import print_posting

router = APIRouter(prefix="/api/v1/casework/postings", tags=["printed documents"])


@router.get(
    "/{village_code}/sheet.pdf",
    response_class=Response,
    responses=document_answers(
        {409: "Nothing is posted in the village (`posting_empty`)", 422: "Not a 12-digit village code"}, pdf=True
    ),
)
async def print_posting_sheet(
    village_code: Annotated[str, Path(pattern=r"^[0-9]{12}$")], session: DbSession, ctx: CaseworkCtx, who: Reader
) -> Response:
    """The village posting (公示) as an A4 sheet to put up: masked names, household size, program and monthly amount
    of the proposals in publicity and the standing recipients, the posting period and where to object; never an
    identity number, an illness or a child's allowance. Numbered and kept: while the posting is unchanged every
    reprint is the kept file, byte for byte (its sha256 in `X-Content-SHA256`); a changed posting prints anew."""
    doc = await print_posting(session, ctx, who, village_code)
    return pdf_response(doc)
