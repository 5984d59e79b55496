"""The roster CSV finance downloads (CONTRACTS.md §3): UTF-8 with a BOM, a header row, the line columns in the
contract's order, CRLF lines; written once at lock in sealed chunks, and its SHA-256 is the roster's checksum."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select, update

from services.disbursement.entitlements.models import Entitlement
from services.disbursement.rosters.export import chunk_context
from services.disbursement.rosters.models import RosterExport
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    entitled,
    member,
    new_county,
    paid,
    read_csv,
)

HEADER = b"line_id,line_no,household_id,payee_name,payee_id_number,bank_code,account_no,program,period,amount"
BOM = "\ufeff".encode()


def sha256(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


async def _download(api: DisbursementApi, roster_id: str) -> bytes:
    reply = await api.finance_csv(roster_id)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/csv")
    # The stored size is announced up front and is exactly what arrives.
    assert int(reply.headers["content-length"]) == len(reply.content)
    assert reply.headers["x-jiuzhu-audit"] == f"roster.exported roster/{roster_id}"  # for the access audit
    return reply.content


async def _chunks(api: DisbursementApi, roster_id: str) -> list[bytes]:
    """The stored export, chunk by chunk, opened as the stream opens it."""
    assert api.ctx is not None
    async with api.db.sessions() as s:
        rows = (
            await s.execute(
                select(RosterExport.chunk_no, RosterExport.body)
                .where(RosterExport.roster_id == roster_id)
                .order_by(RosterExport.chunk_no)
            )
        ).all()
    assert [r.chunk_no for r in rows] == list(range(len(rows)))
    return [api.ctx.vault.open_bytes(r.body, context=chunk_context(roster_id, r.chunk_no)) for r in rows]


async def _roster(api: DisbursementApi, broker: Broker, n: int, **kw: Any) -> tuple[dict[str, Any], str]:
    county = new_county()
    for i in range(n):
        await entitled(broker, county, amount=f"{300 + 7 * i}.{i:02d}", **kw)
    return await api.submitted(county, "2026-12"), county


async def test_bom_exact_header_and_crlf_lines(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 2)
    body = await _download(api, roster["roster_id"])
    assert body.startswith(BOM + HEADER + b"\r\n")
    assert body.endswith(b"\r\n")
    # Every line ends CRLF; no bare LF anywhere.
    assert body.count(b"\n") == body.count(b"\r\n") == 3
    assert body[len(BOM) :].decode("utf-8")  # the rest is valid UTF-8
    assert body.count(BOM) == 1


async def test_one_row_per_line_in_line_no_order_matching_the_json(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 4, members=2)
    rows = read_csv(await _download(api, roster["roster_id"]))
    lines = await api.finance_lines(roster["roster_id"])
    assert len(rows) == len(lines) == roster["line_count"] == 4
    assert [r["line_no"] for r in rows] == ["1", "2", "3", "4"]
    for row, line in zip(rows, lines, strict=True):
        expected = {k: str(v) for k, v in line.items() if k != "items"}
        assert row == expected
    assert {r["period"] for r in rows} == {"2026-12"}
    assert sorted(r["amount"] for r in rows) == ["300.00", "307.01", "314.02", "321.03"]


async def test_the_checksum_is_the_sha256_of_the_body(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 2)
    reply = await api.finance_csv(roster["roster_id"])
    assert roster["checksum"] == sha256(reply.content)
    assert reply.headers["x-checksum"] == roster["checksum"]
    listed = await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)
    assert listed.json()["checksum"] == sha256(reply.content)


async def test_downloads_are_byte_identical_even_after_results(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 3)
    first = await _download(api, roster["roster_id"])
    second = await _download(api, roster["roster_id"])
    assert first == second
    lines = await api.finance_lines(roster["roster_id"])
    reply = await api.report(roster["roster_id"], [paid(line) for line in lines])
    assert reply.json() == {"accepted": 3, "unchanged": 0}
    # Reporting changes the roster's status, never the file finance paid from.
    after = await _download(api, roster["roster_id"])
    assert after == first
    assert sha256(after) == roster["checksum"]
    status = (await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)).json()
    assert status["status"] == "paid"
    assert status["checksum"] == roster["checksum"]


async def test_a_long_roster_streams_in_several_chunks(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 8)
    body = await _download(api, roster["roster_id"])
    chunks = await _chunks(api, roster["roster_id"])
    # 3-line chunks (conftest): 8 lines make at least three; the stream is those chunks back to back.
    assert len([c for c in chunks if c]) >= 3
    assert b"".join(chunks) == body
    assert chunks[0].startswith(BOM + HEADER + b"\r\n")
    assert all(c.count(b"\r\n") <= 3 for c in chunks[1:])
    assert all(not c.startswith(BOM) for c in chunks[1:])
    assert len(read_csv(body)) == 8
    assert sha256(body) == roster["checksum"]


async def test_names_with_commas_and_quotes_are_quoted(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    odd = '王,"五" 阿卜杜拉'
    h = await entitled(broker, county, members=[member(name=odd), member(name="王小", relation="child")])
    plain = await entitled(broker, county)
    roster = await api.submitted(county, "2026-12")
    body = await _download(api, roster["roster_id"])
    # RFC 4180: the field in double quotes, an inner quote doubled.
    assert '"王,""五"" 阿卜杜拉"'.encode() in body
    rows = {r["household_id"]: r for r in read_csv(body)}
    assert rows[h.household_id]["payee_name"] == odd
    assert rows[h.household_id]["payee_id_number"] == h.head.id_number
    assert rows[plain.household_id]["payee_name"] == "王五"
    assert len(rows) == 2
    assert sha256(body) == roster["checksum"]
    lines = {line["household_id"]: line for line in await api.finance_lines(roster["roster_id"])}
    assert lines[h.household_id]["payee_name"] == odd


# The export reads the lines as PostgreSQL's COPY writes them, where a backslash or a control character in a value
# comes escaped; each must reach the file as it is in the ledger.
ODD_NAMES = ("王\\五", "C:\\new\\table", "王\n五", "王\t五", "王\\N", "\\", "王\x01五\x7f")


async def test_names_with_backslashes_and_control_characters_reach_the_csv_as_they_are(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    households = [await entitled(broker, county, amount=f"{400 + i}.00") for i in range(len(ODD_NAMES))]
    async with api.db.sessions.begin() as s:  # straight into the ledger: no entry would let them in
        for h, name in zip(households, ODD_NAMES, strict=True):
            await s.execute(
                update(Entitlement).where(Entitlement.household_id == h.household_id).values(payee_name=name)
            )
    roster = await api.submitted(county, "2026-12")
    body = await _download(api, roster["roster_id"])
    assert sha256(body) == roster["checksum"]
    rows = {r["household_id"]: r for r in read_csv(body)}
    for h, name in zip(households, ODD_NAMES, strict=True):
        assert rows[h.household_id]["payee_name"] == name
        assert rows[h.household_id]["payee_id_number"] == h.head.id_number
    lines = {line["household_id"]: line for line in await api.finance_lines(roster["roster_id"])}
    assert {k: v["payee_name"] for k, v in lines.items()} == {k: v["payee_name"] for k, v in rows.items()}


async def test_a_roster_with_every_line_held_still_has_a_header_and_checksum(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    # No bank account on file: each household is held (DOMAIN.md §9), so nothing is paid.
    await entitled(broker, county, with_account=False)
    await entitled(broker, county, with_account=False, members=2)
    roster = await api.submitted(county, "2026-12")
    assert roster["line_count"] == 0
    assert roster["total_amount"] == "0.00"
    assert roster["held"] == {"account": 2}
    body = await _download(api, roster["roster_id"])
    assert body == BOM + HEADER + b"\r\n"
    assert roster["checksum"] == sha256(body)
    assert read_csv(body) == []
    assert await api.finance_lines(roster["roster_id"]) == []
    seen = (await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)).json()
    assert (seen["line_count"], seen["total_amount"], seen["checksum"]) == (0, "0.00", sha256(body))


async def test_the_csv_holds_full_numbers_and_the_staff_view_masks_them(api: DisbursementApi, broker: Broker) -> None:
    roster, _ = await _roster(api, broker, 2)
    rows = read_csv(await _download(api, roster["roster_id"]))
    staff = {line["line_id"]: line for line in await api.staff_lines(roster)}
    for row in rows:
        full = row["account_no"]
        assert full.isdigit()
        assert len(full) == 19
        masked = staff[row["line_id"]]["account_no_masked"]
        assert masked != full
        assert masked.startswith(full[:4])
        assert masked.endswith(full[-4:])
        assert len(row["payee_id_number"]) == 18
