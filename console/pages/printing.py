"""打印: a printed document (决定书, 明白卡, 受理通知书, 一次性告知书, 资金拨付函) fetched from the API as the
signed-in person and passed to the browser as the API kept it, byte for byte.

The console renders nothing itself: the services number, render and keep each document (issue 22), so what the
browser prints is the archived file, its sha256 passed on with it. A refusal (another region, a document that does
not apply yet) is a page with the catalogue's Chinese message, never a broken download.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from console.gateway_client import ApiProblem
from console.web import current_session, gateway_of, page

router = APIRouter()

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
CaseKind = Literal["decision", "card"]
ApplicationKind = Literal["acceptance", "supplement"]
# The headers of the kept file worth passing on: what it is, its name, its digest, and that no cache keeps it.
_PASSED = ("content-type", "content-disposition", "x-content-sha256")


async def _printed(request: Request, path: str) -> Response:
    session = current_session(request)
    try:
        answer = await gateway_of(request).document(session, path)
    except ApiProblem as refused:
        shown: HTMLResponse = page(request, "refused.html", refused.status, session=session, person=session.person,
                                   message=refused.message)  # fmt: skip
        return shown
    headers = {k: v for k, v in answer.headers.items() if k.lower() in _PASSED and k.lower() != "content-type"}
    return Response(answer.content, media_type=answer.headers.get("content-type", "application/pdf"),
                    headers={**headers, "Cache-Control": "private, no-store"})  # fmt: skip


@router.get("/cases/{case_id}/print/{kind}.pdf", response_class=Response)
async def case_document(request: Request, case_id: Id, kind: CaseKind) -> Response:
    """The case's decision letter (`decision`) or the recipient's card (`card`, 明白卡)."""
    return await _printed(request, f"/api/v1/casework/cases/{case_id}/documents/{kind}.pdf")


@router.get("/applications/{application_id}/print/{kind}.pdf", response_class=Response)
async def application_notice(request: Request, application_id: Id, kind: ApplicationKind) -> Response:
    """The application's 受理通知书 (`acceptance`) or 一次性告知书 (`supplement`)."""
    return await _printed(request, f"/api/v1/intake/applications/{application_id}/documents/{kind}.pdf")


@router.get("/rosters/{roster_id}/print/funding-letter.pdf", response_class=Response)
async def funding_letter(request: Request, roster_id: Id) -> Response:
    """The locked roster's 资金拨付函."""
    return await _printed(request, f"/api/v1/disbursement/rosters/{roster_id}/funding-letter.pdf")
