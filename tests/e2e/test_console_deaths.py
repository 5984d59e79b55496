"""登记死亡 in the console (issue 20): a township officer records a member's death found on a home visit; payment is
held from the month after it, as for a registry death, and the household's death review opens and shows; a wrong
identity number or a day to come is refused beside its field with what was typed kept; the same death again opens
nothing more. Plain HTTP as a browser sends it, through the whole running system."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from libs.contracts.clock import china_today
from tests.e2e.console_session import CONSOLE, csrf, signed_in
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    account_no,
    import_recipient,
    open_county,
    payment_file,
    person,
    previous_month,
    this_month,
    wait_in_ledger,
)
from tests.e2e.system import WholeSystem
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(600)


async def test_a_death_found_on_a_home_visit_holds_payment_and_opens_the_review(
    whole_system: WholeSystem, browser: httpx.AsyncClient
) -> None:
    county = await open_county(whole_system)
    husband, wife = person(county, "1944-02-11", "113", "赵长顺"), person(county, "1947-08-30", "124", "钱桂芝")
    imported = await import_recipient(county, [("head", husband), ("spouse", wife)], [("dibao", "900.00")],
                                      legacy_ref="DB-2019-0107", account=account_no(county, 1))  # fmt: skip
    household = str(imported["household_id"])
    await wait_in_ledger(county, household, {"dibao"})
    await signed_in(browser, county.township)
    file = await browser.get(f"{CONSOLE}/households/{household}")
    here = f"{CONSOLE}/households/{household}/death"
    assert f'<a href="{here}">登记死亡</a>' in file.text
    form = await browser.get(here)
    assert form.status_code == 200
    token = csrf(form)
    died_on = previous_month(this_month()).replace(day=18)
    typed = {"id_number": wife.id_number, "death_date": died_on.isoformat(), "source": "home_visit",
             "note": "入户核查时家属告知", "csrf_token": token}  # fmt: skip

    forged = await browser.post(here, data={**typed, "csrf_token": "forged"})
    assert forged.status_code == 403
    stranger = await browser.post(
        here, data={**typed, "id_number": person(county, "1950-01-01", "135", "孙某").id_number}
    )
    assert stranger.status_code == 422
    assert 'id="id_number-problem"' in stranger.text
    assert "入户核查时家属告知" in stranger.text  # what was typed stays
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    future = await browser.post(here, data={**typed, "death_date": tomorrow})
    assert future.status_code == 422
    assert 'id="death_date-problem"' in future.text
    assert (await payment_file(county, household) or {}).get("holds") == []  # nothing held by a refusal

    recorded = await browser.post(here, data=typed)
    assert recorded.status_code == 303, recorded.text
    assert recorded.headers["location"].endswith("?done=death")
    review = await browser.get(recorded.headers["location"])
    assert "已登记死亡：自死亡次月起暂停发放，并开启本户的死亡复核。" in review.text
    file_now = await wait_until(
        lambda: payment_file(county, household),
        lambda f: bool(f and [h for h in f["holds"] if h["kind"] == "death" and not h["released_at"]]),
        timeout=EVENT_TIMEOUT,
        every=0.5,
    )
    assert file_now is not None
    again = await browser.post(here, data=typed)
    assert again.status_code == 303
    assert again.headers["location"] == recorded.headers["location"].replace("done=death", "done=death_known")
