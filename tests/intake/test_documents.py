"""Intake's printed notices (issue 22): 受理通知书 on acceptance and 一次性告知书 on return, kept with the application.

Each notice is read back (its text through pypdfium2) for the words, the region names, the number, the time limit
and every missing item; a reprint is the same bytes; another county's officer is refused; a notice whose event has
not happened is 409 and nothing is kept.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from libs.contracts.staff import StaffRole
from services.intake.db import documents, tables
from tests.documents.pdf_text import pdf_text, save_png
from tests.intake.support import IntakeApi, application_body, new_village, staff
from tests.intake.test_application_lifecycle import BASE, accepted, act, created, officer
from tests.support.regions import new_county

ACCEPTED_ON = date(2026, 2, 10)


async def _named_village(api: IntakeApi) -> str:
    """A village of a county of its own (numbers run per county), named as the gateway delivers names, with the
    national time limits pinned so no other test's rule moves its due date."""
    village = new_village(new_county())
    rows = [
        {"code": village[:6], "name": "平遥县", "revision": 1},
        {"code": village[:9], "name": "古陶镇", "revision": 1},
        {"code": village, "name": "东关村", "revision": 1},
    ]
    t = tables.region_names
    async with api.db.sessions.begin() as s:
        await s.execute(insert(t).values(rows).on_conflict_do_nothing(index_elements=[t.c.code]))
    rule = {"region_prefix": village, "effective_from": "2026-01-01", "decision_days": 30, "extended_days": 45}
    r = await api.post("/api/v1/intake/procedure-rules", staff(StaffRole.county_officer, village[:6]), rule)
    assert r.status_code == 201, r.text
    return village


async def _kept(api: IntakeApi, app_id: str) -> int:
    d = documents.documents
    async with api.db.sessions() as s:
        count = await s.scalar(select(func.count()).select_from(d).where(d.c.subject_id == app_id))
    return int(count or 0)


async def test_acceptance_notice_prints_once_and_reprints_identical(api: IntakeApi, tmp_path: Path) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await _named_village(api)
    who = officer(village)
    app = await accepted(api, who, application_body(village))
    app_id = app["application_id"]

    r = await api.get(f"{BASE}/{app_id}/documents/acceptance.pdf", who)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    save_png(r.content, tmp_path / "acceptance.png")
    text = pdf_text(r.content)
    for words in (
        "最低生活保障受理通知书",
        "平遥县古陶镇东关村",
        "古陶镇人民政府",
        "决定予以受理",
        "自受理之日起30个工作日",
        "二〇二六年三月三十日前",  # 30 working days from Tue 10 Feb 2026, over the Spring Festival
        "二〇二六年二月十日",
        "入户调查",
        "12345",
        app["application_no"],
        "平遥民受〔2026〕第000001号",
    ):
        assert words in text, words
    assert village not in text
    assert village[:6] + "〔" not in text

    county_officer = staff(StaffRole.county_officer, village[:6])
    # An extension later does not rewrite the notice printed at acceptance: the reprint is the kept file.
    await act(api, who, app_id, "extend", {"reason": "需要补充调查"})
    again = await api.get(f"{BASE}/{app_id}/documents/acceptance.pdf", county_officer)
    assert again.content == r.content
    assert again.headers["x-content-sha256"] == r.headers["x-content-sha256"]

    listed = (await api.get(f"{BASE}/{app_id}/documents", who)).json()
    assert [(d["kind"], d["number"], d["title"]) for d in listed] == [
        ("acceptance", "平遥民受〔2026〕第000001号", "最低生活保障受理通知书")
    ]
    early = await api.get(f"{BASE}/{app_id}/documents/supplement.pdf", who)
    assert (early.status_code, early.json()["code"]) == (409, "application_document_not_available")
    assert "未退回补正" in early.json()["title_zh"]


async def test_supplement_notice_lists_every_missing_item(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await _named_village(api)
    who = officer(village)
    app_id = (await created(api, who, application_body(village)))["application_id"]
    draft = await api.get(f"{BASE}/{app_id}/documents/acceptance.pdf", who)
    assert (draft.status_code, draft.json()["code"]) == (409, "application_document_not_available")
    await act(api, who, app_id, "submit")
    missing = {
        "missing": [{"item": "户口簿复印件", "note": "全部页"}, {"item": "残疾证"}, {"item": "近三个月工资证明"}]
    }
    await act(api, who, app_id, "return", missing)

    r = await api.get(f"{BASE}/{app_id}/documents/supplement.pdf", who)
    assert r.status_code == 200, r.text
    text = pdf_text(r.content)
    for words in (
        "申请材料一次性告知书",
        "一次性书面告知",
        "共3项",
        "户口簿复印件",
        "全部页",
        "残疾证",
        "近三个月工资证明",
        "证明义务",
        "平遥县古陶镇东关村",
        "平遥民受〔2026〕第000001号",
    ):
        assert words in text, words
    again = await api.get(f"{BASE}/{app_id}/documents/supplement.pdf", who)
    assert again.content == r.content
    assert await _kept(api, app_id) == 1


async def test_another_county_is_refused_and_nothing_is_kept(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await _named_village(api)
    app_id = (await accepted(api, officer(village), application_body(village)))["application_id"]
    stranger = staff(StaffRole.county_officer, new_county())
    for path in ("documents/acceptance.pdf", "documents/supplement.pdf", "documents"):
        r = await api.get(f"{BASE}/{app_id}/{path}", stranger)
        assert r.status_code == 403, r.text
    missing = await api.get(f"{BASE}/no-such-application/documents/acceptance.pdf", stranger)
    assert (missing.status_code, missing.json()["code"]) == (404, "application_not_found")
    unknown = await api.get(f"{BASE}/{app_id}/documents/poster.pdf", officer(village))
    assert unknown.status_code == 422
    assert await _kept(api, app_id) == 0
