"""比对疑点 and 投诉举报 in the console (issue 19), through the whole running system: a household the county already
pays is on matching's watch list, the registry exchange sends a vehicle feed naming its head, and the hits raised
appear in the township's list with their 确认期限; one is confirmed through the console, a dismissal without a
reason is refused beside its field, and another township cannot open them. A 12345 work order's complaint gets a
核查记录, a written answer and a 办结 through the console. 我的待办 counts the township's hits and missing village
report, and shows the county officer the roster of the month. Every POST without its CSRF token is refused. Plain
HTTP as a browser sends it, then a confirmation once in Debian's Chromium."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from libs.contracts.clock import china_today
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.console_session import signed_in as _sign_in
from tests.e2e.journey_hotline import (
    COMPLAINTS,
    WORK_ORDERS,
    Place,
    call,
    complaint_work_order,
    fresh_phone,
    work_order_no,
)
from tests.e2e.journey_hotline import person as hotline_person
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    account_no,
    import_recipient,
    open_county,
    person,
    wait_watched,
)
from tests.e2e.system import WholeSystem
from tests.support.waiting import wait_until

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(600)

HITS = "/api/v1/matching/hits"
FEEDS = "/api/v1/matching/feeds"
ROSTERS = "/api/v1/disbursement/rosters"
EXPIRED = "页面已过期，请刷新后重试"


@dataclass(frozen=True)
class Raised:
    county: County
    hits: list[dict[str, Any]]  # as the township reads them through the API


async def raised_hits(system: WholeSystem, plates: list[str]) -> Raised:
    """A paid household's head with one car per plate in the vehicle registry: one open hit per plate."""
    county = await open_county(system)
    head = person(county, "1970-05-06", "731", "郭建平")
    await import_recipient(county, [("head", head)], [("dibao", "700.00")], legacy_ref="DB-2021-0031",
                           account=account_no(county, 1))  # fmt: skip
    await wait_watched(county, households=1)
    registry = await system.partner("registry_feed", county.code[:2])
    rows = "".join(
        f"{head.id_number},{head.name},{plate},car,2024-04-0{i + 1},false\n" for i, plate in enumerate(plates)
    )
    body = f"id_number,name,plate,vehicle_type,registered_at,deregistered\n{rows}".encode()
    posted = await registry.http.post(FEEDS, params={"source": "vehicle", "as_of": china_today().isoformat()},
                                      content=body, headers={"Content-Type": "text/csv"})  # fmt: skip
    assert posted.status_code == 202, posted.text

    async def open_hits() -> list[dict[str, Any]]:
        reply = await county.township.http.get(HITS, params={"status": "open"})
        assert reply.status_code == 200, reply.text
        return list(reply.json()["items"])

    hits = await wait_until(open_hits, lambda h: len(h) >= len(plates), timeout=EVENT_TIMEOUT, every=0.5)
    return Raised(county, hits)


