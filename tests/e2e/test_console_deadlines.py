"""发放时限 in the console (issue 20, seed 001 三(四)): a county that pays by the 5th (its own figure) submits the
month's roster and finance has not paid it; from the 6th on the roster and its line show as late, masked, to its county
officer, and to no other county. Plain HTTP as a browser sends it."""

from __future__ import annotations

import re

import httpx
import pytest

from libs.contracts.clock import china_today
from tests.e2e.console_session import CONSOLE, signed_in
from tests.e2e.journey_recipients import (
    account_no,
    import_recipient,
    open_county,
    period,
    person,
    submitted_roster,
    this_month,
    wait_in_ledger,
)
from tests.e2e.system import WholeSystem, new_county

pytestmark = pytest.mark.timeout(600)


async def test_a_submitted_roster_unpaid_past_the_countys_deadline_shows_with_its_masked_line(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    county = await open_county(whole_system)
    head = person(county, "1950-03-02", "411", "李淑珍")
    account = account_no(county, 1)
    imported = await import_recipient(county, [("head", head)], [("dibao", "640.00")], legacy_ref="DB-2020-0042",
                                      account=account)  # fmt: skip
    await wait_in_ledger(county, str(imported["household_id"]), {"dibao"})
    month = period(this_month())
    figure = {"region_prefix": county.code, "effective_from": month, "paid_by_day": 5}
    set_figure = await county.officer.http.post("/api/v1/disbursement/deadline-figures", json=figure)
    assert set_figure.status_code == 201, set_figure.text
    roster = await submitted_roster(county, this_month())

    await signed_in(browser, county.officer)
    shown = await browser.get(f"{CONSOLE}/payment-deadlines", params={"period": month})
    assert shown.status_code == 200
    assert f'<a href="{CONSOLE}/payment-deadlines">发放时限</a>' in shown.text  # in the menu
    unpaid = shown.text.split('id="unpaid-title"')[1]
    if china_today().day > 5:
        assert "未在发放期限前发放到位的花名册（1）" in shown.text
        assert "1 户 ¥640.00" in unpaid
        link = re.search(rf'href="({CONSOLE}/payment-deadlines/{roster["roster_id"]})">查看逾期明细', unpaid)
        assert link is not None
        lines = await browser.get(link.group(1))
        assert lines.status_code == 200
        assert "逾期未发放" in lines.text
        assert "李*珍" in lines.text
        for personal in (head.name, head.id_number, account):
            assert personal not in lines.text
    else:  # the 1st to the 5th of a month: nothing is late yet
        assert "未在发放期限前发放到位的花名册（0）" in shown.text
    bad = await browser.get(f"{CONSOLE}/payment-deadlines", params={"period": "十二月"})
    assert bad.status_code == 422
    assert 'id="period-problem" class="problem field-problem">请按“2026年12月”的格式填写期别<' in bad.text

    other = await whole_system.staff("county_officer", new_county(), "另一县民政局 科长")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as elsewhere:
        await signed_in(elsewhere, other)
        theirs = await elsewhere.get(f"{CONSOLE}/payment-deadlines", params={"period": month})
        refused = await elsewhere.get(f"{CONSOLE}/payment-deadlines/{roster['roster_id']}")
    assert "未在发放期限前发放到位的花名册（0）" in theirs.text
    assert refused.status_code in {403, 404}
    assert "李*珍" not in refused.text
