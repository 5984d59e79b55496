"""临时救助 in the console (issue 20), through the whole running system.

A township officer grants 先行救助 for a village of its township in Debian's Chromium: an amount above the region's
ceiling is refused beside the amount with everything typed kept; the grant then goes through, shows on the list with
its pay-by date, and the officer adds the explanation; the county officer confirms it. Another grant is reclaimed:
first without a reason (refused beside the reason), then with one. A forged form changes nothing, a grant not paid
in time shows under 超时未发放 and on 我的待办 (plain HTTP).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from console import words
from libs.contracts.clock import CHINA_TZ
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE, csrf, signed_in
from tests.e2e.journey_recipients import County, account_no, open_county, person
from tests.e2e.system import Actor, WholeSystem

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(600)

GRANTS = "/api/v1/casework/temporary-grants"


async def _named(whole_system: WholeSystem, county: County) -> None:
    """The township and village named, so the console shows (and offers) them by name."""
    admin = await whole_system.admin()
    for code, name in ((county.township_code, "杏林镇"), (county.village, "桃园村")):
        assert (await admin.http.put(f"/api/v1/admin/regions/{code}", json={"name": name})).status_code == 200


async def _advance(county: County, seq: str, name: str, amount: str, ago: dt.timedelta) -> dict[str, Any]:
    """A grant the township officer makes through the API, discovered `ago`."""
    someone = person(county, "1980-03-15", seq, name)
    body = {"region_code": county.village, "person": {"id_number": someone.id_number, "name": someone.name},
            "family_size": 2, "cause": "accident", "situation": "车祸住院，家中无人照料", "amount": amount,
            "account": {"bank_code": "ICBC", "account_no": account_no(county, int(seq)), "holder_name": name},
            "discovered_at": (dt.datetime.now(CHINA_TZ) - ago).isoformat()}  # fmt: skip
    made = await county.township.http.post(GRANTS, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _sign_in(tab: Page, actor: Actor) -> None:
    assert actor.username is not None
    assert actor.password is not None
    await tab.get_by_label("用户名").fill(actor.username)
    await tab.get_by_label("密码").fill(actor.password)
    await tab.get_by_role("button", name="登录").click()


async def test_an_advance_is_granted_explained_confirmed_and_another_reclaimed(
    whole_system: WholeSystem, page: Page
) -> None:
    county = await open_county(whole_system)
    await _named(whole_system, county)
    widow = person(county, "1962-07-08", "301", "王秀英")
    base = f"{whole_system.base_url}{CONSOLE}"

    await page.goto(f"{base}/temporary-grants/new")
    await _sign_in(page, county.township)
    await expect(page.get_by_role("heading", name="先行救助登记")).to_be_visible()
    await page.get_by_label("发生地（村、社区或乡镇）").select_option(county.village)
    await page.get_by_label("救助事由").select_option(label="火灾")
    await page.get_by_label("困难情况").fill("房屋失火，衣物口粮被毁")
    await page.get_by_label("姓名", exact=True).fill(widow.name)
    await page.get_by_label("身份证号").fill(widow.id_number)
    await page.get_by_label("家庭人口").fill("3")
    await page.get_by_label("救助金额（元）").fill("1500")
    await page.get_by_label("开户银行").select_option(label="中国农业银行")
    await page.get_by_label("银行账号").fill(account_no(county, 1))
    await page.get_by_label("收款人姓名").fill(widow.name)
    assert await no_horizontal_scroll(page)
    await page.get_by_role("button", name="先行救助").click()

    # Above the 先行救助 ceiling (1,000.00 unless the county sets another): beside the amount, the form as typed.
    await expect(page.locator("#amount-problem")).to_have_text("先行救助金额超过本地区小金额先行救助上限")
    await expect(page.get_by_label("姓名", exact=True)).to_have_value(widow.name)
    await expect(page.get_by_label("困难情况")).to_have_value("房屋失火，衣物口粮被毁")
    await expect(page.get_by_label("家庭人口")).to_have_value("3")
    await expect(page.get_by_label("发生地（村、社区或乡镇）")).to_have_value(county.village)
    await page.get_by_label("救助金额（元）").fill("800")
    await page.get_by_role("button", name="先行救助").click()

    await expect(page.get_by_role("status")).to_contain_text("已先行救助")
    grant_id = page.url.split("/temporary-grants/")[1].split("?")[0]
    answered = await county.township.http.get(f"{GRANTS}/{grant_id}")
    pay_by = words.chinese_date(answered.json()["pay_by"])
    payment = page.get_by_role("region", name="发放")
    await expect(payment).to_contain_text(f"应于{pay_by}前发放")
    await expect(payment).to_contain_text("已发送财政")
    assert widow.id_number not in await page.content()

    await page.get_by_role("navigation", name="主导航").get_by_role("link", name="临时救助").click()
    listed = page.get_by_role("region", name="临时救助台账")
    row = listed.get_by_role("row").filter(has=page.get_by_role("link", name="查看 王*英"))
    await expect(row).to_contain_text(pay_by)
    await expect(row).to_contain_text("杏林镇 桃园村")
    await expect(row).to_contain_text("¥800.00")
    await expect(row).to_contain_text("待补充说明")
    assert await no_horizontal_scroll(page)
    await row.get_by_role("link", name="查看 王*英").click()

    explain = page.get_by_role("region", name="补充说明情况")
    await explain.get_by_label("情况说明").fill("经入户核实，房屋主体烧毁，已安置在亲属家中")
    await explain.get_by_role("button", name="提交情况说明").click()
    await expect(page.get_by_role("status")).to_contain_text("情况说明已提交")
    await expect(page.get_by_role("region", name="说明与确认")).to_contain_text("待县级确认")

    other = await _advance(county, "312", "李建国", "600.00", dt.timedelta(hours=1))
    assert (await county.township.http.post(f"{GRANTS}/{other['grant_id']}/explanation",
                                            json={"explanation": "车祸住院"})).status_code == 200  # fmt: skip

    await page.get_by_role("button", name="退出登录").click()
    await page.goto(f"{base}/temporary-grants/{grant_id}")
    await _sign_in(page, county.officer)
    decide = page.get_by_role("region", name="县级确认或追回")
    await decide.get_by_role("button", name="县级确认").click()
    await expect(page.get_by_role("status")).to_contain_text("县级已确认")
    await expect(page.get_by_role("region", name="说明与确认")).to_contain_text("已确认")
    await keep_screenshot(page, "temporary-grant")

    await page.goto(f"{base}/temporary-grants/{other['grant_id']}")
    decide = page.get_by_role("region", name="县级确认或追回")
    await decide.get_by_role("button", name="追回").click()
    await expect(page.locator("#reason-problem")).to_have_text("此决定须写明理由")
    decide = page.get_by_role("region", name="县级确认或追回")
    await decide.get_by_label("理由（追回时必填）").fill("核实时发现已由保险公司全额赔付")
    await decide.get_by_role("button", name="追回").click()
    await expect(page.get_by_role("status")).to_contain_text("已追回")
    await expect(page.get_by_role("region", name="说明与确认")).to_contain_text("核实时发现已由保险公司全额赔付")
    reviewed = await county.officer.http.get(f"{GRANTS}/{other['grant_id']}")
    assert reviewed.json()["review"] == "reclaimed"


async def test_a_forged_form_grants_nothing_and_a_late_grant_is_listed_overdue(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    county = await open_county(whole_system)
    await signed_in(browser, county.township)
    form = await browser.get(f"{CONSOLE}/temporary-grants/new")
    assert form.status_code == 200
    assert 'type="date"' in form.text
    assert 'type="time"' in form.text
    someone = person(county, "1975-01-20", "323", "赵小明")
    typed = {"region_code": county.village, "person-name": someone.name, "person-id_number": someone.id_number,
             "family_size": "1", "cause": "fire", "situation": "失火", "amount": "500",
             "account-bank_code": "ICBC", "account-account_no": account_no(county, 3),
             "account-holder_name": someone.name, "discovered_date": "2026-01-01",
             "discovered_time": "08:30"}  # fmt: skip
    forged = await browser.post(f"{CONSOLE}/temporary-grants/new", data={**typed, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert (await county.township.http.get(GRANTS)).json()["items"] == []
    # A time that is not one: beside the date, nothing sent.
    wrong = await browser.post(f"{CONSOLE}/temporary-grants/new",
                               data={**typed, "discovered_time": "25:99", "csrf_token": csrf(form)})  # fmt: skip
    assert wrong.status_code == 422
    assert 'id="discovered_date-problem"' in wrong.text
    assert someone.name in wrong.text
    listing = await browser.get(f"{CONSOLE}/temporary-grants")
    assert "没有超过发放时限仍未发放的临时救助。" in listing.text
    # Discovered a month ago and still not paid: past its day (3 working days), on the overdue list.
    late = await _advance(county, "334", "周大勇", "300.00", dt.timedelta(days=30))
    assert late["overdue"] is True
    listing = await browser.get(f"{CONSOLE}/temporary-grants")
    overdue = listing.text.split('id="overdue-title"')[1].split('id="list-title"')[0]
    assert f"{words.chinese_date(late['pay_by'])}（已超时）" in overdue
    assert f"/temporary-grants/{late['grant_id']}" in overdue
    unpaid = await browser.get(f"{CONSOLE}/temporary-grants", params={"payment": "paid"})
    assert late["grant_id"] not in unpaid.text.split('id="list-title"')[1]
    # 我的待办: the township's advance to explain, and the grant past its day.
    home = await browser.get(f"{CONSOLE}/")
    assert "待补充说明的先行救助（1）" in home.text
    assert "超时未发放的临时救助（1）" in home.text
    assert f"{words.chinese_date(late['pay_by'])}（已逾期）" in home.text
