"""A real-name item is never closed without written feedback to the complainant (DOMAIN.md §6, seed 000 §5(二)), on
any path that closes it: resolving (see test_handling.py) and returning as not ours. A refused close changes nothing:
not the item, its history, nor the result pushed to the hotline platform."""

from __future__ import annotations

from typing import Any

import pytest

from tests.complaints.support import (
    COMPLAINTS,
    ComplaintsApi,
    hotline,
    letter,
    new_village,
    township_officer,
    work_order,
)

FEEDBACK = {"text": "书面告知：该事项属人社部门职责，已转交", "method": "letter"}
REASON = "属于人社部门职责"


async def real_name_item(api: ComplaintsApi, village: str, source: str) -> str:
    if source == "hotline":
        created = await api.post_work_order(work_order(village), hotline(village[:6]))
    else:
        created = await api.log_item(letter(village))
    return str(created["complaint_id"])


@pytest.mark.parametrize("source", ["hotline", "letter"])
async def test_a_real_name_item_is_not_returned_without_written_feedback(api: ComplaintsApi, source: str) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = await real_name_item(api, village, source)
    before = await api.item(cid, officer)

    refused = await api.act(cid, "return", officer, {"reason": REASON})

    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "feedback_required"
    assert refused.json()["errors"][0]["loc"] == ["body", "feedback"]
    assert await api.item(cid, officer) == before
    assert (await api.get(f"{COMPLAINTS}/{cid}/deliveries", officer)).json() == []

    done = await api.act(cid, "return", officer, {"reason": REASON, "feedback": FEEDBACK})
    assert done.status_code == 200, done.text
    item = done.json()
    assert (item["status"], item["reply"]) == ("returned", REASON)
    assert (item["feedback"]["text"], item["feedback"]["method"], item["feedback"]["by"]) == (
        FEEDBACK["text"],
        "letter",
        officer.subject,
    )
    pushed = (await api.get(f"{COMPLAINTS}/{cid}/deliveries", officer)).json()
    assert len(pushed) == (1 if source == "hotline" else 0)


async def test_feedback_given_first_lets_a_real_name_item_be_returned(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = await real_name_item(api, village, "letter")
    given = await api.act(cid, "feedback", officer, {**FEEDBACK, "method": "sms"})
    assert given.status_code == 200, given.text

    done = await api.act(cid, "return", officer, {"reason": REASON})

    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["feedback"]["method"]) == ("returned", "sms")


async def test_an_anonymous_item_is_returned_without_feedback_and_takes_none(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village, caller={"anonymous": True})))["complaint_id"]
    before = await api.item(cid, officer)

    refused = await api.act(cid, "return", officer, {"reason": REASON, "feedback": FEEDBACK})
    assert (refused.status_code, refused.json()["code"]) == (409, "anonymous_item")
    assert await api.item(cid, officer) == before

    done = await api.act(cid, "return", officer, {"reason": REASON})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["feedback"]) == ("returned", None)


@pytest.mark.parametrize(
    "feedback",
    [{"text": "", "method": "letter"}, {"text": "告知", "method": "carrier_pigeon"}, {"text": "告知"}, "告知"],
)
async def test_bad_feedback_on_return_is_422_and_changes_nothing(api: ComplaintsApi, feedback: Any) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = await real_name_item(api, village, "letter")
    before = await api.item(cid, officer)
    refused = await api.act(cid, "return", officer, {"reason": REASON, "feedback": feedback})
    assert (refused.status_code, refused.json()["code"]) == (422, "validation_failed")
    assert await api.item(cid, officer) == before
