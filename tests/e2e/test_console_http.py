"""The staff console through the gateway, as plain HTTP (issue 19): sign-in with a server-side session, CSRF on
every form, a Content-Security-Policy without inline scripts, the way back to the page wanted, sign-out, and 我的待办
showing what the API lists for the signed-in person and nothing of another township."""

from __future__ import annotations

import httpx
import pytest

from libs.contracts.errors import CATALOGUE
from tests.e2e.console_session import CONSOLE, sign_in
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.journey_payment import filed
from tests.e2e.system import Actor, WholeSystem, new_county
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(600)


async def _sign_in(browser: httpx.AsyncClient, actor: Actor, next_page: str = f"{CONSOLE}/") -> httpx.Response:
    assert actor.username is not None
    assert actor.password is not None
    return await sign_in(browser, actor.username, actor.password, next_page)


async def test_the_root_and_a_page_without_a_session_lead_to_sign_in_and_back(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    root = await browser.get("/")
    assert root.status_code == 307
    assert root.headers["location"] == f"{CONSOLE}/"
    home = await browser.get(f"{CONSOLE}/")
    assert home.status_code == 303
    assert home.headers["location"] == f"{CONSOLE}/login?next=%2Fconsole%2F"
    form = await browser.get(home.headers["location"])
    assert form.status_code == 200
    for word in ('<label for="username">用户名</label>', '<label for="password">密码</label>', ">登录</button>"):
        assert word in form.text
    officer = await whole_system.staff("county_officer", new_county(), "县民政局 科长")
    signed_in = await _sign_in(browser, officer, f"{CONSOLE}/?from=login")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == f"{CONSOLE}/?from=login"
    cookie = signed_in.headers["set-cookie"]
    assert "jiuzhu_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/console" in cookie
    # The cookie is a random id: no token, no name travels in it.
    assert str(officer.username) not in cookie
    assert "eyJ" not in cookie
    page = await browser.get(f"{CONSOLE}/?from=login")
    assert page.status_code == 200
    assert "<h1>我的待办</h1>" in page.text
    assert "县级审核审批人员" in page.text
    assert "退出登录" in page.text


async def test_a_session_whose_tokens_were_revoked_leads_to_sign_in_and_back_to_the_page_wanted(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin = await whole_system.admin()
    county = new_county()
    username, password = f"county-{county}", f"Pw-{county}-Zq8!kx"
    body = {"username": username, "password": password, "display_name": "县民政局 科长",
            "roles": ["county_officer"], "region_code": county}  # fmt: skip
    created = await admin.http.post("/api/v1/admin/users", json=body)
    assert created.status_code == 201, created.text
    signed_in = await sign_in(browser, username, password)
    assert signed_in.status_code == 303, signed_in.text
    wanted = f"{CONSOLE}/rosters"
    assert (await browser.get(wanted)).status_code == 200

    # An administrator signs the person out everywhere: the console's tokens, refresh token included, are refused.
    revoked = await admin.http.post(
        f"/api/v1/admin/users/{created.json()['user_id']}/revoke-tokens", json={"reason": "离岗，收回全部登录"}
    )
    assert revoked.status_code == 200, revoked.text
    back = await wait_until(lambda: browser.get(wanted), lambda r: r.status_code == 303, timeout=30, every=0.5)
    assert back.headers["location"] == f"{CONSOLE}/login?next=%2Fconsole%2Frosters"
    again = await sign_in(browser, username, password, wanted)
    assert (again.status_code, again.headers["location"]) == (303, wanted)
    assert "<h1>花名册</h1>" in (await browser.get(wanted)).text


async def test_every_page_carries_a_policy_without_inline_scripts_and_is_not_cached(browser: httpx.AsyncClient) -> None:
    page = await browser.get(f"{CONSOLE}/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script" not in page.text
    assert "style=" not in page.text
    style = await browser.get(f"{CONSOLE}/static/console.css")
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
    assert "content-security-policy" in style.headers


async def test_a_sign_in_without_the_forms_token_or_with_a_wrong_password_signs_nobody_in(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    officer = await whole_system.staff("township_officer", new_county() + "001", "乡镇民政办 经办人")
    assert officer.username is not None
    assert officer.password is not None
    forged = await browser.post(f"{CONSOLE}/login", data={"username": officer.username, "password": officer.password})
    assert forged.status_code == 403
    assert "页面已过期" in forged.text
    assert "jiuzhu_session" not in forged.headers.get("set-cookie", "")
    form = await browser.get(f"{CONSOLE}/login")
    wrong = await browser.post(f"{CONSOLE}/login", data={"username": officer.username, "password": "not-the-password-1",
                                                         "csrf_token": _csrf(form), "next": ""})  # fmt: skip
    assert wrong.status_code == 401
    assert '<p class="problem" role="alert">用户名或密码错误</p>' in wrong.text  # the catalogue's Chinese message
    assert f'value="{officer.username}"' in wrong.text  # what was typed is kept
    assert "jiuzhu_session" not in wrong.headers.get("set-cookie", "")
    # Only a page of the console itself is a place to go after signing in.
    for elsewhere in ("https://example.org/", "//example.org/", f"{CONSOLE}/..//example.org"):
        async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as fresh:
            went = await _sign_in(fresh, officer, elsewhere)
        assert (went.status_code, went.headers["location"]) == (303, f"{CONSOLE}/"), elsewhere


async def test_signing_out_needs_the_forms_token_and_ends_the_session(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    officer = await whole_system.staff("county_officer", new_county(), "县民政局 科长")
    await _sign_in(browser, officer)
    home = await browser.get(f"{CONSOLE}/")
    refused = await browser.post(f"{CONSOLE}/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert (await browser.get(f"{CONSOLE}/")).status_code == 200  # still signed in
    out = await browser.post(f"{CONSOLE}/logout", data={"csrf_token": _csrf(home)})
    assert out.status_code == 303
    assert out.headers["location"] == f"{CONSOLE}/login"
    again = await browser.get(f"{CONSOLE}/")
    assert again.status_code == 303
    assert again.headers["location"].startswith(f"{CONSOLE}/login")


async def test_the_home_lists_what_the_api_lists_for_this_person_and_nothing_of_another_township(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    family, cast, application = await filed(whole_system, submit=True)
    admin = await whole_system.admin()
    for code, name in ((family.township, "东风镇"), (family.village, "红旗村")):
        assert (await admin.http.put(f"/api/v1/admin/regions/{code}", json={"name": name})).status_code == 200
    await _sign_in(browser, cast.township_officer)
    home = await browser.get(f"{CONSOLE}/")
    assert home.status_code == 200
    assert "<td>东风镇 红旗村</td>" in home.text  # names, not codes
    assert "待受理的申请（1）" in home.text
    assert application["application_no"] in home.text
    assert family.head.id_number not in home.text  # names are masked and identity numbers never listed
    other = await whole_system.staff("township_officer", family.county + "002", "另一乡镇 经办人")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as elsewhere:
        await _sign_in(elsewhere, other)
        theirs = await elsewhere.get(f"{CONSOLE}/")
    assert "待受理的申请（0）" in theirs.text
    assert application["application_no"] not in theirs.text


async def test_a_reset_password_is_changed_first_with_each_refusal_beside_its_field(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    admin = await whole_system.admin()
    username, region = f"reset-{new_county()}", new_county() + "001"
    body = {"username": username, "password": "Original-Password-2026", "display_name": "乡镇民政办 经办人",
            "roles": ["township_officer"], "region_code": region}  # fmt: skip
    created = await admin.http.post("/api/v1/admin/users", json=body)
    assert created.status_code == 201, created.text
    temporary, own = "Temporary-Password-2026", "Wuqiang-Cunmin-2026#"
    reset = await admin.http.post(f"/api/v1/admin/users/{created.json()['user_id']}/password",
                                  json={"reason": "本人忘记密码", "password": temporary})  # fmt: skip
    assert reset.status_code == 200, reset.text
    signed_in = await _sign_in(browser, Actor(admin.http, region, username=username, password=temporary))
    assert signed_in.headers["location"] == f"{CONSOLE}/password?next=%2Fconsole%2F"
    # No other page until the password is the person's own.
    assert (await browser.get(f"{CONSOLE}/")).headers["location"].startswith(f"{CONSOLE}/password")
    form = await browser.get(signed_in.headers["location"])
    assert "管理员已重置您的密码" in form.text
    for label in ("当前密码", "新密码", "确认新密码"):
        assert f">{label}</label>" in form.text

    async def change(current: str, new: str, confirm: str) -> httpx.Response:
        fields = {"csrf_token": _csrf(form), "next": f"{CONSOLE}/", "current_password": current,
                  "new_password": new, "confirm_password": confirm}  # fmt: skip
        return await browser.post(f"{CONSOLE}/password", data=fields)

    mismatch = await change(temporary, own, own + "x")
    assert mismatch.status_code == 422
    assert 'id="confirm_password-problem" class="problem field-problem">两次输入的新密码不一致<' in mismatch.text
    wrong = await change("Not-The-Password-1", own, own)
    assert wrong.status_code == 422
    assert 'id="current_password-problem" class="problem field-problem">原密码错误<' in wrong.text  # the catalogue's
    weak = await change(temporary, "aaaaaaaaaaaa", "aaaaaaaaaaaa")
    assert weak.status_code == 422
    assert 'id="new_password-problem" class="problem field-problem">密码不符合安全要求<' in weak.text
    changed = await change(temporary, own, own)
    assert changed.status_code == 303
    assert changed.headers["location"] == f"{CONSOLE}/"
    home = await browser.get(f"{CONSOLE}/")
    assert home.status_code == 200
    assert "<h1>我的待办</h1>" in home.text


async def test_an_application_is_returned_once_with_its_list_and_another_township_cannot_open_it(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    family, cast, application = await filed(whole_system, submit=True)
    application_id = application["application_id"]
    await _sign_in(browser, cast.township_officer)
    detail = await browser.get(f"{CONSOLE}/applications/{application_id}")
    assert detail.status_code == 200
    assert "宋建军" in detail.text  # the applicant's full name, as the API shows it to the township
    assert family.head.id_number not in detail.text  # identity numbers masked
    forged = await browser.post(f"{CONSOLE}/applications/{application_id}/return", data={"missing": "户口簿"})
    assert forged.status_code == 403
    missing = "户口簿复印件\n近 12 个月工资流水"
    returned = await browser.post(f"{CONSOLE}/applications/{application_id}/return",
                                  data={"missing": missing, "csrf_token": _csrf(detail)})  # fmt: skip
    assert returned.status_code == 303
    after = await browser.get(returned.headers["location"])
    assert "已退回补充" in after.text
    assert "<li>户口簿复印件</li>" in after.text
    assert "<li>近 12 个月工资流水</li>" in after.text
    # Once only: the API refuses a second return, and the page says so in the catalogue's Chinese.
    again = await browser.post(f"{CONSOLE}/applications/{application_id}/return",
                               data={"missing": "再补一项", "csrf_token": _csrf(detail)})  # fmt: skip
    assert again.status_code == 409
    said = {CATALOGUE[code].zh for code in ("already_returned", "invalid_status")}
    assert any(f'<p class="problem" role="alert">{zh}</p>' in again.text for zh in said)
    other = await whole_system.staff("township_officer", family.county + "002", "另一乡镇 经办人")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as elsewhere:
        await _sign_in(elsewhere, other)
        refused = await elsewhere.get(f"{CONSOLE}/applications/{application_id}")
    assert refused.status_code in {403, 404}
    assert "宋建军" not in refused.text
    assert 'role="alert"' in refused.text
