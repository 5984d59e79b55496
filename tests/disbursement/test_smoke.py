"""A month paid end to end: entitled, built, locked, streamed, reported paid."""

from __future__ import annotations

import hashlib

from tests.disbursement.support import Broker, DisbursementApi, entitled, new_county, paid, read_csv


async def test_a_month_paid(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    a = await entitled(broker, county, amount="560.00")
    b = await entitled(broker, county, amount="1200.50", members=3)
    roster = await api.build(county, "2026-12")
    assert roster["line_count"] == 2
    assert roster["total_amount"] == "1760.50"
    await api.act(roster, "lock")
    roster = await api.act(roster, "submit")
    lines = await api.finance_lines(roster["roster_id"])
    assert {line["household_id"] for line in lines} == {a.household_id, b.household_id}
    body = (await api.finance_csv(roster["roster_id"])).content
    assert roster["checksum"] == "sha256:" + hashlib.sha256(body).hexdigest()
    rows = read_csv(body)
    assert [r["account_no"] for r in rows] == [line["account_no"] for line in lines]
    reply = await api.report(roster["roster_id"], [paid(line) for line in lines])
    assert reply.json() == {"accepted": 2, "unchanged": 0}, reply.text
