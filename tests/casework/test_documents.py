"""Casework's printed documents (issue 22): the decision letters and the recipient's card, kept with the case.

Each document is read back (its text through pypdfium2) for the words, the region names, the number and the amount;
a reprint is the same bytes; another county's officer is refused; a new decision makes a new document and number.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from libs.contracts.staff import StaffRole
from services.casework.db import documents, tables
from tests.casework.flows import CASES, officers, recipient_household
from tests.casework.flows import village_report_review as review_of
from tests.casework.support import Broker, CaseworkApi, investigation_body, new_county, new_village, staff
from tests.documents.pdf_text import pdf_text, save_png


async def _name(api: CaseworkApi, village: str) -> None:
    """The county, township and village by name, as the gateway delivers them."""
    rows = [
        {"code": village[:6], "name": "平遥县", "revision": 1},
        {"code": village[:9], "name": "古陶镇", "revision": 1},
        {"code": village, "name": "东关村", "revision": 1},
    ]
    t = tables.region_names
    async with api.db.sessions.begin() as s:
        await s.execute(insert(t).values(rows).on_conflict_do_nothing(index_elements=[t.c.code]))


async def _kept(api: CaseworkApi, case_id: str) -> int:
    async with api.db.sessions() as s:
        count = await s.scalar(
            select(func.count()).select_from(documents.documents).where(documents.documents.c.subject_id == case_id)
        )
    return int(count or 0)


async def test_approval_letter_and_card_print_once_and_reprint_identical(api: CaseworkApi, tmp_path: Path) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await _name(api, village)
    household_id, case_id = await recipient_household(api, broker, county, village)
    township, county_officer = officers(village, county)
    shown = (await api.get(f"{CASES}/{case_id}", township)).json()

    r = await api.get(f"{CASES}/{case_id}/documents/decision.pdf", township)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    save_png(r.content, tmp_path / "approval.png")
    for words in ("最低生活保障审批决定书", "平遥县古陶镇东关村", "平遥县民政局", "盖章处", "核算过程", "下次复核时间"):
        assert words in text, words
    whole, cents = shown["proposed_amount"].split(".")
    assert f"每月发放最低生活保障{int(whole):,}.{cents}元" in text
    assert "平遥民救〔2026〕第000001号" in text
    # Names, never codes.
    assert village not in text
    assert county not in text
    assert f"{int(shown['effective_month'][5:])}月起" in text

    again = await api.get(f"{CASES}/{case_id}/documents/decision.pdf", county_officer)
    assert again.content == r.content
    assert again.headers["x-content-sha256"] == r.headers["x-content-sha256"]

    card = await api.get(f"{CASES}/{case_id}/documents/card.pdf", township)
    assert card.status_code == 200, card.text
    card_text = pdf_text(card.content)
    for words in ("明白卡", "每月金额", "下次复核", "12345", "户主（签字）", "平遥民救〔2026〕第000002号"):
        assert words in card_text, words

    listed = (await api.get(f"{CASES}/{case_id}/documents", township)).json()
    assert [(d["kind"], d["number"]) for d in listed] == [
        ("decision", "平遥民救〔2026〕第000001号"),
        ("card", "平遥民救〔2026〕第000002号"),
    ]
    assert listed[0]["title"] == "最低生活保障审批决定书"
    assert household_id


async def test_another_county_is_refused_and_nothing_is_kept(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    _, case_id = await recipient_household(api, broker, county, village)
    stranger = staff(StaffRole.county_officer, new_county())
    for path in ("documents/decision.pdf", "documents/card.pdf", "documents"):
        r = await api.get(f"{CASES}/{case_id}/{path}", stranger)
        assert r.status_code == 403, r.text
    missing = await api.get(f"{CASES}/no-such-case/documents/decision.pdf", stranger)
    assert (missing.status_code, missing.json()["code"]) == (404, "case_not_found")
    township, _ = officers(village, county)
    unknown = await api.get(f"{CASES}/{case_id}/documents/poster.pdf", township)
    assert unknown.status_code == 422
    assert await _kept(api, case_id) == 0


async def test_an_open_case_has_no_letter_and_a_stop_prints_its_own(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await _name(api, village)
    household_id, approval = await recipient_household(api, broker, county, village)
    township, county_officer = officers(village, county)
    assert (await api.get(f"{CASES}/{approval}/documents/decision.pdf", township)).status_code == 200

    api.clock.set_day(date(2026, 6, 10))
    review = await review_of(api, household_id, f"stop-{household_id}")
    early = await api.get(f"{CASES}/{review}/documents/decision.pdf", township)
    assert (early.status_code, early.json()["code"]) == (409, "document_not_available")
    assert "案件尚未作出相应决定" in early.json()["title_zh"]

    r = await api.post(f"{CASES}/{review}/investigations", township, investigation_body(date(2026, 6, 10)))
    assert r.status_code == 201, r.text
    proposal = {
        "outcome": "stopped",
        "reasons": ["迁出本辖区"],
        "effective_month": "2026-08",
        "stop_ground": "moved_out",
    }
    assert (await api.post(f"{CASES}/{review}/proposal", township, proposal)).status_code == 200
    assert (await api.post(f"{CASES}/{review}/decision", county_officer, {"decision": "confirm"})).status_code == 200

    stop = await api.get(f"{CASES}/{review}/documents/decision.pdf", township)
    assert stop.status_code == 200, stop.text
    text = pdf_text(stop.content)
    for words in ("停发告知书", "迁出本辖区", "2026年8月起停发", "行政复议", "六十日", "平遥民救〔2026〕第000002号"):
        assert words in text, words
    no_card = await api.get(f"{CASES}/{review}/documents/card.pdf", township)
    assert (no_card.status_code, no_card.json()["code"]) == (409, "document_not_available")
    assert await _kept(api, review) == 1
