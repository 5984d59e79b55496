"""Files attached to a case (an investigation photo, a signed record): kept as uploaded, listed in the case's view
without their bytes, downloaded whole by those who may read the case, and refused when empty, too large or not the
officer's to attach."""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.kernel.auth import Principal
from services.casework.case.attachments import MAX_ATTACHMENT_BYTES
from services.casework.case.models import CaseAttachment
from tests.casework.flows import CASES, case_of_application, officers
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    event,
    family,
    new_county,
    new_village,
    set_standards,
    verification,
)


async def _investigating_case(api: CaseworkApi, village: str, county: str) -> str:
    broker = Broker(api)
    await set_standards(api, county, dibao_standard_fen=70000)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, wages_12_months="9600.00")
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    return case.id


async def _attach(api: CaseworkApi, who: Principal, case_id: str, name: str, body: bytes) -> tuple[int, dict[str, Any]]:
    reply = await api.http.post(
        f"{CASES}/{case_id}/attachments",
        params={"filename": name},
        content=body,
        headers={**api.as_(who), "Content-Type": "image/jpeg"},
    )
    return reply.status_code, reply.json()


async def _stored(api: CaseworkApi, case_id: str) -> int:
    async with api.db.sessions() as session:
        return await session.scalar(select(func.count()).where(CaseAttachment.case_id == case_id)) or 0


async def test_a_photo_is_kept_listed_without_its_bytes_and_downloaded_whole(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    township, _ = officers(village, county)
    case_id = await _investigating_case(api, village, county)
    photo = os.urandom(300_000)

    status, attached = await _attach(api, township, case_id, "入户调查照片.jpg", photo)
    assert status == 201, attached
    assert (attached["filename"], attached["size"], attached["sha256"]) == (
        "入户调查照片.jpg",
        len(photo),
        hashlib.sha256(photo).hexdigest(),
    )

    # Every step's answer is the case's view: it lists the file by what describes it, never its bytes.
    view = (await api.get(f"{CASES}/{case_id}", township)).json()
    [listed] = view["attachments"]
    # The same instant, whichever offset it is written with.
    at = {datetime.fromisoformat(a.pop("uploaded_at")) for a in (listed, attached)}
    assert (listed, len(at)) == (attached, 1)
    assert "content" not in listed

    download = await api.get(f"{CASES}/{case_id}/attachments/{attached['attachment_id']}", township)
    assert download.status_code == 200
    assert download.content == photo
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["x-content-sha256"] == attached["sha256"]


async def test_an_empty_a_too_large_or_anothers_attachment_is_refused_and_nothing_is_kept(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    township, _ = officers(village, county)
    elsewhere, _ = officers(new_village(new_county()), county)
    case_id = await _investigating_case(api, village, county)

    status, problem = await _attach(api, township, case_id, "空白.jpg", b"")
    assert (status, problem["code"]) == (422, "empty_attachment")
    status, problem = await _attach(api, township, case_id, "太大.jpg", b"\0" * (MAX_ATTACHMENT_BYTES + 1))
    assert status == 413, problem
    status, problem = await _attach(api, elsewhere, case_id, "别处.jpg", b"photo")
    assert status in (403, 404), problem
    assert await _stored(api, case_id) == 0

    status, attached = await _attach(api, township, case_id, "签字记录.jpg", b"signed")
    assert status == 201
    refused = await api.get(f"{CASES}/{case_id}/attachments/{attached['attachment_id']}", elsewhere)
    assert refused.status_code in (403, 404)
    assert b"signed" not in refused.content
    assert await _stored(api, case_id) == 1
