"""The training clock (issue 21) through the gateway: an approval completed through the API alone. The administrator
moves the whole system's business date past the village posting's last day, casework's worker ends the publicity on
its own job, the county confirms on that date, and the clock goes back; no table is edited (the posting's dates stay
as the proposal set them)."""

from __future__ import annotations

import datetime as dt

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.period import Period
from tests.e2e.journey_payment import (
    JOB_TIMEOUT,
    apply,
    approve,
    cast_for,
    get_case,
    groundwork,
    investigate,
    new_family,
    publicise,
    verify,
)
from tests.e2e.system import WholeSystem, new_county
from tests.e2e.training_clock import business_date, days_ahead, one_clock_mover, read_clock
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(600)  # the whole system's start-up when this file runs first


async def test_publicity_ends_and_the_county_approves_on_the_training_clock(whole_system: WholeSystem) -> None:
    system = whole_system
    family = new_family(system, new_county())
    cast = await cast_for(system, family)
    await groundwork(system, cast, family, dibao_standard="760.00", publicity_days=1)
    application = await apply(system, cast, family)
    await verify(cast, family, application)
    admin = await system.admin()
    start = await read_clock(admin)
    today = business_date(start)
    await investigate(cast, family, application.case_id, today)
    publicity = await publicise(cast, family, application.case_id)
    assert publicity.ends_on == publicity.proposed_on + dt.timedelta(days=1)

    days = (publicity.ends_on - today).days + 1
    async with one_clock_mover(), days_ahead(admin, days, "培训：公示期满后审核确认") as clock:
        ahead = business_date(clock)
        assert (clock["offset_days"], ahead) == (start["offset_days"] + days, today + dt.timedelta(days=days))
        assert {s["business_date"] for s in clock["services"].values()} == {ahead.isoformat()}, clock["services"]
        # Casework's worker, on its own job and clock, ends the publicity: the case waits for the county.
        case = await wait_until(
            lambda: get_case(cast.county_officer, application.case_id),
            lambda c: c["status"] != "publicity",
            timeout=JOB_TIMEOUT,
            every=0.5,
        )
        assert case["status"] == "confirmation", case["status"]
        [ended] = [h for h in case["history"] if h["action"] == "publicity_ended"]
        assert ended["actor"] == "publicity"
        assert dt.datetime.fromisoformat(ended["at"]).astimezone(CHINA_TZ).date() == ahead
        # The posting's dates are the proposal's own: nothing moved them back.
        assert case["publicity_ends_on"] == publicity.ends_on.isoformat()
        # The county confirms on the business date, and the household is paid from the month after it.
        decision = await approve(cast, application)
        assert (decision.outcome, decision.decided_on) == ("approved", ahead)
        assert decision.effective_month == str(Period.of(ahead) + 1)

    # Back where it was, everywhere, and both changes recorded as the administrator's acts.
    back = await read_clock(admin)
    assert back["offset_days"] == start["offset_days"]
    assert all(s is not None and s["offset_days"] == start["offset_days"] for s in back["services"].values()), back
    acts = await admin.http.get("/api/v1/admin/audit/actions", params={"target_id": "training-clock", "limit": 2})
    assert acts.status_code == 200, acts.text
    assert [a["action"] for a in acts.json()["items"]] == ["clock_rewound", "clock_moved"]