async def test_a_hit_is_listed_with_its_deadline_confirmed_and_a_dismissal_needs_a_reason(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    raised = await raised_hits(whole_system, ["晋D·H1001", "晋D·H1002", "晋D·H1003"])
    first, second, third = raised.hits
    await _sign_in(browser, raised.county.township)

    home = await browser.get(f"{CONSOLE}/")
    assert f'href="{CONSOLE}/hits/{first["hit_id"]}"' in home.text  # 我的待办 links to the hit
    # Counted by matching's /hits/counts; the village of the paid household has not reported this month.
    assert "待确认的比对疑点（14日内）（3）" in home.text
    assert "本月未报送的村级月报（1）" in home.text
    # Every kind's work in one list, the oldest deadline first: the month's report is due before the hits' 14 days.
    soonest = home.text.split('id="soonest-title"')[1].split("</section>")[0]
    kinds = re.findall(r"</td><td>(待确认的比对疑点（14日内）|本月未报送的村级月报)</td>", soonest)
    assert kinds[0] == "本月未报送的村级月报"
    assert kinds.count("待确认的比对疑点（14日内）") == 3
    assert "本月花名册" not in home.text  # the county's roster is the county officer's work
    assert ">比对疑点</a>" in home.text
    assert ">投诉举报</a>" in home.text
    listed = await browser.get(f"{CONSOLE}/hits")
    assert listed.status_code == 200
    assert all(f"{CONSOLE}/hits/{h['hit_id']}" in listed.text for h in raised.hits)
    assert "确认期限" in listed.text
    assert "名下有汽车或摩托车未注销" in listed.text
    assert "a car or motorcycle" not in listed.text  # the rule's English gloss is not shown
    assert first["person_name_masked"] in listed.text
    assert (await browser.get(f"{CONSOLE}/hits", params={"overdue": "true"})).text.count(f"{CONSOLE}/hits/") == 0

    shown = await browser.get(f"{CONSOLE}/hits/{first['hit_id']}")
    assert shown.status_code == 200
    for word in ("比对依据", "机动车辆", "号牌号码", first["evidence"]["plate"], first["person_id_masked"], "待确认"):
        assert word in shown.text, word
    token = _csrf(shown)

    # 排除 with nothing written: refused beside the field, the hit still open.
    refused = await browser.post(
        f"{CONSOLE}/hits/{second['hit_id']}/dismiss", data={"reason": "  ", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert '<span id="reason-problem" class="problem field-problem">请填写排除的理由' in refused.text
    assert 'role="alert">填写的内容不符合要求' in refused.text  # the catalogue's validation_failed
    still = await raised.county.township.http.get(f"{HITS}/{second['hit_id']}")
    assert still.json()["status"] == "open"

    # Without the CSRF token nothing is sent.
    forged = await browser.post(f"{CONSOLE}/hits/{third['hit_id']}/confirm", data={"note": "伪造"})
    assert forged.status_code == 403
    assert EXPIRED in forged.text
    assert (await raised.county.township.http.get(f"{HITS}/{third['hit_id']}")).json()["status"] == "open"

    note = "入户核实：车辆为户主本人所有，日常营运使用。"
    confirmed = await browser.post(
        f"{CONSOLE}/hits/{first['hit_id']}/confirm", data={"note": note, "csrf_token": token}
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"{CONSOLE}/hits/{first['hit_id']}?done=confirm"
    after = await browser.get(confirmed.headers["location"])
    assert 'role="status">已确认疑点属实' in after.text
    assert "已确认" in after.text
    assert note in after.text
    assert ">确认</button>" not in after.text  # closed: no buttons any more
    via_api = (await raised.county.township.http.get(f"{HITS}/{first['hit_id']}")).json()
    assert (via_api["status"], via_api["resolution"]) == ("confirmed", note)
    again = await browser.post(
        f"{CONSOLE}/hits/{first['hit_id']}/dismiss", data={"reason": "误报", "csrf_token": token}
    )
    assert again.status_code == 409
    assert "该疑点已核查完毕" in again.text  # the catalogue's hit_closed
    done = await browser.get(f"{CONSOLE}/hits", params={"status": "confirmed"})
    assert f"{CONSOLE}/hits/{first['hit_id']}" in done.text
    assert f"{CONSOLE}/hits/{second['hit_id']}" not in done.text

    # Another township of the county: refused in Chinese, nothing of the hit shown, and not in its list.
    other = await whole_system.staff("township_officer", f"{raised.county.code}002", "另一乡镇 经办人")
    browser.cookies.clear()
    await _sign_in(browser, other)
    foreign = await browser.get(f"{CONSOLE}/hits/{second['hit_id']}")
    assert foreign.status_code in (403, 404)
    assert 'role="alert"' in foreign.text
    assert second["evidence"]["plate"] not in foreign.text
    assert second["person_id_masked"] not in foreign.text
    assert second["hit_id"] not in (await browser.get(f"{CONSOLE}/hits", params={"status": ""})).text
    tried = await browser.post(f"{CONSOLE}/hits/{second['hit_id']}/dismiss",
                               data={"reason": "不属实", "csrf_token": _csrf(foreign)})  # fmt: skip
    assert tried.status_code in (403, 404)
    assert (await raised.county.township.http.get(f"{HITS}/{second['hit_id']}")).json()["status"] == "open"

    # The county officer's 我的待办: the roster of the month, first not built, then built and in its state.
    browser.cookies.clear()
    await _sign_in(browser, raised.county.officer)
    assert f'本月花名册尚未生成，<a href="{CONSOLE}/rosters">' in (await browser.get(f"{CONSOLE}/")).text
    month = china_today().strftime("%Y-%m")
    built = await raised.county.officer.http.post(ROSTERS, json={"region_code": raised.county.code, "period": month})
    assert built.status_code == 201, built.text
    home = await browser.get(f"{CONSOLE}/")
    assert f'href="{CONSOLE}/rosters/{built.json()["roster_id"]}"' in home.text
    assert "本月花名册（1）" in home.text  # a draft: the officer locks it next
    assert "<td>草稿</td>" in home.text


async def test_a_hotline_complaint_gets_a_check_an_answer_and_a_finding_through_the_console(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    place = Place.fresh()
    township = await whole_system.staff("township_officer", place.township, "乡镇民政办 经办")
    hotline = await whole_system.partner("hotline", place.county)
    about = hotline_person(place.county, "1979-03-03", "741", "孙德胜")
    phone = fresh_phone(place.county)
    whole_system.remember_personal_data([about.id_number, phone])
    received = await call(hotline, "POST", WORK_ORDERS, 201,
                          json=complaint_work_order(work_order_no(), place, phone, about))  # fmt: skip
    complaint_id = str(received["complaint_id"])
    item_page = f"{CONSOLE}/complaints/{complaint_id}"
    await _sign_in(browser, township)

    listed = await browser.get(f"{CONSOLE}/complaints")
    assert f'href="{item_page}"' in listed.text
    assert "反映低保户有稳定工作仍领取低保" in listed.text
    assert "12345热线工单" in listed.text
    assert "已交办" in listed.text
    shown = await browser.get(item_page)
    assert shown.status_code == 200
    assert about.id_number not in shown.text
    assert phone not in shown.text
    token = _csrf(shown)

    # No CSRF token: refused, nothing recorded.
    forged = await browser.post(f"{item_page}/notes", data={"notes-text": "伪造的核查记录"})
    assert forged.status_code == 403
    assert EXPIRED in forged.text
    # A finding before any check: the catalogue's refusal; no finding chosen: beside the field.
    early = await browser.post(f"{item_page}/resolve", data={
        "resolve-finding": "unsubstantiated", "resolve-reply": "经核查不属实。", "csrf_token": token})  # fmt: skip
    assert early.status_code == 409
    assert "须先逐一核查并记录" in early.text
    assert "经核查不属实。" in early.text  # what was typed is kept
    blank = await browser.post(f"{item_page}/resolve", data={"resolve-reply": "答复", "csrf_token": token})
    assert blank.status_code == 422
    assert '<span id="resolve-finding-problem" class="problem field-problem">请选择办理结论</span>' in blank.text

    note = "入户走访并向物流公司核实：户主仅临时帮工三天，无固定工资。"
    noted = await browser.post(f"{item_page}/notes", data={"notes-text": note, "csrf_token": token})
    assert noted.status_code == 303
    assert noted.headers["location"] == f"{item_page}?done=notes"
    answer = "经入户核查并向用工单位核实，户主无固定工作，反映情况不属实。"
    answered = await browser.post(f"{item_page}/feedback", data={
        "feedback-text": answer, "feedback-method": "hotline_reply", "csrf_token": token})  # fmt: skip
    assert answered.status_code == 303, answered.text
    resolved = await browser.post(f"{item_page}/resolve", data={
        "resolve-finding": "unsubstantiated", "resolve-issue": "wrongful_inclusion", "resolve-reply": answer,
        "csrf_token": token})  # fmt: skip
    assert resolved.status_code == 303, resolved.text
    after = await browser.get(resolved.headers["location"])
    for word in (note, answer, "经12345平台答复", "不属实", "已办结", "核查中"):
        assert word in after.text, word
    assert ">办结</button>" not in after.text
    item = await call(township, "GET", f"{COMPLAINTS}/{complaint_id}")
    assert (item["status"], item["finding"], item["reply"]) == ("resolved", "unsubstantiated", answer)
    assert [n["text"] for n in item["notes"]] == [note]

    # Another township: refused in Chinese, nothing of the item shown.
    other = await whole_system.staff("township_officer", f"{place.county}102", "另一乡镇 经办人")
    browser.cookies.clear()
    await _sign_in(browser, other)
    foreign = await browser.get(item_page)
    assert foreign.status_code in (403, 404)
    assert 'role="alert"' in foreign.text
    assert note not in foreign.text
    assert "反映低保户" not in foreign.text
    assert complaint_id not in (await browser.get(f"{CONSOLE}/complaints")).text


async def test_a_township_officer_confirms_a_hit_in_the_browser(whole_system: WholeSystem, page: Page) -> None:
    raised = await raised_hits(whole_system, ["晋D·H2001"])
    [hit] = raised.hits
    officer = raised.county.township
    assert officer.username is not None
    assert officer.password is not None
    await page.goto(f"{whole_system.base_url}/console/")
    await page.get_by_label("用户名").fill(officer.username)
    await page.get_by_label("密码").fill(officer.password)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("navigation").get_by_role("link", name="比对疑点").click()
    listing = page.get_by_role("region", name="疑点列表")
    await expect(listing.get_by_role("cell", name="名下有汽车或摩托车未注销")).to_be_visible()
    await listing.get_by_role("link", name=hit["person_name_masked"]).click()
    await expect(page.get_by_role("heading", name=f"比对疑点：{hit['person_name_masked']}")).to_be_visible()
    evidence = page.get_by_role("region", name="比对依据")
    await expect(evidence.get_by_role("cell", name="晋D·H2001")).to_be_visible()
    checking = page.get_by_role("region", name="核查确认")
    await checking.get_by_role("button", name="排除").click()
    await expect(checking.get_by_text("请填写排除的理由")).to_be_visible()
    await checking.get_by_label("核查说明（可不填）").fill("入户核实车辆在用。")
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "hit")
    await checking.get_by_role("button", name="确认").click()
    await expect(page.get_by_role("status")).to_contain_text("已确认疑点属实")
    await expect(page.get_by_role("button", name="确认")).to_have_count(0)
