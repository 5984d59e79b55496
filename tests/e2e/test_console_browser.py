"""The console in a real browser (issue 19): Debian's Chromium, found by role and label as a person finds things."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.async_api import Locator, Page, expect

from console.words import yuan
from libs.contracts.clock import china_today
from libs.contracts.staff import StaffRole
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.journey_payment import (
    APPLICATIONS,
    apply,
    cast_for,
    filed,
    get_case,
    groundwork,
    new_family,
    pass_publicity,
    verify,
)
from tests.e2e.system import WholeSystem, new_county
from tests.support.waiting import wait_until

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(600)


async def _sign_in(tab: Page, base: str, username: str, password: str) -> None:
    await tab.goto(f"{base}/")
    await tab.get_by_label("用户名").fill(username)
    await tab.get_by_label("密码").fill(password)
    await tab.get_by_role("button", name="登录").click()


async def test_a_township_officer_signs_in_sees_the_application_to_accept_and_signs_out(
    whole_system: WholeSystem, page: Page
) -> None:
    _, cast, application = await filed(whole_system, submit=True)

    officer = cast.township_officer
    assert officer.username is not None
    assert officer.password is not None
    await page.goto(f"{whole_system.base_url}/")
    await expect(page.get_by_role("heading", name="登录救助工作台")).to_be_visible()
    await keep_screenshot(page, "login")
    await page.get_by_label("用户名").fill(officer.username)
    await page.get_by_label("密码").fill("not-the-password-1")
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    await expect(page.get_by_label("用户名")).to_have_value(officer.username)  # what was typed is kept

    await page.get_by_label("密码").fill(officer.password)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("heading", name="我的待办", exact=True)).to_be_visible()
    waiting = page.get_by_role("region", name="待受理的申请（1）")
    await expect(waiting).to_be_visible()
    await expect(waiting.get_by_role("cell", name=str(application["application_no"]), exact=False)).to_be_visible()
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "home-township")

    await waiting.get_by_role("link").first.click()
    await expect(page.get_by_role("heading", name=f"申请 {application['application_no']}")).to_be_visible()
    members = page.get_by_role("region", name="家庭成员（3 人）")
    await expect(members.get_by_role("cell", name="户主", exact=True)).to_be_visible()
    await page.get_by_role("button", name="退回补充").click()  # nothing listed: refused here, nothing sent
    await expect(page.get_by_role("alert")).to_contain_text("请逐行填写缺少的材料")
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "application")
    await page.get_by_role("button", name="受理").click()
    await expect(page.get_by_role("status")).to_have_text("已受理，办理期限自今日起算。")
    await expect(page.get_by_role("button", name="受理")).to_have_count(0)  # accepted once

    await page.get_by_role("button", name="退出登录").click()
    await expect(page.get_by_role("heading", name="登录救助工作台")).to_be_visible()
    await page.goto(f"{whole_system.base_url}/console/")
    await expect(page.get_by_role("button", name="登录")).to_be_visible()  # the session is gone


async def test_a_village_assistant_files_three_members_in_steps_a_bad_identity_number_is_shown_beside_its_field(
    whole_system: WholeSystem, page: Page
) -> None:
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    await groundwork(whole_system, cast, family, dibao_standard="760.00", publicity_days=3)
    assistant = cast.village_assistant
    assert assistant.username is not None
    assert assistant.password is not None
    await _sign_in(page, whole_system.base_url, assistant.username, assistant.password)
    await expect(page.get_by_role("heading", name="我的待办", exact=True)).to_be_visible()
    await keep_screenshot(page, "home-village")
    await page.get_by_role("link", name="填写申请").click()
    await expect(page.get_by_role("heading", name="填写申请")).to_be_visible()
    await expect(page.get_by_label("所在村（社区）代码")).to_have_value(family.village)  # the assistant's village
    words = {"head": "户主", "spouse": "配偶", "child": "子女"}
    labour = {"partial": "部分丧失劳动能力", "none": "无劳动能力", "full": "有劳动能力"}
    employment = {"unemployed": "失业", "flexible": "灵活就业", "student": "在校学生"}
    broken = family.members[1].id_number[:-1] + ("0" if family.members[1].id_number[-1] != "0" else "1")

    async def fill(row: Locator, i: int, id_number: str) -> None:
        member = family.members[i]
        await row.get_by_label("与户主关系").select_option(label=words[member.relation])
        await row.get_by_label("姓名").fill(member.name)
        await row.get_by_label("身份证号").fill(id_number)
        await row.get_by_label("劳动能力").select_option(label=labour[member.labour_capacity])
        await row.get_by_label("就业状况").select_option(label=employment[member.employment])

    async def next_step(title: str) -> None:
        await page.get_by_role("button", name="下一步").click()
        await expect(page.get_by_role("status")).to_have_text("草稿已保存。")  # saved before moving on
        steps = page.get_by_role("navigation", name="填写步骤")
        await expect(steps.locator("[aria-current=step]")).to_contain_text(title)

    # Step 1, the applicant: the draft is opened here.
    await fill(page.get_by_role("group", name="申请人", exact=True), 0, family.members[0].id_number)
    await next_step("家庭成员")
    # Step 2, the others: a bad number is refused beside its field, and nothing typed is lost.
    await fill(page.get_by_role("group", name="第2名成员"), 1, broken)
    await fill(page.get_by_role("group", name="第3名成员"), 2, family.members[2].id_number)
    await page.get_by_role("button", name="下一步").click()
    second = page.get_by_role("group", name="第2名成员")
    await expect(second.get_by_text("身份证号不正确，请核对 18 位号码及最后一位校验码")).to_be_visible()
    await expect(second.get_by_label("身份证号")).to_have_value(broken)
    await expect(page.get_by_role("group", name="第3名成员").get_by_label("姓名")).to_have_value(family.members[2].name)
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "application-form")
    await second.get_by_label("身份证号").fill(family.members[1].id_number)
    await next_step("收入")
    income = page.get_by_role("group", name="第1项收入")
    await income.get_by_label("取得收入的成员身份证号").fill(family.earner.id_number)
    await income.get_by_label("收入金额（元）").fill(family.declared_wages_12_months)
    await next_step("刚性支出")
    # Back one step: what was saved is there.
    await page.get_by_role("button", name="上一步").click()
    await expect(page.get_by_role("group", name="第1项收入").get_by_label("收入金额（元）")).to_have_value(
        family.declared_wages_12_months
    )
    for title in ("刚性支出", "家庭财产", "赡养（抚养、扶养）义务人", "银行账户"):
        await next_step(title)
    await page.get_by_label("开户银行").select_option(label="中国工商银行")
    await page.get_by_label("银行账号").fill(family.account_no)
    await next_step("承诺与近亲属备案")
    await page.get_by_label("申请人承诺所填信息真实（告知承诺）").check()
    await page.get_by_label("授权核对家庭经济状况").check()
    await page.get_by_role("button", name="提交申请").click()
    await expect(page.get_by_role("status")).to_have_text("申请已提交，等待乡镇受理。")
    await expect(page.get_by_role("region", name="家庭成员（3 人）")).to_be_visible()
    filed = await cast.township_officer.http.get(APPLICATIONS, params={"region_code": family.village})
    assert [a["status"] for a in filed.json()["items"]] == ["submitted"]  # one application, not one per step


async def test_the_township_investigates_and_proposes_and_the_county_confirms_in_the_browser(
    whole_system: WholeSystem, page: Page
) -> None:
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    await groundwork(whole_system, cast, family, dibao_standard="760.00", publicity_days=3)
    application = await apply(whole_system, cast, family)
    await verify(cast, family, application)
    township, county = cast.township_officer, cast.county_officer
    assert township.username is not None
    assert township.password is not None
    await _sign_in(page, whole_system.base_url, township.username, township.password)
    investigating = page.get_by_role("region", name="待入户调查的案件（1）")
    await investigating.get_by_role("link").first.click()
    await expect(page.get_by_role("heading", name=f"案件 {application.application_no}")).to_be_visible()
    step = page.get_by_role("region", name="记录入户调查")
    await step.get_by_label("调查日期").fill(china_today().isoformat())
    await step.get_by_label("调查人员（一）").fill("调查员甲")
    await step.get_by_label("调查人员（二）").fill("调查员乙")
    await step.get_by_label("调查情况").fill("入户核实，共同生活成员三人，与申报一致")
    income = step.get_by_role("group", name="核实收入（1）")
    await income.get_by_label("成员身份证号").fill(family.earner.id_number)
    await income.get_by_label("核实的近12个月收入（元）").fill(family.verified_wages_12_months)
    await step.get_by_role("button", name="保存入户调查").click()
    await expect(page.get_by_role("status")).to_have_text("入户调查已记录。")

    proposal = page.get_by_role("region", name="乡镇初审意见")
    await proposal.get_by_label("初审意见").select_option(label="批准")
    await proposal.get_by_label("复核分类").select_option(label="B类（每半年复核一次）")
    await proposal.get_by_label("理由（每行一条）").fill("家庭人均收入低于当地低保标准")
    await proposal.get_by_role("button", name="提交初审意见").click()
    await expect(page.get_by_role("status")).to_have_text("初审意见已提交。")
    # The amount is calculated by casework, line by line, never typed in.
    calculation = page.get_by_role("region", name="保障金额测算")
    await expect(calculation.get_by_role("row")).not_to_have_count(0)
    await keep_screenshot(page, "case")
    await page.get_by_role("button", name="退出登录").click()

    await pass_publicity(whole_system, cast, application.case_id)
    assert county.username is not None
    assert county.password is not None
    await _sign_in(page, whole_system.base_url, county.username, county.password)
    waiting = page.get_by_role("region", name="待县级审核确认的案件（1）")
    await expect(waiting).to_be_visible()
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "home-county")
    await waiting.get_by_role("link").first.click()
    await page.get_by_role("region", name="审核确认").get_by_role("button", name="确认").click()
    await expect(page.get_by_role("status")).to_have_text("审核确认意见已提交。")
    decided = await get_case(county, application.case_id)
    assert decided["status"] == "decided"
    assert decided["outcome"] == "approved"
    await expect(page.get_by_text(f"批准，自 {decided['effective_month']} 起")).to_be_visible()

    # The household's file now shows the amount; a township officer of another township is refused it.
    household = f"{whole_system.base_url}/console/households/{decided['household_id']}"
    await page.goto(household)
    programs = page.get_by_role("region", name="保障项目")
    await expect(programs.get_by_role("cell", name=yuan(str(decided["proposed_amount"])), exact=True)).to_be_visible()
    await page.get_by_role("button", name="退出登录").click()
    other = await whole_system.staff("township_officer", family.county + "002", "另一乡镇 经办人")
    assert other.username is not None
    assert other.password is not None
    await _sign_in(page, whole_system.base_url, other.username, other.password)
    await page.goto(household)
    await expect(page.get_by_role("alert")).to_have_text("超出本人管辖区域")
    await expect(page.get_by_role("region", name="保障项目")).to_have_count(0)


async def test_anyone_opens_a_countys_public_page_from_the_sign_in_page_without_signing_in(
    whole_system: WholeSystem, page: Page
) -> None:
    """Issue 22: the public page (信息公开) by links from the sign-in page; standards in a captioned table, the
    county's complaint line, no staff navigation."""
    county = new_county()
    # As the gateway's name delivery and an administrator would: casework names the county and keeps its standards.
    admin = Principal("u-admin", PrincipalKind.staff, "admin", "", frozenset({StaffRole.system_admin.value}))
    signed = {INTERNAL_HEADER: InternalTokens(whole_system.env["JIUZHU_INTERNAL_TOKEN_SECRET"]).sign(admin)}
    async with httpx.AsyncClient(base_url=whole_system.apis["casework"].url, headers=signed) as casework:
        names = {"names": [{"code": county, "name": "公开示范县", "revision": 1}]}
        assert (await casework.put("/internal/v1/region-names", json=names)).status_code == 200
        figures = {"dibao_standard": "700.00", "tekun_basic": "910.00", "complaint_line": "0355-2021234"}
        body = {"region_prefix": county, "effective_from": "2026-01-01", "figures": figures}
        reply = await casework.post("/api/v1/casework/standards", json=body)
        assert reply.status_code == 201, reply.text

    await page.goto(f"{whole_system.base_url}/console/login")
    await page.get_by_role("link", name="社会救助信息公开（无需登录）").click()
    await expect(page.get_by_role("heading", name="选择区县")).to_be_visible()
    await page.get_by_role("link", name="公开示范县").first.click()
    await expect(page.get_by_role("heading", name="公开示范县社会救助信息公开")).to_be_visible()
    standards = page.get_by_role("table", name="公开示范县现行社会救助标准")
    dibao = standards.get_by_role("row", name="低保标准")
    await expect(dibao.get_by_role("cell", name=yuan("700.00"), exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", name="如何申请")).to_be_visible()
    await expect(page.get_by_text("0355-2021234")).to_be_visible()
    await expect(page.get_by_role("navigation", name="主导航")).to_have_count(0)
    await expect(page.get_by_role("button", name="退出登录")).to_have_count(0)
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "public-page")


async def test_a_county_officer_opens_the_statistics_sees_the_figures_the_services_answer_and_downloads_the_report(
    whole_system: WholeSystem, page: Page
) -> None:
    """Issue 22, 统计分析: the county's figures by township as intake answers them, the charts (drawn by ECharts,
    served by the console) each with its table, and the monthly report (.xlsx) downloaded and read back."""
    family, cast, _ = await filed(whole_system, submit=True)
    admin = await whole_system.staff("system_admin", family.county, "县民政局 系统管理员")
    for code, name in ((family.county, "统计示范县"), (family.township, "统计示范镇")):
        assert (await admin.http.put(f"/api/v1/admin/regions/{code}", json={"name": name})).status_code == 200
    month = china_today().strftime("%Y-%m")
    county = cast.county_officer

    async def intake_figures() -> dict[str, Any]:
        reply = await county.http.get("/api/v1/intake/statistics", params={"month": month})
        assert reply.status_code == 200, reply.text
        answer: dict[str, Any] = reply.json()
        return answer

    # The names reach intake by the gateway's delivery; the figures count the submitted application.
    answer = await wait_until(intake_figures, lambda a: any(c["region_name"] == "统计示范镇" for c in a["children"]))
    township = next(c for c in answer["children"] if c["region_code"] == family.township)
    assert township["figures"]["received"] == 1
    assert county.username is not None
    assert county.password is not None
    await _sign_in(page, whole_system.base_url, county.username, county.password)
    await page.get_by_role("navigation", name="主导航").get_by_role("link", name="统计分析").click()
    await expect(page.get_by_role("heading", name="统计分析", exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", name=answer["region"]["region_name"], exact=False)).to_be_visible()

    # The table by township shows exactly what intake answered, row by row.
    table = page.get_by_role("table", name=f"{answer['region']['region_name']}各乡镇（街道）主要指标", exact=False)
    headers = await table.get_by_role("columnheader").all_inner_texts()
    received = headers.index("收到申请（件）") - 1  # the first column is the region's name (a row header)
    for child in answer["children"]:
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=child["region_name"], exact=True))
        await expect(row.get_by_role("cell").nth(received)).to_have_text(f"{child['figures']['received']:,}")
    total = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="合计", exact=True))
    await expect(total.get_by_role("cell").nth(received)).to_have_text(f"{answer['region']['figures']['received']:,}")

    # The bars by township: a chart ECharts drew, and the same figures as a table.
    bars = page.get_by_role("region", name="各乡镇（街道）对比")
    chart = bars.get_by_role("img", name="各乡镇（街道）对比", exact=False)
    await expect(chart.locator("canvas")).not_to_have_count(0)
    bar_table = bars.get_by_role("table")
    await expect(bar_table.get_by_role("rowheader", name="统计示范镇", exact=True)).to_be_visible()
    await expect(page.get_by_role("region", name="近24个月趋势")).to_be_visible()
    await expect(page.get_by_role("region", name="办理时限")).to_be_visible()
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "statistics")

    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="导出月报表").click()
    report = await (await downloading.value).path()
    sheet = load_workbook(io.BytesIO(report.read_bytes())).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"{answer['region']['region_name']}社会救助统计月报表"
    column = rows[3].index("收到申请（件）")
    by_name = {r[0]: r for r in rows[4:] if r[0]}
    assert by_name["统计示范镇"][column] == 1
    assert by_name["合计"][column] == answer["region"]["figures"]["received"]

    # Drill-down: the township's villages.
    await table.get_by_role("link", name="统计示范镇", exact=True).click()
    await expect(page.get_by_role("table", name="各村（社区）主要指标", exact=False)).to_be_visible()
    await expect(page.get_by_role("link", name="返回上一级")).to_be_visible()

    # A month typed wrong, and a region outside the officer's county: the refusal in Chinese, no figures shown.
    await page.goto(f"{whole_system.base_url}/console/statistics?month=十二月")
    await expect(page.get_by_role("alert")).to_have_text("请按“2026年12月”的格式填写统计月份")
    await page.goto(f"{whole_system.base_url}/console/statistics?month={month}&region={new_county()}")
    await expect(page.get_by_role("alert")).to_have_text("超出本人管辖区域")
    await expect(page.get_by_role("table")).to_have_count(0)
