"""Files attached to a case (an investigation photo, a signed record): read from the request up to a bound, kept as
uploaded and never replaced."""

from __future__ import annotations

import hashlib
import uuid

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.casework.case.errors import EmptyAttachment, PayloadTooLarge
from services.casework.case.models import Case, CaseAttachment
from services.casework.context import Casework

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


async def read_bounded(request: Request) -> bytes:
    """The raw request body, refused as soon as it passes the bound (never read whole first)."""
    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise PayloadTooLarge(f"An attachment is at most {MAX_ATTACHMENT_BYTES} bytes")
    if not content:
        raise EmptyAttachment("The attachment is empty")
    return bytes(content)


def attach(
    session: AsyncSession,
    ctx: Casework,
    who: Principal,
    case: Case,
    filename: str,
    content_type: str,
    content: bytes,
) -> CaseAttachment:
    row = CaseAttachment(
        id=f"att-{uuid.uuid4()}",
        case_id=case.id,
        filename=filename,
        content_type=content_type[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=who.subject,
        uploaded_at=ctx.now(),
    )
    session.add(row)
    return row
