"""系统管理 in the console (issue 19), through the whole running system: a system administrator of a county, created
through the API, creates a village assistant who then signs in, is refused a username already taken (in Chinese,
beside 用户名, with what was typed kept), resets a password and sees the temporary one once, registers a 12345 hotline
client and sees its secret once (and the secret works), names a village, adds a 低保标准 in 元; someone who is not an
administrator gets the API's refusal. Plain HTTP as a browser sends it, then once in Debian's Chromium."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.async_api import Page, expect

from libs.contracts.clock import china_today
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.console_session import sign_in as _sign_in
from tests.e2e.system import Actor, WholeSystem, new_county
from tests.support.accounts import unique_name

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(600)

TAKEN = "用户名已被占用"  # the catalogue's username_taken


def _beside(page: httpx.Response, field: str) -> str:
    """The problem shown beside a field (its `<span id="<field>-problem">`), or "" when there is none."""
    found = re.search(rf'id="{re.escape(field)}-problem"[^>]*>([^<]*)<', page.text)
    return found.group(1) if found else ""


async def _admin(whole_system: WholeSystem, browser: httpx.AsyncClient) -> tuple[Actor, str]:
    """A county's system administrator, signed in to the console; and the console's CSRF token."""
    county = new_county()
    admin = await whole_system.staff("system_admin", county, "县民政局 系统管理员")
    assert admin.username is not None
    assert admin.password is not None
    signed_in = await _sign_in(browser, admin.username, admin.password)
    assert signed_in.status_code == 303, signed_in.text
    home = await browser.get(f"{CONSOLE}/")
    assert f'<a href="{CONSOLE}/admin/users">系统管理</a>' in home.text
    return admin, _csrf(home)


async def test_an_admin_creates_a_village_assistant_who_signs_in_and_a_taken_username_is_refused_beside_it(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin, csrf = await _admin(whole_system, browser)
    village = f"{admin.region_code}001001"
    listed = await browser.get(f"{CONSOLE}/admin/users")
    assert listed.status_code == 200
    assert '<h2 id="new-user-title">新建用户</h2>' in listed.text
    assert f"<td>{admin.username}</td>" in listed.text

    username, password = unique_name("va"), f"Pw-{uuid.uuid4().hex}"
    form = {"username": username, "display_name": "王小花", "role": "village_assistant", "region_code": village,
            "password": password}  # fmt: skip
    without_token = await browser.post(f"{CONSOLE}/admin/users", data=form)
    assert without_token.status_code == 403
    created = await browser.post(f"{CONSOLE}/admin/users", data={**form, "csrf_token": csrf})
    assert created.status_code == 303, created.text
    user_page = await browser.get(created.headers["location"])
    assert "用户已创建" in user_page.text
    assert "<dd>村协理员</dd>" in user_page.text
    listed = await browser.get(f"{CONSOLE}/admin/users")
    row = re.search(rf"<td>{re.escape(username)}</td>.*?</tr>", listed.text, re.S)
    assert row is not None
    assert "王小花" in row.group(0)
    assert "村协理员" in row.group(0)
    assert "<td>启用" in row.group(0)

    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as theirs:
        signed_in = await _sign_in(theirs, username, password)
        assert signed_in.status_code == 303
        home = await theirs.get(f"{CONSOLE}/")
        assert "王小花（村协理员" in home.text
        assert "系统管理" not in home.text  # the link is for administrators only

    again = await browser.post(f"{CONSOLE}/admin/users", data={**form, "display_name": "李四", "csrf_token": csrf})
    assert again.status_code == 409
    assert _beside(again, "username") == TAKEN
    assert f'value="{username}"' in again.text  # what was typed is kept
    assert 'value="李四"' in again.text
    assert password not in again.text  # a password is never written back into a page
    other = {**form, "username": unique_name("va"), "region_code": "12ab", "csrf_token": csrf}
    bad_region = await browser.post(f"{CONSOLE}/admin/users", data=other)
    assert bad_region.status_code == 422
    assert _beside(bad_region, "region_code") == "填写的内容不符合要求"


async def test_a_password_reset_shows_the_temporary_password_once_and_deactivation_is_shown(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin, csrf = await _admin(whole_system, browser)
    officer = await whole_system.staff("township_officer", f"{admin.region_code}001", "乡镇 经办人")
    listed = await browser.get(f"{CONSOLE}/admin/users")
    link = re.search(rf'href="({CONSOLE}/admin/users/[^"]+)" aria-label="管理 {officer.username}"', listed.text)
    assert link is not None
    user_page = link.group(1)

    no_reason = await browser.post(f"{user_page}/password", data={"reason": " ", "csrf_token": csrf})
    assert no_reason.status_code == 422
    assert _beside(no_reason, "reset-reason") == "此项必填"
    reset = await browser.post(f"{user_page}/password", data={"reason": "本人遗忘密码", "csrf_token": csrf})
    assert reset.status_code == 200, reset.text
    assert "临时密码仅显示这一次" in reset.text
    shown = re.search(r'id="temporary-password">([^<]+)<', reset.text)
    assert shown is not None
    temporary = shown.group(1)
    assert temporary not in (await browser.get(user_page)).text  # shown once only
    assert "待本人修改" in (await browser.get(user_page)).text
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as theirs:
        assert officer.username is not None
        signed_in = await _sign_in(theirs, officer.username, temporary)
        assert signed_in.status_code == 303
        assert (await theirs.get(f"{CONSOLE}/")).headers["location"].startswith(f"{CONSOLE}/password")

    cut_off = await browser.post(f"{user_page}/deactivate", data={"reason": "调离岗位", "csrf_token": csrf})
    assert cut_off.status_code == 303
    after = await browser.get(cut_off.headers["location"])
    assert "账号已停用" in after.text
    assert "<dd>停用" in after.text
    assert ">启用</button>" in after.text


async def test_a_hotline_client_is_created_with_its_secret_shown_once(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin, csrf = await _admin(whole_system, browser)
    form = {"name": "市12345热线平台", "scopes": ["hotline"], "region_code": admin.region_code,
            "callback_url": "ftp://hotline.example/results", "csrf_token": csrf}  # fmt: skip
    refused = await browser.post(f"{CONSOLE}/admin/clients", data=form)
    assert refused.status_code == 422
    assert _beside(refused, "callback_url") == "填写的内容不符合要求"
    assert 'value="市12345热线平台"' in refused.text
    assert 'value="hotline" checked' in refused.text
    no_scope = await browser.post(f"{CONSOLE}/admin/clients", data={**form, "scopes": []})
    assert _beside(no_scope, "scopes") == "此项必填"

    created = await browser.post(f"{CONSOLE}/admin/clients", data={**form, "callback_url": "http://127.0.0.1:9/r"})
    assert created.status_code == 201, created.text
    assert "密钥仅显示这一次" in created.text
    client_id = re.search(r'id="client-id">([^<]+)<', created.text)
    secret = re.search(r'id="client-secret">([^<]+)<', created.text)
    assert client_id is not None
    assert secret is not None
    grant = {"grant_type": "client_credentials", "client_id": client_id.group(1), "client_secret": secret.group(1)}
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as partner:
        token = await partner.post("/api/v1/auth/token", data=grant)
    assert token.status_code == 200, token.text
    listed = await browser.get(f"{CONSOLE}/admin/clients")
    assert client_id.group(1) in listed.text
    assert "12345热线" in listed.text
    assert secret.group(1) not in listed.text


async def test_a_village_is_named_and_a_standard_added_in_yuan(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin, csrf = await _admin(whole_system, browser)
    village = f"{admin.region_code}002003"
    named = await browser.post(f"{CONSOLE}/admin/regions", data={"code": village, "name": "杏花村", "csrf_token": csrf})
    assert named.status_code == 303, named.text
    regions = await browser.get(named.headers["location"])
    assert "区划名称已保存" in regions.text
    assert f"<tr><td>{village}</td><td>杏花村</td></tr>" in regions.text
    elsewhere = await browser.post(f"{CONSOLE}/admin/regions", data={"code": f"{new_county()}001", "name": "外乡",
                                                                      "csrf_token": csrf})  # fmt: skip
    assert elsewhere.status_code == 403
    assert _beside(elsewhere, "code") == "超出本人管辖区域"
    assert 'value="外乡"' in elsewhere.text

    today = china_today().isoformat()
    form = {"region_prefix": admin.region_code, "effective_from": today, "name": "dibao_standard", "value": "812.5",
            "csrf_token": csrf}  # fmt: skip
    added = await browser.post(f"{CONSOLE}/admin/standards", data=form)
    assert added.status_code == 303, added.text
    listed = await browser.get(added.headers["location"])
    assert "救助标准已添加" in listed.text
    assert "低保标准（元/人·月）" in listed.text
    assert "¥812.50" in listed.text
    twice = await browser.post(f"{CONSOLE}/admin/standards", data=form)
    assert twice.status_code == 409
    assert _beside(twice, "effective_from") == "该项标准自此日期已有设定"
    typo = await browser.post(f"{CONSOLE}/admin/standards", data={**form, "name": "publicity_days", "value": "七"})
    assert typo.status_code == 422
    assert _beside(typo, "value") == "保障标准数值无效"
    assert 'value="七"' in typo.text


async def test_someone_not_an_administrator_gets_the_api_refusal(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    officer = await whole_system.staff("county_officer", new_county(), "县民政局 科长")
    assert officer.username is not None
    assert officer.password is not None
    await _sign_in(browser, officer.username, officer.password)
    assert "系统管理" not in (await browser.get(f"{CONSOLE}/")).text
    for area in ("users", "clients"):
        refused = await browser.get(f"{CONSOLE}/admin/{area}")
        assert refused.status_code == 403
        assert "此操作需要其他岗位权限" in refused.text


async def test_an_admin_creates_a_user_in_the_browser(whole_system: WholeSystem, page: Page) -> None:
    county = new_county()
    admin = await whole_system.staff("system_admin", county, "县民政局 系统管理员")
    assert admin.username is not None
    assert admin.password is not None
    await page.goto(f"{whole_system.base_url}{CONSOLE}/")
    await page.get_by_label("用户名").fill(admin.username)
    await page.get_by_label("密码").fill(admin.password)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("navigation", name="主导航").get_by_role("link", name="系统管理").click()
    await expect(page.get_by_role("heading", name="用户管理", exact=True)).to_be_visible()
    form = page.get_by_role("region", name="新建用户")
    username = unique_name("va")
    await form.get_by_label("用户名").fill(username)
    await form.get_by_label("姓名").fill("赵村协")
    await form.get_by_label("岗位").select_option(label="村协理员")
    await form.get_by_label("所属地区（区划代码）").fill(f"{county}001001")
    await form.get_by_label("初始密码").fill(f"Pw-{uuid.uuid4().hex}")
    await form.get_by_role("button", name="创建用户").click()
    await expect(page.get_by_role("status")).to_contain_text("用户已创建")
    await expect(page.get_by_role("heading", name=f"用户 {username}")).to_be_visible()
    await page.get_by_role("link", name="用户管理", exact=True).click()
    await expect(
        page.get_by_role("region", name="本辖区用户").get_by_role("cell", name=username, exact=True)
    ).to_be_visible()
    await keep_screenshot(page, "admin-users")
    assert await no_horizontal_scroll(page)
