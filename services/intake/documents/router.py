"""Staff API of an application's printed notices: `/api/v1/intake/applications/{id}/documents` (issue 22)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from libs.kernel.db import DbSession
from libs.kernel.document_archive import DocumentOut, document_answers, pdf_response
from services.intake.context import IntakeCtx
from services.intake.dependencies import Reader
from services.intake.documents import service
from services.intake.documents.wording import NoticeKind

router = APIRouter(prefix="/api/v1/intake/applications", tags=["printed documents"])

_NO_APPLICATION = {404: "No such application (`application_not_found`)"}


@router.get(
    "/{application_id}/documents",
    response_model=list[DocumentOut],
    responses=document_answers(_NO_APPLICATION),
)
async def list_notices(application_id: str, session: DbSession, who: Reader) -> list[DocumentOut]:
    """The notices printed for the application, oldest first: each stays in the archive as printed."""
    return [DocumentOut.of(d) for d in await service.notices_of(session, who, application_id)]


@router.get(
    "/{application_id}/documents/{kind}.pdf",
    response_class=Response,
    responses=document_answers(
        {
            **_NO_APPLICATION,
            409: "Not accepted (`acceptance`) or never returned for supplement (`supplement`) "
            "(`application_document_not_available`)",
            422: "Unknown kind: `acceptance` or `supplement`",
        },
        pdf=True,
    ),
)
async def print_notice(
    application_id: str, kind: NoticeKind, session: DbSession, ctx: IntakeCtx, who: Reader
) -> Response:
    """The 受理通知书 (`acceptance`: the program, the day accepted, the time limit and its due date, what happens
    next) or the 一次性告知书 (`supplement`: every proof still owed, listed once) as an A4 PDF. Printed the first time
    it is asked for, numbered and kept with the application; every reprint is the kept file, byte for byte (its
    sha256 in `X-Content-SHA256`)."""
    doc = await service.print_notice(session, ctx, who, application_id, kind)
    return pdf_response(doc)
