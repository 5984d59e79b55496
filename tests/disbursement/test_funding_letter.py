"""资金拨付函 on paper (issue 22): a locked roster's funding letter, kept with the roster; the JSON names the county.

The letter is read back (its text through pypdfium2) for the addressee and issuer by name, the totals by program in
yuan with two decimals, the checksum and the number; a reprint is the same bytes; a draft or cancelled roster has no
letter (409) and another county's officer does not see the roster (404, as every roster route answers).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from libs.contracts.programs import Program
from services.disbursement.db import documents, tables
from tests.disbursement.support import Broker, DisbursementApi, entitled, new_county, officer
from tests.documents.pdf_text import pdf_text, save_png

ROSTERS = "/api/v1/disbursement/rosters"


async def _name(api: DisbursementApi, county: str) -> None:
    t = tables.region_names
    async with api.db.sessions.begin() as s:
        row = {"code": county, "name": "平遥县", "revision": 1}
        await s.execute(insert(t).values(row).on_conflict_do_nothing(index_elements=[t.c.code]))


async def _kept(api: DisbursementApi, roster_id: str) -> int:
    d = documents.documents
    async with api.db.sessions() as s:
        count = await s.scalar(select(func.count()).select_from(d).where(d.c.subject_id == roster_id))
    return int(count or 0)


async def test_a_locked_roster_prints_its_letter_once(api: DisbursementApi, broker: Broker, tmp_path: Path) -> None:
    county = new_county()
    await _name(api, county)
    for amount in ("1234.56", "0.44"):
        await entitled(broker, county, amount=amount)
    await entitled(broker, county, amount="800.00", program=Program.TEKUN_DISPERSED)
    roster = await api.build(county, "2026-12")
    letter_json = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter", officer(county))
    assert letter_json.json()["region_name"] == "平遥县"
    assert "平遥县 本月发放 3 户次" in letter_json.json()["text"]
    assert county not in letter_json.json()["text"]

    draft = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter.pdf", officer(county))
    assert (draft.status_code, draft.json()["code"]) == (409, "funding_letter_not_available")
    assert "锁定后" in draft.json()["title_zh"]

    locked = await api.act(roster, "lock")
    r = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter.pdf", officer(county))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    save_png(r.content, tmp_path / "letter.png")
    text = pdf_text(r.content)
    for words in (
        "关于拨付2026年12月社会救助资金的函",
        "平遥县财政局",
        "平遥县民政局",
        "共3户次",
        "合计2,035.00元",
        "最低生活保障",
        "1,235.00元",  # the two dibao households
        "特困人员分散供养",
        "800.00元",
        "盖章处",
        "平遥民拨〔2026〕第000001号",
        locked["checksum"],
    ):
        assert words in text, words
    assert county not in text

    await api.act(roster, "submit")
    again = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter.pdf", officer(county))
    assert again.content == r.content
    assert again.headers["x-content-sha256"] == r.headers["x-content-sha256"]
    assert await _kept(api, roster["roster_id"]) == 1


async def test_other_counties_and_cancelled_rosters_print_nothing(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    roster = await api.build(county, "2026-12")
    await api.act(roster, "lock")
    stranger = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter.pdf", officer(new_county()))
    assert (stranger.status_code, stranger.json()["code"]) == (404, "roster_not_found")
    await api.act(roster, "cancel", {"reason": "金额核对有误"})
    cancelled = await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter.pdf", officer(county))
    assert (cancelled.status_code, cancelled.json()["code"]) == (409, "funding_letter_not_available")
    # A county nobody named reads as unnamed, never as a bare code.
    letter = (await api.get(f"{ROSTERS}/{roster['roster_id']}/funding-letter", officer(county))).json()
    assert letter["region_name"] == f"未命名区划{county}"
    assert await _kept(api, roster["roster_id"]) == 0
