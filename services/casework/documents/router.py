"""Staff API of a case's printed documents: `/api/v1/casework/cases/{case_id}/documents` (issue 22)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from libs.kernel.db import DbSession
from libs.kernel.document_archive import DocumentOut, document_answers, pdf_response
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Reader
from services.casework.documents import service
from services.casework.documents.wording import DocumentKind

router = APIRouter(prefix="/api/v1/casework/cases", tags=["printed documents"])

_NO_CASE = {404: "No such case (`case_not_found`)"}


@router.get(
    "/{case_id}/documents",
    response_model=list[DocumentOut],
    responses=document_answers(_NO_CASE),
)
async def list_documents(case_id: str, session: DbSession, who: Reader) -> list[DocumentOut]:
    """The documents printed for the case (一户一档), oldest first: every decision's letter stays in the archive."""
    return [DocumentOut.of(d) for d in await service.documents_of(session, who, case_id)]


@router.get(
    "/{case_id}/documents/{kind}.pdf",
    response_class=Response,
    responses=document_answers(
        {
            **_NO_CASE,
            409: "The case is not decided, or its outcome has no such document (`document_not_available`)",
            422: "Unknown kind: `decision` or `card`",
        },
        pdf=True,
    ),
)
async def print_document(
    case_id: str, kind: DocumentKind, session: DbSession, ctx: CaseworkCtx, who: Reader
) -> Response:
    """The decision's letter (`decision`: 审批决定书, 不予批准告知书, 调整 / 渐退 / 停发告知书, 复核结果告知书 by the
    outcome) or the recipient's card (`card`, 明白卡) as an A4 PDF. Printed the first time it is asked for, numbered
    and kept with the case; every reprint is the kept file, byte for byte (its sha256 in `X-Content-SHA256`)."""
    doc = await service.print_document(session, ctx, who, case_id, kind)
    return pdf_response(doc)
