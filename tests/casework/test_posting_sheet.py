"""The village posting sheet on paper (公示, issue 22): read back through pypdfium2 for the masked names, sizes,
programs and amounts, the village by name, the posting period and the objection channel; never an identity number
or a full name; a reprint of an unchanged posting is the kept file, a changed posting prints a new sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from libs.contracts.staff import StaffRole
from services.casework.db import documents, tables
from tests.casework.flows import CASES, case_of_application, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    application,
    event,
    fresh_id,
    investigation_body,
    new_county,
    new_village,
    staff,
    verification,
)
from tests.documents.pdf_text import pdf_text, save_png

POSTINGS = "/api/v1/casework/postings"


async def _name(api: CaseworkApi, village: str) -> None:
    rows = [
        {"code": village[:6], "name": "平遥县", "revision": 1},
        {"code": village[:9], "name": "古陶镇", "revision": 1},
        {"code": village, "name": "东关村", "revision": 1},
    ]
    t = tables.region_names
    async with api.db.sessions.begin() as s:
        await s.execute(insert(t).values(rows).on_conflict_do_nothing(index_elements=[t.c.code]))


async def _kept(api: CaseworkApi, village: str) -> int:
    d = documents.documents
    async with api.db.sessions() as s:
        count = await s.scalar(select(func.count()).select_from(d).where(d.c.subject_id == village))
    return int(count or 0)


async def _in_publicity(api: CaseworkApi, broker: Broker, village: str, people: list[Person]) -> None:
    app = application(village, people, wages_12_months="0.00")
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    township = staff(StaffRole.township_officer, village[:9])
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 4, 1)))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.json()["status"] == "publicity", r.text


async def test_the_sheet_prints_the_posting_and_reprints_until_it_changes(api: CaseworkApi, tmp_path: Path) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await _name(api, village)
    await recipient_household(api, broker, county, village)
    assistant = staff(StaffRole.village_assistant, village)
    api.clock.set_day(date(2026, 4, 1))

    first = await api.get(f"{POSTINGS}/{village}/sheet.pdf", assistant)
    assert first.status_code == 200, first.text
    text = pdf_text(first.content)
    for words in ("东关村社会救助对象公示", "平遥县古陶镇东关村", "王*国", "3人", "最低生活保障", "1,300.00元"):
        assert words in text, words
    for words in ("在保对象", "异议渠道", "12345", "古陶镇人民政府", "平遥民公〔2026〕第000001号"):
        assert words in text, words
    assert "王建国" not in text
    assert village not in text
    again = await api.get(f"{POSTINGS}/{village}/sheet.pdf", staff(StaffRole.county_officer, county))
    assert again.content == first.content

    born = date(1950, 1, 5)
    await _in_publicity(api, broker, village, [Person(fresh_id(born), "赵春梅", "head", born)])
    changed = await api.get(f"{POSTINGS}/{village}/sheet.pdf", assistant)
    assert changed.status_code == 200, changed.text
    save_png(changed.content, tmp_path / "posting.png")
    text = pdf_text(changed.content)
    for words in ("赵*梅", "拟批准", "王*国", "公示期：二〇二六年四月一日至", "平遥民公〔2026〕第000002号"):
        assert words in text, words
    assert "赵春梅" not in text
    assert await _kept(api, village) == 2


async def test_other_villages_and_empty_postings_print_nothing(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await recipient_household(api, broker, county, village)
    stranger = await api.get(f"{POSTINGS}/{village}/sheet.pdf", staff(StaffRole.village_assistant, new_village()))
    assert stranger.status_code == 403, stranger.text
    empty_village = new_village(county)
    empty = await api.get(f"{POSTINGS}/{empty_village}/sheet.pdf", staff(StaffRole.county_officer, county))
    assert (empty.status_code, empty.json()["code"]) == (409, "posting_empty")
    assert "没有需要公示" in empty.json()["title_zh"]
    bad = await api.get(f"{POSTINGS}/1404/sheet.pdf", staff(StaffRole.county_officer, county))
    assert bad.status_code == 422
    assert await _kept(api, village) == 0
    assert await _kept(api, empty_village) == 0
