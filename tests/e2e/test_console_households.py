"""户籍查询 and 家庭档案 in the console (issue 19), through the whole running system: a family is brought to a decision,
an entitlement and a paid roster line by the journey's steps; then the county officer finds the household in its
village (the head's name masked as the list masks it), by a member's identity number and by a member's name, reads
its file (members, programs with the monthly amount in 元, review dates, history on a past date, payments), a
township officer of another township is refused it in Chinese and sees none of it, and a bad identity number or name
is shown beside its field. Plain HTTP as a browser sends it, then once in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.async_api import Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from console.words import chinese_date, yuan
from libs.contracts.clock import CHINA_TZ, china_today
from libs.demo_county.intake import fictional_id
from libs.kernel.settings import BaseServiceSettings
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.console_session import signed_in as _sign_in
from tests.e2e.journey_payment import (
    Cast,
    Decision,
    Family,
    apply,
    approve,
    cast_for,
    entitlement,
    groundwork,
    investigate,
    new_family,
    pass_publicity,
    publicise,
    report_paid,
    roster_line,
    verify,
)
from tests.e2e.system import WholeSystem, new_county
from tests.support.waiting import wait_until

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(900)  # the journey waits for casework's publicity job

NOT_YET = "该日期该户尚未纳入保障"  # the catalogue's not_yet_registered
BAD_ID = "身份证号不正确，请核对 18 位号码及最后一位校验码"


@dataclass(frozen=True)
class Decided:
    family: Family
    cast: Cast
    decision: Decision
    monthly_amount: str
    registry: dict[str, Any]  # casework's household as the county officer reads it through the API


@pytest.fixture(scope="module")
async def decided(whole_system: WholeSystem) -> Decided:
    """A dibao family decided and entitled, its first month's roster line paid."""
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    await groundwork(whole_system, cast, family, dibao_standard="820.00", publicity_days=3)
    application = await apply(whole_system, cast, family)
    await verify(cast, family, application)
    await investigate(cast, family, application.case_id, china_today())
    await publicise(cast, family, application.case_id)
    await pass_publicity(whole_system, cast, application.case_id)
    decision = await approve(cast, application)
    entitled = await entitlement(cast, decision)
    line = await roster_line(cast, family.county, decision.effective_month, decision.household_id)
    await report_paid(cast, line, dt.datetime.now(CHINA_TZ).replace(microsecond=0))
    registry = await cast.county_officer.http.get(f"/api/v1/casework/households/{decision.household_id}")
    assert registry.status_code == 200, registry.text
    return Decided(family, cast, decision, entitled.amount, registry.json())


async def _search(browser: httpx.AsyncClient, **fields: str) -> httpx.Response:
    form = await browser.get(f"{CONSOLE}/households")
    return await browser.post(f"{CONSOLE}/households", data={"csrf_token": _csrf(form), **fields})


def _file_link(household_id: str, text: str) -> str:
    return f'<a href="{CONSOLE}/households/{household_id}">{text}</a>'


async def test_the_county_officer_finds_the_household_by_its_masked_name_and_an_identity_number(
    whole_system: WholeSystem, decided: Decided, browser: httpx.AsyncClient
) -> None:
    family, household_id = decided.family, decided.decision.household_id
    await _sign_in(browser, decided.cast.county_officer)
    home = await browser.get(f"{CONSOLE}/")
    assert f'<a href="{CONSOLE}/households">户籍查询</a>' in home.text
    village = await browser.get(f"{CONSOLE}/households", params={"region_code": family.village})
    assert village.status_code == 200
    # The village's list names the head as the API masks it (宋建军 → 宋*军), linked to the file.
    assert _file_link(household_id, "宋*军") in village.text
    assert "宋建军" not in village.text
    assert "最低生活保障" in village.text
    assert "<td>在保</td>" in village.text
    # Exactly by a member's identity number (the spouse's), sent as a form: it never sits in an address.
    found = await _search(browser, id_number=family.members[1].id_number)
    assert found.status_code == 200
    assert _file_link(household_id, "宋*军") in found.text
    assert f'value="{family.members[1].id_number}"' in found.text  # the form keeps what was typed
    # Exactly by a member's full name (the spouse's), with the village; not in another village of the county.
    named = await _search(browser, name=family.members[1].name, region_code=family.village)
    assert named.status_code == 200
    assert _file_link(household_id, "宋*军") in named.text
    assert f'value="{family.members[1].name}"' in named.text
    elsewhere = await _search(browser, name=family.members[1].name, region_code=f"{family.county}001999")
    assert "没有符合条件的家庭" in elsewhere.text
    not_a_name = await _search(browser, name="何美兰1")
    assert not_a_name.status_code == 422
    assert 'id="name-problem" class="problem field-problem">姓名不正确<' in not_a_name.text
    nobody = fictional_id("1950-01-01", "997", family.county)
    whole_system.remember_personal_data([nobody])
    stranger = await _search(browser, id_number=nobody)
    assert "没有符合条件的家庭" in stranger.text
    assert household_id not in stranger.text
    forged = await browser.post(f"{CONSOLE}/households", data={"id_number": family.head.id_number})
    assert forged.status_code == 403
    assert household_id not in forged.text


