"""Work counts (issue 19): intake and casework count their work lists in the caller's jurisdiction, by status and
overdue, so 我的待办 says how much there is even when a list shows one page."""

from __future__ import annotations

from tests.e2e.journey_payment import APPLICATIONS, apply, filed
from tests.e2e.system import WholeSystem

APPLICATION_COUNTS = f"{APPLICATIONS}/counts"
CASE_COUNTS = "/api/v1/casework/cases/counts"


async def test_counts_follow_the_work_and_stay_inside_the_jurisdiction(whole_system: WholeSystem) -> None:
    family, cast, _ = await filed(whole_system)
    counts = (await cast.township_officer.http.get(APPLICATION_COUNTS)).json()
    assert counts == {"by_status": {"draft": 1}, "overdue": 0}
    await apply(whole_system, cast, family)  # submitted, accepted, and casework's case opened
    counts = (await cast.county_officer.http.get(APPLICATION_COUNTS)).json()
    assert counts == {"by_status": {"accepted": 1}, "overdue": 0}
    cases = (await cast.township_officer.http.get(CASE_COUNTS)).json()
    assert sum(cases["by_status"].values()) == 1
    assert cases["overdue"] == 0
    # Another township of the county sees none of it, and cannot ask for this one.
    other = await whole_system.staff("township_officer", family.county + "002", "另一乡镇 经办人")
    assert (await other.http.get(APPLICATION_COUNTS)).json() == {"by_status": {}, "overdue": 0}
    assert (await other.http.get(CASE_COUNTS)).json() == {"by_status": {}, "overdue": 0}
    for path in (APPLICATION_COUNTS, CASE_COUNTS):
        refused = await other.http.get(path, params={"region_code": family.township})
        assert refused.status_code == 403
        assert refused.json()["code"] == "outside_jurisdiction"
        bad = await other.http.get(path, params={"region_code": "14x"})
        assert bad.status_code in {403, 422}
