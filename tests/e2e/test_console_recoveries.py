"""追缴 and 工作日历 in the console (issue 19), through the whole running system.

追缴: a county pays a widow this month, the registry then reports her death last month, and disbursement raises a
recovery order for the month paid after it (as in test_journey_death). The county officer finds it in 追缴, is refused
in Chinese beside the field (a collection above what is owed, a date to come, a waiver without a reason) with what was
typed kept, records money paid back at the bureau and writes the rest off; the township sees the order but no forms.

工作日历: a system administrator reads a year's schedule in each of the three services that count working days, is
refused a date that is not one and a make-up working day on a weekday beside the field, loads the State Council's
schedule into all three, and someone who is not an administrator is refused by each service. Plain HTTP as a browser
sends it, then once in Debian's Chromium.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from libs.contracts.clock import CHINA_TZ, china_today
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE, signed_in
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    account_no,
    finance_lines,
    import_recipient,
    open_county,
    person,
    previous_month,
    submitted_roster,
    this_month,
    wait_in_ledger,
    wait_watched,
)
from tests.e2e.system import WholeSystem, new_county
from tests.support.waiting import wait_until

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(600)

RECOVERIES = "/api/v1/disbursement/recoveries"


def _beside(page: httpx.Response, field: str) -> str:
    """The problem shown beside a field (its `<span id="<field>-problem">`), or "" when there is none."""
    found = re.search(rf'id="{re.escape(field)}-problem"[^>]*>([^<]*)<', page.text)
    return found.group(1) if found else ""


async def _an_open_order(whole_system: WholeSystem) -> tuple[County, dict[str, Any]]:
    """A widow paid this month whose death last month the registry then reports: one open order for 700.00."""
    county = await open_county(whole_system)
    finance = await whole_system.partner("finance", county.code)
    registry = await whole_system.partner("registry_feed", "14")
    widow = person(county, "1941-05-12", "702", "张桂兰")
    imported = await import_recipient(
        county, [("head", widow)], [("dibao", "700.00")], legacy_ref="DB-2018-0311", account=account_no(county, 1)
    )
    household = str(imported["household_id"])
    await wait_in_ledger(county, household, {"dibao"})
    await wait_watched(county, households=1)
    roster = await submitted_roster(county, this_month())
    paid_at = datetime.now(CHINA_TZ).replace(microsecond=0).isoformat()
    results = [{"line_id": line["line_id"], "status": "paid", "paid_at": paid_at,
                "bank_txn_id": f"SXRCU-{line['line_no']:04d}-{county.code}"}
               for line in await finance_lines(finance, roster["roster_id"])]  # fmt: skip
    reported = await finance.http.post(
        f"/api/v1/finance/rosters/{roster['roster_id']}/payment-results", json={"results": results}
    )
    assert reported.status_code == 200, reported.text
    died_on = previous_month(this_month()).replace(day=20).isoformat()
    feed = await registry.http.post(
        "/api/v1/matching/feeds",
        params={"source": "death", "as_of": china_today().isoformat()},
        content=f"id_number,name,event_date\n{widow.id_number},{widow.name},{died_on}\n".encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert feed.status_code == 202, feed.text

    async def orders() -> list[dict[str, Any]]:
        reply = await county.officer.http.get(RECOVERIES, params={"household_id": household})
        assert reply.status_code == 200, reply.text
        return list(reply.json()["items"])

    [order] = await wait_until(orders, lambda r: len(r) >= 1, timeout=EVENT_TIMEOUT, every=0.5)
    assert (order["amount"], order["outstanding"], order["status"]) == ("700.00", "700.00", "open")
    return county, order


async def test_a_county_officer_records_a_collection_and_waives_the_rest_and_bad_input_is_refused_beside_it(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    county, order = await _an_open_order(whole_system)
    await signed_in(browser, county.officer)
    home = await browser.get(f"{CONSOLE}/")
    assert f'<a href="{CONSOLE}/recoveries">追缴</a>' in home.text
    listed = await browser.get(f"{CONSOLE}/recoveries")
    assert listed.status_code == 200
    here = f'href="{CONSOLE}/recoveries/{order["recovery_id"]}"'
    assert here in listed.text
    for word in ("保障对象死亡后仍发放", "¥700.00", "追缴中", '<h2 id="list-title">追回单台账</h2>'):
        assert word in listed.text
    # Filters go to the API: another status, or another township of the county, lists nothing of this order.
    assert here not in (await browser.get(f"{CONSOLE}/recoveries", params={"status": "waived"})).text
    assert here not in (await browser.get(f"{CONSOLE}/recoveries", params={"region_code": f"{county.code}999"})).text
    assert here in (await browser.get(f"{CONSOLE}/recoveries", params={"region_code": county.township_code})).text

    detail_path = f"{CONSOLE}/recoveries/{order['recovery_id']}"
    detail = await browser.get(detail_path)
    assert detail.status_code == 200
    assert f'href="{CONSOLE}/households/{order["household_id"]}"' in detail.text
    assert "<dt>尚欠</dt><dd>¥700.00</dd>" in detail.text
    assert '<h2 id="collect-title">登记追回</h2>' in detail.text
    csrf = _csrf(detail)
    today = china_today().isoformat()

    async def outstanding() -> str:
        reply = await county.officer.http.get(f"{RECOVERIES}/{order['recovery_id']}")
        assert reply.status_code == 200, reply.text
        return str(reply.json()["outstanding"])

    form = {"amount": "300", "received_on": today, "note": "家属到县民政局现金退回"}
    forged = await browser.post(f"{detail_path}/collections", data=form)
    assert forged.status_code == 403
    assert "页面已过期" in forged.text
    assert await outstanding() == "700.00"

    too_much = await browser.post(f"{detail_path}/collections", data={**form, "amount": "800", "csrf_token": csrf})
    assert too_much.status_code == 422
    assert _beside(too_much, "collect-amount") == "金额超过尚未追回的数额"
    assert 'value="800"' in too_much.text
    assert "家属到县民政局现金退回</textarea>" in too_much.text
    not_money = await browser.post(f"{detail_path}/collections", data={**form, "amount": "三百", "csrf_token": csrf})
    assert not_money.status_code == 422
    assert _beside(not_money, "collect-amount").startswith("金额不正确")
    tomorrow = (china_today() + timedelta(days=3)).isoformat()
    to_come = await browser.post(f"{detail_path}/collections", data={**form, "received_on": tomorrow,
                                                                     "csrf_token": csrf})  # fmt: skip
    assert to_come.status_code == 422
    assert _beside(to_come, "collect-received_on") == "日期不正确：请填写今天或以前的日期"
    assert f'value="{tomorrow}"' in to_come.text
    assert await outstanding() == "700.00"

    collected = await browser.post(f"{detail_path}/collections", data={**form, "amount": "¥300", "csrf_token": csrf})
    assert collected.status_code == 303, collected.text
    assert collected.headers["location"] == f"{detail_path}?done=collected"
    after = await browser.get(collected.headers["location"])
    assert '<p class="done" role="status">追回款已登记' in after.text
    assert "<dt>登记追回</dt><dd>¥300.00</dd>" in after.text
    assert "<dt>尚欠</dt><dd>¥400.00</dd>" in after.text
    assert "追回 ¥300.00" in after.text  # each collection in the order's record, with the day it came in

    no_reason = await browser.post(f"{detail_path}/waive", data={"reason": "  ", "csrf_token": csrf})
    assert no_reason.status_code == 422
    assert _beside(no_reason, "waive-reason") == "请填写核销理由（不超过 2000 字）"
    assert await outstanding() == "400.00"
    assert (await browser.post(f"{detail_path}/waive", data={"reason": "家庭困难"})).status_code == 403
    waived = await browser.post(f"{detail_path}/waive", data={"reason": "家属无力退还，经局务会研究核销",
                                                              "csrf_token": csrf})  # fmt: skip
    assert waived.status_code == 303, waived.text
    closed = await browser.get(waived.headers["location"])
    assert "已核销，剩余欠款不再追缴" in closed.text
    assert "<dt>核销</dt><dd>¥400.00</dd>" in closed.text
    assert "核销理由：家属无力退还，经局务会研究核销" in closed.text
    assert "登记追回</button>" not in closed.text  # a closed order has no forms
    assert await outstanding() == "0.00"
    # A collection sent to the closed order anyway (an old page): the API's refusal, at the top.
    late = await browser.post(f"{detail_path}/collections", data={**form, "csrf_token": csrf})
    assert late.status_code == 409
    assert "该追回单已追回完毕或已核销" in late.text

    # The township sees the order, and no form: collecting and waiving are the county's.
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as theirs:
        await signed_in(theirs, county.township)
        seen = await theirs.get(detail_path)
        assert seen.status_code == 200
        assert "<dt>状态</dt><dd>已核销</dd>" in seen.text
        assert "登记追回</button>" not in seen.text


def _weekday(year: int, weekday: int) -> date:
    """The first day of `year` falling on `weekday` (Monday 0)."""
    first = date(year, 1, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


# Years no other scenario reads: a schedule loaded here changes no deadline anywhere else.
PLAIN_YEAR, BROWSER_YEAR = 2093, 2094


async def test_an_admin_loads_a_years_schedule_into_all_three_services_and_a_bad_date_is_refused_beside_it(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin = await whole_system.staff("system_admin", new_county(), "县民政局 系统管理员")
    await signed_in(browser, admin)
    shown = await browser.get(f"{CONSOLE}/admin/calendar", params={"year": PLAIN_YEAR})
    assert shown.status_code == 200
    assert f'<a href="{CONSOLE}/admin/calendar">工作日历</a>' in shown.text
    assert shown.text.count("暂定") == 3
    assert "已载入" not in shown.text
    for service in ("申请受理", "审核审批", "投诉举报"):
        assert f'<th scope="row">{service}</th>' in shown.text
    csrf = _csrf(shown)
    saturday, tuesday = _weekday(PLAIN_YEAR, 5), _weekday(PLAIN_YEAR, 1)
    source = f"国务院办公厅关于{PLAIN_YEAR}年部分节假日安排的通知"
    form = {"year": str(PLAIN_YEAR), "holidays": f"{PLAIN_YEAR}-01-01\n{PLAIN_YEAR}-10-01，{PLAIN_YEAR}-10-02",
            "makeup_workdays": saturday.isoformat(), "source": source}  # fmt: skip

    assert (await browser.post(f"{CONSOLE}/admin/calendar", data=form)).status_code == 403
    not_a_date = await browser.post(f"{CONSOLE}/admin/calendar", data={**form, "holidays": f"{PLAIN_YEAR}-02-30",
                                                                       "csrf_token": csrf})  # fmt: skip
    assert not_a_date.status_code == 422
    assert _beside(not_a_date, "holidays").startswith(f"“{PLAIN_YEAR}-02-30”不是日期")
    assert f"{PLAIN_YEAR}-02-30</textarea>" in not_a_date.text
    assert f'value="{source}"' in not_a_date.text
    weekday = await browser.post(f"{CONSOLE}/admin/calendar", data={**form, "makeup_workdays": tuesday.isoformat(),
                                                                    "csrf_token": csrf})  # fmt: skip
    assert weekday.status_code == 422
    assert _beside(weekday, "makeup_workdays") == "调休上班日应为周末"
    assert f"{tuesday.isoformat()}</textarea>" in weekday.text
    after_refusals = await browser.get(f"{CONSOLE}/admin/calendar", params={"year": PLAIN_YEAR})
    assert "已载入" not in after_refusals.text

    loaded = await browser.post(f"{CONSOLE}/admin/calendar", data={**form, "csrf_token": csrf})
    assert loaded.status_code == 303, loaded.text
    page_now = await browser.get(loaded.headers["location"])
    assert '<p class="done" role="status">已将本年度节假日安排载入全部三项业务的工作日历。' in page_now.text
    assert page_now.text.count("<td>已载入</td>") == 3
    assert page_now.text.count(f"<td>{source}</td>") == 3
    assert f"{PLAIN_YEAR}年10月2日" in page_now.text
    for service in ("intake", "casework", "complaints"):
        reply = await admin.http.get(f"/api/v1/{service}/calendar/{PLAIN_YEAR}")
        assert reply.status_code == 200, reply.text
        assert (reply.json()["loaded"], reply.json()["makeup_workdays"]) == (True, [saturday.isoformat()])

    # Someone who is not an administrator sees the schedule and no form; a form sent anyway is refused by each.
    officer = await whole_system.staff("county_officer", new_county(), "县民政局 科长")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as theirs:
        await signed_in(theirs, officer)
        seen = await theirs.get(f"{CONSOLE}/admin/calendar", params={"year": PLAIN_YEAR})
        assert seen.text.count("<td>已载入</td>") == 3
        assert "载入</button>" not in seen.text
        sent = {**form, "source": "改", "csrf_token": _csrf(seen)}
        refused = await theirs.post(f"{CONSOLE}/admin/calendar", data=sent)
        assert refused.status_code == 403
        assert refused.text.count("未载入：此操作需要其他岗位权限") == 3
    assert (await admin.http.get(f"/api/v1/intake/calendar/{PLAIN_YEAR}")).json()["source"] == source


async def test_an_admin_loads_a_schedule_in_the_browser(whole_system: WholeSystem, page: Page) -> None:
    admin = await whole_system.staff("system_admin", new_county(), "县民政局 系统管理员")
    assert admin.username is not None
    assert admin.password is not None
    await page.goto(f"{whole_system.base_url}{CONSOLE}/admin/calendar?year={BROWSER_YEAR}")
    await page.get_by_label("用户名").fill(admin.username)
    await page.get_by_label("密码").fill(admin.password)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("heading", name=f"{BROWSER_YEAR}年节假日安排")).to_be_visible()
    form = page.get_by_role("region", name="载入国务院节假日安排")
    await form.get_by_label("年度").fill(str(BROWSER_YEAR))
    await form.get_by_label("放假日").fill(f"{BROWSER_YEAR}-01-01\n{BROWSER_YEAR}-05-01")
    await form.get_by_label("调休上班日").fill(_weekday(BROWSER_YEAR, 6).isoformat())
    await form.get_by_label("依据").fill(f"国务院办公厅关于{BROWSER_YEAR}年部分节假日安排的通知")
    await form.get_by_role("button", name="载入").click()
    await expect(page.get_by_role("status")).to_contain_text("已将本年度节假日安排载入")
    schedule = page.get_by_role("region", name=f"{BROWSER_YEAR}年节假日安排")
    await expect(schedule.get_by_role("row", name="投诉举报")).to_contain_text("已载入")
    await keep_screenshot(page, "admin-calendar")
    assert await no_horizontal_scroll(page)