async def test_the_file_shows_members_amounts_reviews_history_and_payments(
    decided: Decided, browser: httpx.AsyncClient
) -> None:
    family, household_id = decided.family, decided.decision.household_id
    await _sign_in(browser, decided.cast.county_officer)
    file = await browser.get(f"{CONSOLE}/households/{household_id}")
    assert file.status_code == 200
    for relation, member in zip(("户主", "配偶", "子女"), family.members, strict=True):
        assert f"<td>{relation}</td><td>{member.name}</td>" in file.text
        assert member.id_number not in file.text  # masked as the API masks it
    assert '<h2 id="members-title">家庭成员（3 人）</h2>' in file.text
    assert f"<td>{yuan(decided.monthly_amount)}</td>" in file.text  # the monthly amount in 元
    assert decided.monthly_amount == decided.decision.amount
    assert "正常发放" in file.text
    next_review = decided.registry["next_review_date"]
    assert next_review is not None
    assert f"<dd>{chinese_date(next_review)}</dd>" in file.text
    assert "B类（每半年复核一次）" in file.text  # the class the township proposed
    assert family.account_no not in file.text
    assert "已发放" in file.text  # the paid roster line, from disbursement's payment file
    for region in ("summary", "members", "programs", "review", "history", "payments"):
        assert f'<section aria-labelledby="{region}-title">' in file.text

    # The state on a past date: the day before it was registered it was not yet a household, the field says so.
    yesterday = (china_today() - dt.timedelta(days=1)).isoformat()
    before = await browser.get(f"{CONSOLE}/households/{household_id}", params={"as_of": yesterday})
    assert before.status_code == 404
    assert f'id="as_of-problem" class="problem field-problem">{NOT_YET}<' in before.text
    assert f'value="{yesterday}"' in before.text
    assert family.head.name not in before.text
    assert '<section aria-labelledby="history-title">' in before.text
    today = china_today().isoformat()
    on_the_day = await browser.get(f"{CONSOLE}/households/{household_id}", params={"as_of": today})
    assert on_the_day.status_code == 200
    assert f"以下为 {chinese_date(today)} 当日终了时的状态" in on_the_day.text
    assert f"<td>{yuan(decided.monthly_amount)}</td>" in on_the_day.text
    assert f"?as_of={today}" in on_the_day.text  # each version links to its day


async def test_a_township_officer_of_another_township_sees_the_refusal_and_nothing_of_the_household(
    whole_system: WholeSystem, decided: Decided, browser: httpx.AsyncClient
) -> None:
    family, household_id = decided.family, decided.decision.household_id
    other = await whole_system.staff("township_officer", family.county + "002", "另一乡镇 经办人")
    await _sign_in(browser, other)
    refused = await browser.get(f"{CONSOLE}/households/{household_id}")
    assert refused.status_code == 403
    assert '<p class="problem" role="alert">超出本人管辖区域</p>' in refused.text  # the API's Chinese refusal
    for seen in (family.head.name, family.members[1].name, yuan(decided.monthly_amount), "家庭成员"):
        assert seen not in refused.text
    searched = await _search(browser, id_number=family.head.id_number)
    assert searched.status_code == 200
    assert "没有符合条件的家庭" in searched.text  # outside the jurisdiction: the API lists nothing
    elsewhere = await browser.get(f"{CONSOLE}/households", params={"region_code": family.village})
    assert elsewhere.status_code == 403
    assert 'id="region_code-problem" class="problem field-problem">超出本人管辖区域<' in elsewhere.text
    assert household_id not in elsewhere.text


async def test_a_bad_identity_number_is_shown_beside_its_field_and_kept(
    decided: Decided, browser: httpx.AsyncClient
) -> None:
    head = decided.family.head.id_number
    broken = head[:-1] + ("0" if head[-1] != "0" else "1")
    await _sign_in(browser, decided.cast.county_officer)
    answer = await _search(browser, id_number=broken, region_code=decided.family.village)
    assert answer.status_code == 422
    assert f'id="id_number-problem" class="problem field-problem">{BAD_ID}<' in answer.text
    assert f'value="{broken}"' in answer.text
    assert f'value="{decided.family.village}"' in answer.text  # nothing typed is lost
    assert decided.decision.household_id not in answer.text
    bad_region = await browser.get(f"{CONSOLE}/households", params={"region_code": "14x"})
    # The gateway refuses a region outside the person's jurisdiction before the service reads it: either way the
    # problem stands beside the field, with what was typed.
    assert bad_region.status_code in {403, 422}
    assert 'id="region_code-problem" class="problem field-problem">' in bad_region.text
    assert 'value="14x"' in bad_region.text


