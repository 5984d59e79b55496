"""花名册 in the console (issue 19): a county officer builds the month's roster for a household the journey brought to
an entitlement, checks it, locks it, submits it to finance and downloads its file, through the console's session;
every refusal shows in the catalogue's Chinese; another county's officer sees none of it. Plain HTTP, then Chromium."""

from __future__ import annotations

import asyncio
import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from playwright.async_api import Page, expect

from libs.contracts.clock import china_today
from libs.contracts.errors import CATALOGUE
from tests.e2e.browser import chromium, keep_screenshot, no_horizontal_scroll, page
from tests.e2e.console_session import CONSOLE
from tests.e2e.console_session import csrf as _csrf
from tests.e2e.console_session import signed_in as _sign_in
from tests.e2e.journey_payment import (
    ROSTERS,
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
    verify,
)
from tests.e2e.system import Actor, WholeSystem, new_county

__all__ = ["chromium", "page"]  # fixtures
pytestmark = pytest.mark.timeout(900)

_OUTDATED = CATALOGUE["roster_outdated"].zh


@dataclass(frozen=True)
class Entitled:
    """A household of a county of its own, approved for dibao, its entitlement in disbursement's ledger."""

    family: Family
    cast: Cast
    decision: Decision

    @property
    def county(self) -> str:
        return self.family.county

    @property
    def month(self) -> str:
        return self.decision.effective_month


async def _entitled(system: WholeSystem) -> Entitled:
    family = new_family(system, new_county())
    cast = await cast_for(system, family)
    await groundwork(system, cast, family, dibao_standard="760.00", publicity_days=3)
    application = await apply(system, cast, family)
    await verify(cast, family, application)
    await investigate(cast, family, application.case_id, china_today())
    await publicise(cast, family, application.case_id)
    # Two families at once (`_entitled` runs twice in a gather): the training clock would shift the other's steps.
    await pass_publicity(system, cast, application.case_id, by_clock=False)
    decision = await approve(cast, application)
    await entitlement(cast, decision)
    return Entitled(family, cast, decision)


@pytest.fixture(scope="module")
async def counties(whole_system: WholeSystem) -> tuple[Entitled, Entitled]:
    """Two counties, one for the plain HTTP scenario and one for the browser's, brought to an entitlement at once."""
    first, second = await asyncio.gather(_entitled(whole_system), _entitled(whole_system))
    return first, second


