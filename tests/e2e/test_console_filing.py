"""填写申请 in steps over plain HTTP (issue 19): each step saves the draft through the API, a draft is taken up again,
a refusal about another step's field names that step, and nothing is saved without the form's token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.console_session import CONSOLE, csrf, signed_in
from tests.e2e.journey_payment import APPLICATIONS, Family, cast_for, filed, groundwork, new_family
from tests.e2e.system import WholeSystem, new_county

pytestmark = pytest.mark.timeout(300)


def _applicant(family: Family) -> dict[str, str]:
    head = family.members[0]
    return {
        "program": "dibao",
        "region_code": family.village,
        "channel": "counter",
        "members-0-relation": "head",
        "members-0-name": head.name,
        "members-0-id_number": head.id_number,
        "members-0-labour_capacity": head.labour_capacity,
        "members-0-employment": head.employment,
        "members-0-health": "healthy",
    }


async def _step(browser: httpx.AsyncClient, url: str, fields: dict[str, Any], action: str) -> httpx.Response:
    form = await browser.get(url)
    assert form.status_code == 200, form.text
    return await browser.post(url, data={**fields, "csrf_token": csrf(form), "action": action})


async def _first_step(browser: httpx.AsyncClient, family: Family) -> str:
    """The applicant typed and `下一步`: the draft's id, from where the console sends the browser next."""
    opened = await _step(browser, f"{CONSOLE}/applications/new", _applicant(family), "next")
    assert opened.status_code == 303, opened.text
    location = opened.headers["location"]
    assert location.endswith("/edit?step=1&done=saved"), location
    return location.split("/applications/")[1].split("/")[0]


async def test_a_draft_is_taken_up_again_where_it_was_left(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    await groundwork(whole_system, cast, family, dibao_standard="760.00", publicity_days=3)
    await signed_in(browser, cast.village_assistant)
    draft = await _first_step(browser, family)
    stored = await cast.village_assistant.http.get(f"{APPLICATIONS}/{draft}")
    assert (stored.json()["status"], stored.json()["member_count"]) == ("draft", 1)

    # Another day: the application's page offers to go on, and the first step shows what was typed.
    shown = await browser.get(f"{CONSOLE}/applications/{draft}")
    assert f'href="{CONSOLE}/applications/{draft}/edit?step=0">继续填写</a>' in shown.text
    first = await browser.get(f"{CONSOLE}/applications/{draft}/edit", params={"step": 0})
    assert f'value="{family.members[0].id_number}"' in first.text  # the filer sees the number they typed
    assert 'aria-current="step">第1步 申请事项与申请人' in first.text
    assert f'<a href="{CONSOLE}/applications/new">填写申请</a>' in first.text  # the header still knows who is in

    # The bank step: a bad account number stays beside its field, with the members saved before untouched.
    bank = f"{CONSOLE}/applications/{draft}/edit?step=6"
    refused = await _step(browser, bank, {"bank_code": "ICBC", "account_no": "62-22"}, "next")
    assert refused.status_code == 422
    assert "银行账号应为 8 至 32 位数字" in refused.text
    assert 'value="62-22"' in refused.text
    assert (await cast.village_assistant.http.get(f"{APPLICATIONS}/{draft}")).json()["version"] == 1


async def test_submitting_without_a_bank_account_names_that_step_and_keeps_the_draft(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    await groundwork(whole_system, cast, family, dibao_standard="760.00", publicity_days=3)
    await signed_in(browser, cast.village_assistant)
    draft = await _first_step(browser, family)
    last = f"{CONSOLE}/applications/{draft}/edit?step=7"
    signed = {"truthfulness_commitment": "on", "verification_authorisation": "on", "declared": "no"}
    refused = await _step(browser, last, signed, "submit")
    assert refused.status_code == 422
    assert "草稿已保存" in refused.text
    assert f'href="{CONSOLE}/applications/{draft}/edit?step=6">第7步 银行账户</a>' in refused.text
    assert "checked" in refused.text  # the ticked declarations stay ticked
    app = (await cast.village_assistant.http.get(f"{APPLICATIONS}/{draft}")).json()
    assert (app["status"], app["declarations_signed"]) == ("draft", True)


async def test_steps_refuse_a_stale_form_other_townships_and_submitted_applications(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    _, cast, application = await filed(whole_system)
    draft = application["application_id"]
    await signed_in(browser, cast.village_assistant)

    step = f"{CONSOLE}/applications/{draft}/edit?step=1"
    stale = await browser.post(step, data={"csrf_token": "forged", "action": "next", "members_rows": "3"})
    assert (stale.status_code, "页面已过期" in stale.text) == (403, True)
    assert (await cast.village_assistant.http.get(f"{APPLICATIONS}/{draft}")).json()["version"] == 1

    stranger = (await cast_for(whole_system, new_family(whole_system, new_county()))).village_assistant
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as other:
        await signed_in(other, stranger)
        assert (await other.get(step)).status_code == 403

    submitted = await cast.village_assistant.http.post(f"{APPLICATIONS}/{draft}/submit")
    assert submitted.status_code == 200, submitted.text
    moved = await browser.get(step)
    assert (moved.status_code, moved.headers["location"]) == (303, f"{CONSOLE}/applications/{draft}")