async def _ledger_notes(whole_system: WholeSystem, target: str) -> set[str]:
    """What the gateway's access audit holds of the ledgers exported for `target` (`households/<region>`)."""
    engine = create_async_engine(BaseServiceSettings(database_url=whole_system.stack.database_url).async_database_url)
    try:

        async def notes() -> set[str]:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text("SELECT action FROM gateway.access_audit WHERE target = :target"), {"target": target}
                )
                return {str(r[0]) for r in rows}

        found: set[str] = await wait_until(notes, lambda actions: "ledger.exported_whole" in actions, timeout=30)
        return found
    finally:
        await engine.dispose()


async def _download_ledger(page: Page, link: str, saved: Path) -> list[Any]:
    """Click an 导出 Excel link and read the workbook the browser saved: its rows, cells with their types."""
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=link, exact=True).click()
    download = await downloading.value
    assert download.suggested_filename.endswith("救助对象花名册" + china_today().isoformat() + ".xlsx")
    await download.save_as(saved)
    return list(load_workbook(saved).active.iter_rows())


async def test_in_a_browser_search_then_the_file_then_a_past_date(
    whole_system: WholeSystem, decided: Decided, page: Page, tmp_path: Path
) -> None:
    officer = decided.cast.county_officer
    assert officer.username is not None
    assert officer.password is not None
    await page.goto(f"{whole_system.base_url}{CONSOLE}/")
    await page.get_by_label("用户名").fill(officer.username)
    await page.get_by_label("密码").fill(officer.password)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("link", name="户籍查询").click()
    await expect(page.get_by_role("heading", name="户籍查询")).to_be_visible()
    await page.get_by_label("村（社区）代码").fill(decided.family.village)
    await page.get_by_role("button", name="查询", exact=True).click()
    results = page.get_by_role("region", name="查询结果")
    await expect(results.get_by_role("link", name="宋*军")).to_have_count(1)
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "households")  # the village's list: no identity number typed in the picture
    # 导出 Excel: the village's roll, as the list shows it (masked), then whole for the county officer (audited).
    head, household_id = decided.family.head.id_number, decided.decision.household_id
    rows = await _download_ledger(page, "导出 Excel", tmp_path / "roll.xlsx")
    assert [c.value for c in rows[1][:3]] == ["序号", "家庭编号", "县（市、区）"]
    [row] = [r for r in rows[2:] if r[1].value == household_id]
    assert (row[5].value, row[6].value, row[6].data_type) == ("宋*军", head[:6] + "*" * 8 + head[14:], "s")
    rows = await _download_ledger(page, "导出 Excel（完整证件号码）", tmp_path / "whole.xlsx")
    [row] = [r for r in rows[2:] if r[1].value == household_id]
    assert (row[5].value, row[6].value, row[6].data_type) == ("宋建军", head, "s")
    assert "ledger.exported_whole" in await _ledger_notes(whole_system, f"households/{decided.family.village}")
    await page.get_by_label("村（社区）代码").fill("")
    await page.get_by_label("身份证号").fill(decided.family.head.id_number)
    await page.get_by_role("button", name="查询", exact=True).click()
    await expect(results.get_by_role("link", name="宋*军")).to_have_count(1)
    await expect(page.get_by_label("身份证号")).to_have_value(decided.family.head.id_number)
    await results.get_by_role("link", name="宋*军").click()

    await expect(page.get_by_role("heading", name="家庭档案 · 户主 宋建军")).to_be_visible()
    members = page.get_by_role("region", name="家庭成员（3 人）")
    await expect(members.get_by_role("cell", name="何美兰", exact=True)).to_be_visible()
    programs = page.get_by_role("region", name="保障项目")
    await expect(programs.get_by_role("cell", name=yuan(decided.monthly_amount), exact=True)).to_be_visible()
    await expect(page.get_by_role("region", name="发放记录").get_by_role("cell", name="已发放")).to_be_visible()
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "household")

    await page.get_by_label("查询日期").fill((china_today() - dt.timedelta(days=1)).isoformat())
    await page.get_by_role("button", name="查看当日状态").click()
    await expect(page.get_by_text(NOT_YET)).to_be_visible()
    await expect(page.get_by_role("region", name="保障项目")).to_have_count(0)
    await page.get_by_label("查询日期").fill(china_today().isoformat())
    await page.get_by_role("button", name="查看当日状态").click()
    await expect(page.get_by_role("status")).to_contain_text(f"以下为 {chinese_date(china_today())} 当日终了时的状态")
    await expect(programs.get_by_role("cell", name=yuan(decided.monthly_amount), exact=True)).to_be_visible()