def _chinese_month(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def _month_before(period: str) -> str:
    first = dt.date.fromisoformat(f"{period}-01") - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


async def _status_of(officer: Actor, roster_id: str) -> str:
    reply = await officer.http.get(f"{ROSTERS}/{roster_id}")
    assert reply.status_code == 200, reply.text
    return str(reply.json()["status"])


def _alert(zh: str) -> str:
    return f'<p class="problem" role="alert">{zh}</p>'


async def test_a_county_officer_builds_locks_submits_and_downloads_a_roster_that_no_other_county_sees(
    whole_system: WholeSystem, browser: httpx.AsyncClient, counties: tuple[Entitled, Entitled]
) -> None:
    entitled = counties[0]
    officer, family = entitled.cast.county_officer, entitled.family
    await _sign_in(browser, officer)
    home = await browser.get(f"{CONSOLE}/")
    assert f'<a href="{CONSOLE}/rosters">花名册</a>' in home.text  # the nav link, for county officers
    listed = await browser.get(f"{CONSOLE}/rosters")
    assert listed.status_code == 200
    assert '<label for="period">期别（如 2026年12月）</label>' in listed.text
    assert ">生成花名册</button>" in listed.text
    csrf = _csrf(listed)

    # Without the form's token nothing is built.
    forged = await browser.post(f"{CONSOLE}/rosters", data={"period": entitled.month})
    assert forged.status_code == 403
    assert "页面已过期" in forged.text
    none = await officer.http.get(ROSTERS, params={"region_code": entitled.county, "period": entitled.month})
    assert none.json()["items"] == []
    # A month the form cannot read: said beside the field, the text kept.
    bad = await browser.post(f"{CONSOLE}/rosters", data={"period": "十二月", "csrf_token": csrf})
    assert bad.status_code == 422
    assert 'id="period-problem" class="problem field-problem">请按“2026年12月”的格式填写期别<' in bad.text
    assert 'value="十二月"' in bad.text

    built = await browser.post(f"{CONSOLE}/rosters",
                               data={"period": _chinese_month(entitled.month), "csrf_token": csrf})  # fmt: skip
    assert built.status_code == 303, built.text
    here = built.headers["location"].split("?")[0]
    roster_id = here.rsplit("/", 1)[1]
    draft = await browser.get(built.headers["location"])
    assert draft.status_code == 200
    assert f"<h1>{_chinese_month(entitled.month)}花名册（{entitled.county}）</h1>" in draft.text
    assert "花名册已生成" in draft.text
    shown = ("<dd>草稿</dd>", ">锁定</button>", ">重新生成</button>", "资金拨付函", "关于拨付", "最低生活保障", "宋*军")
    for words in shown:
        assert words in draft.text, words
    for personal in ("宋建军", family.account_no, *(m.id_number for m in family.members)):
        assert personal not in draft.text  # names and accounts only as the API masks them
    assert ">提交</button>" not in draft.text  # a draft is locked first

    # A second roster of the month, and one of an earlier month, are refused in the catalogue's words.
    again = await browser.post(f"{CONSOLE}/rosters", data={"period": entitled.month, "csrf_token": csrf})
    assert again.status_code == 409
    assert _alert(CATALOGUE["roster_exists"].zh) in again.text
    assert f'href="{CONSOLE}/rosters/{roster_id}"' in again.text  # the one there is
    assert f'value="{entitled.month}"' in again.text
    earlier = await browser.post(f"{CONSOLE}/rosters",
                                 data={"period": _month_before(entitled.month), "csrf_token": csrf})  # fmt: skip
    assert earlier.status_code == 409
    assert _alert(CATALOGUE["later_roster_exists"].zh) in earlier.text

    lock_refused = await browser.post(f"{here}/lock")
    assert lock_refused.status_code == 403
    assert await _status_of(officer, roster_id) == "draft"
    for _ in range(5):  # an event that moves the county's ledger meanwhile makes the draft outdated: rebuild it
        locked = await browser.post(f"{here}/lock", data={"csrf_token": csrf})
        if locked.status_code != 409:
            break
        assert _alert(_OUTDATED) in locked.text
        assert (await browser.post(f"{here}/rebuild", data={"csrf_token": csrf})).status_code == 303
    assert locked.status_code == 303, locked.text
    seen = await browser.get(locked.headers["location"])
    for words in ("花名册已锁定", "<dd>已锁定</dd>", "sha256:", ">提交</button>", ">作废</button>"):
        assert words in seen.text, words
    assert ">锁定</button>" not in seen.text
    twice = await browser.post(f"{here}/lock", data={"csrf_token": csrf})
    assert twice.status_code == 409
    assert _alert(CATALOGUE["roster_status"].zh) in twice.text

    submitted = await browser.post(f"{here}/submit", data={"csrf_token": csrf})
    assert submitted.status_code == 303, submitted.text
    seen = await browser.get(submitted.headers["location"])
    assert "<dd>已提交财政</dd>" in seen.text
    # 打印: the funding letter as the API kept it, through the console as this person (issue 22).
    assert f'href="{here}/print/funding-letter.pdf"' in seen.text
    letter = await browser.get(f"{here}/print/funding-letter.pdf")
    assert letter.status_code == 200, letter.text
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert len(letter.headers["x-content-sha256"]) == 64
    assert await _status_of(officer, roster_id) == "submitted"
    listed = await browser.get(f"{CONSOLE}/rosters", params={"status": "submitted"})
    assert f'href="{CONSOLE}/rosters/{roster_id}">{_chinese_month(entitled.month)}</a>' in listed.text

    file = await browser.get(f"{here}/file")
    assert file.status_code == 200
    assert file.headers["content-type"] == "text/csv; charset=utf-8"
    chinese = unquote(file.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert chinese == f"花名册-{entitled.county}-{_chinese_month(entitled.month)}.csv"
    assert file.content.startswith(codecs.BOM_UTF8 + "序号,".encode())
    text = file.content.decode("utf-8-sig")
    [header, line] = text.splitlines()
    assert header.split(",")[:4] == ["序号", "地区代码", "家庭编号", "收款人"]
    assert f",{entitled.decision.household_id},宋*军," in line
    for personal in ("宋建军", family.account_no, *(m.id_number for m in family.members)):
        assert personal not in text

    other = await whole_system.staff("county_officer", new_county(), "另一县民政局 科长")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as elsewhere:
        await _sign_in(elsewhere, other)
        paths = (here, f"{here}/file", f"{here}/print/funding-letter.pdf", f"{CONSOLE}/rosters")
        theirs = [await elsewhere.get(path) for path in paths]
    for refused in theirs[:3]:
        assert refused.status_code in {403, 404}
        assert 'role="alert"' in refused.text
        assert "宋*军" not in refused.text
        assert not refused.headers["content-type"].startswith(("text/csv", "application/pdf"))
    assert roster_id not in theirs[3].text


async def test_a_month_being_built_says_so_with_a_refresh_link_and_a_county_without_recipients_is_refused(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    officer = await whole_system.staff("county_officer", new_county(), "县民政局 科长")
    await _sign_in(browser, officer)
    building = await browser.get(f"{CONSOLE}/rosters", params={"building": "2026-12"})
    assert building.status_code == 200
    assert "2026年12月花名册的生成情况" in building.text
    assert f'<a href="{CONSOLE}/rosters?building=2026-12">刷新</a>' in building.text
    assert "<script" not in building.text
    form = await browser.get(f"{CONSOLE}/rosters")
    refused = await browser.post(f"{CONSOLE}/rosters", data={"period": "2026-12", "csrf_token": _csrf(form)})
    assert refused.status_code == 422
    assert _alert(CATALOGUE["unknown_county"].zh) in refused.text
    assert 'value="2026-12"' in refused.text
    township = await whole_system.staff("township_officer", new_county() + "001", "乡镇民政办 经办人")
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as theirs:
        await _sign_in(theirs, township)
        home = await theirs.get(f"{CONSOLE}/")
    assert f'href="{CONSOLE}/rosters"' not in home.text  # the nav link is the county's


async def test_in_a_browser_a_county_officer_builds_locks_submits_and_downloads_the_roster(
    page: Page, whole_system: WholeSystem, counties: tuple[Entitled, Entitled], tmp_path: Path
) -> None:
    entitled = counties[1]
    officer = entitled.cast.county_officer
    assert officer.username is not None
    assert officer.password is not None
    await page.goto(f"{whole_system.base_url}/console/")
    await page.get_by_label("用户名").fill(officer.username)
    await page.get_by_label("密码").fill(officer.password)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("navigation", name="主导航").get_by_role("link", name="花名册").click()
    await expect(page.get_by_role("heading", name="花名册", exact=True)).to_be_visible()
    build = page.get_by_role("region", name="生成花名册")
    await build.get_by_label("期别（如 2026年12月）").fill(_chinese_month(entitled.month))
    await build.get_by_role("button", name="生成花名册").click()
    await expect(page.get_by_role("status")).to_contain_text("花名册已生成")
    lines = page.get_by_role("region", name="发放明细")
    await expect(lines.get_by_role("cell", name="宋*军")).to_be_visible()
    await expect(page.get_by_role("region", name="资金拨付函")).to_contain_text("关于拨付")

    steps = page.get_by_role("region", name="办理")
    for _ in range(5):
        await steps.get_by_role("button", name="锁定", exact=True).click()
        # Locked: back to the roster's page saying so; refused: the answer to the POST, saying why.
        await page.wait_for_url(re.compile(r"(\?done=lock|/lock)$"))
        if page.url.endswith("done=lock"):
            break
        await expect(page.get_by_role("alert")).to_have_text(_OUTDATED)  # the ledger moved: rebuild, check, lock
        await steps.get_by_role("button", name="重新生成").click()
        await page.wait_for_url(re.compile(r"\?done=rebuild$"))
    await expect(page.get_by_role("status")).to_contain_text("花名册已锁定")
    await steps.get_by_role("button", name="提交", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("花名册已提交财政。")
    await expect(steps.get_by_role("button", name="提交", exact=True)).to_have_count(0)
    assert await no_horizontal_scroll(page)
    await keep_screenshot(page, "roster")

    async with page.expect_download() as downloading:
        await steps.get_by_role("link", name="下载花名册（CSV）").click()
    download = await downloading.value
    assert download.suggested_filename == f"花名册-{entitled.county}-{_chinese_month(entitled.month)}.csv"
    saved = tmp_path / "roster.csv"
    await download.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    assert text.startswith("序号,")
    assert f",{entitled.decision.household_id},宋*军," in text
    assert entitled.family.account_no not in text
