"""Issue 8, scenario E: the provincial low-income monitoring system warns about a recipient, and casework reviews
that household, once, for the warning's reason.

The real path, every service its own processes behind the gateway: the county officer imports a household the county
already pays (casework publishes `household-changed` and `entitlement-changed`; intake keeps from them who is a
recipient now); the province's client posts `POST /api/v1/province/warnings` (CONTRACTS.md §4), which the gateway
routes to intake; intake finds the person in a recipient household, answers with the case id it allocates and
publishes `review-requested`; casework opens a triggered review under that id. The same warning posted again is
answered the same and opens nothing; the id reused for another warning is refused. A warning about someone who
receives nothing becomes an active-discovery lead for the county instead, and no review.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.clock import CHINA_TZ
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    account_no,
    import_recipient,
    open_county,
    person,
    published,
)
from tests.e2e.system import Actor, WholeSystem
from tests.support.waiting import wait_until

WARNINGS = "/api/v1/province/warnings"
CASES = "/api/v1/casework/cases"

# Intake's projection of who receives what: no API shows it, so the journey reads it (and only reads it) to know when
# casework's events have reached intake, before the province asks about the household.
_PROJECTED = text(
    "SELECT count(*) FROM intake.recipient_programs WHERE household_id = :household_id AND status = 'active'"
)


async def projected_in_intake(engine: AsyncEngine, household_id: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(_PROJECTED, {"household_id": household_id})).scalar_one())


async def post_warning(province: Actor, body: dict[str, Any]) -> Any:
    return await province.http.post(WARNINGS, json=body)


async def case_or_none(county: County, case_id: str) -> dict[str, Any] | None:
    reply = await county.officer.http.get(f"{CASES}/{case_id}")
    if reply.status_code == 404:
        return None
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def warning_cases(county: County, household_id: str) -> list[dict[str, Any]]:
    params = {"region_code": county.code, "household_id": household_id, "trigger": "province_warning"}
    reply = await county.officer.http.get(CASES, params=params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def province_leads(county: County) -> list[dict[str, Any]]:
    params = {"region_code": county.code, "source": "province_warning"}
    reply = await county.officer.http.get("/api/v1/intake/leads", params=params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def test_a_provincial_warning_about_a_recipient_opens_one_review(
    whole_system: WholeSystem, engine: AsyncEngine
) -> None:
    county = await open_county(whole_system)
    province = await whole_system.partner("province", "14")
    head, wife = person(county, "1971-05-17", "801", "孙立新"), person(county, "1973-11-02", "812", "周红霞")
    imported = await import_recipient(
        county,
        [("head", head), ("spouse", wife)],
        [("dibao", "1100.00")],
        legacy_ref="DB-2020-0311",
        account=account_no(county, 1),
    )
    household = imported["household_id"]
    await wait_until(lambda: projected_in_intake(engine, household), lambda n: n == 1, timeout=EVENT_TIMEOUT, every=0.5)

    # The warning names the wife, a member: the review is of her household.
    warning = {
        "warning_id": f"SX-DBJC-{county.code}-{uuid.uuid4().hex[:8]}",
        "raised_at": datetime.now(CHINA_TZ).replace(microsecond=0).isoformat(),
        "region_code": county.village,
        "kind": "serious_illness",
        "person": {"id_number": wife.id_number, "name": wife.name},
        "detail": "省大救助平台监测：成员确诊重大疾病，医疗支出骤增",
    }
    reply = await post_warning(province, warning)
    assert reply.status_code == 202, reply.text
    answer = reply.json()
    assert (answer["warning_id"], answer["outcome"], answer["household_id"], answer["lead_id"]) == (
        warning["warning_id"],
        "review",
        household,
        None,
    )
    case_id = answer["case_id"]

    # Over the broker, casework opens the review under the id the province was given.
    review = await wait_until(lambda: case_or_none(county, case_id), bool, timeout=EVENT_TIMEOUT, every=0.5)
    assert review is not None
    assert (review["trigger"], review["kind"], review["status"], review["household_id"]) == (
        "province_warning",
        "triggered",
        "investigating",
        household,
    )
    assert review["region_code"] == county.village
    assert "serious_illness" in review["trigger_summary"]
    assert warning["detail"] in review["trigger_summary"]
    assert [h["action"] for h in review["history"]] == ["opened"]
    assert len(review["members"]) == 2
    # The township sees it on its work list too: the review is theirs to investigate.
    township_list = await county.township.http.get(CASES, params={"household_id": household})
    assert township_list.status_code == 200, township_list.text
    assert [c["case_id"] for c in township_list.json()["items"]] == [case_id]

    # The province's system resends the warning (a retry): the same answer, and nothing new is published.
    again = await post_warning(province, warning)
    assert again.status_code == 200, again.text
    assert again.json() == answer
    # The same id for a different warning is refused, and changes nothing.
    reused = await post_warning(province, warning | {"kind": "income_drop", "detail": "收入骤降"})
    assert reused.status_code == 409, reused.text
    assert reused.json()["code"] == "warning_id_reused"

    # A warning about someone who receives nothing: an active-discovery lead for the county, not a review.
    stranger = person(county, "1988-07-21", "823", "吴小军")
    lead_warning = {
        **warning,
        "warning_id": f"SX-DBJC-{county.code}-{uuid.uuid4().hex[:8]}",
        "region_code": county.code,
        "kind": "unemployment",
        "person": {"id_number": stranger.id_number, "name": stranger.name},
        "detail": "省大救助平台监测：失业登记，家庭无其他收入",
    }
    reply = await post_warning(province, lead_warning)
    assert reply.status_code == 202, reply.text
    lead_answer = reply.json()
    assert (lead_answer["outcome"], lead_answer["case_id"], lead_answer["household_id"]) == ("lead", None, None)
    [lead] = await province_leads(county)
    assert (lead["lead_id"], lead["source_ref"], lead["kind"]) == (
        lead_answer["lead_id"],
        lead_warning["warning_id"],
        "unemployment",
    )

    # Once: intake published one review request for the household however often the warning came, casework has
    # handled it (the review exists), and the household has that one review.
    assert await published(engine, "intake", "review-requested", household) == 1
    [only] = await warning_cases(county, household)
    assert (only["case_id"], only["status"]) == (case_id, "investigating")
