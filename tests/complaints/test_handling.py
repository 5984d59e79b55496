"""Handling an item (DOMAIN.md §6): real-name items close only with written feedback, findings about facts need an
investigation, an upheld item about a household asks casework for a review (CONTRACTS.md §6) and one about staff goes
to supervision, help requests become leads (§8), the county routes items, and a complainant's contact is revealed only
on the record (§11)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from services.complaints.register.models import ContactRead
from tests.complaints.support import (
    COMPLAINTS,
    ComplaintsApi,
    county_officer,
    fresh_id,
    hotline,
    letter,
    new_county,
    new_village,
    township_officer,
    work_order,
)

FEEDBACK = {"text": "书面告知核查结果", "method": "letter"}
NOTE = {"text": "入户核查，查看车辆登记"}


async def noted(api: ComplaintsApi, complaint_id: str, who: Any) -> None:
    reply = await api.act(complaint_id, "notes", who, NOTE)
    assert reply.status_code == 201, reply.text


async def events_of(api: ComplaintsApi, event_type: str, complaint_id: str) -> list[Any]:
    return [e for e in await api.outbox_events(event_type) if e.data.get("complaint_id") == complaint_id]


async def test_a_real_name_item_is_not_closed_without_written_feedback(api: ComplaintsApi) -> None:
    village = new_village()
    created = await api.post_work_order(work_order(village), hotline(village[:6]))
    cid, officer = created["complaint_id"], township_officer(village)
    await noted(api, cid, officer)
    before = await api.item(cid, officer)
    body = {"finding": "substantiated", "reply": "经核查属实。", "issue": "wrongful_inclusion"}
    refused = await api.act(cid, "resolve", officer, body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "feedback_required"
    # Nothing of the refused close remains: status, history, issue, event and the platform's delivery.
    assert await api.item(cid, officer) == before
    assert before["status"] == "investigating"
    assert before["issue"] is None
    assert await events_of(api, "complaint-substantiated", cid) == []
    assert (await api.get(f"{COMPLAINTS}/{cid}/deliveries", officer)).json() == []

    done = await api.act(cid, "resolve", officer, {**body, "feedback": FEEDBACK})
    assert done.status_code == 200, done.text
    item = done.json()
    assert (item["status"], item["finding"], item["issue"]) == ("resolved", "substantiated", "wrongful_inclusion")
    assert item["feedback"]["text"] == FEEDBACK["text"]
    assert item["feedback"]["method"] == "letter"
    assert item["feedback"]["by"] == officer.subject
    assert len((await api.get(f"{COMPLAINTS}/{cid}/deliveries", officer)).json()) == 1


async def test_feedback_given_first_lets_the_item_close(api: ComplaintsApi) -> None:
    village = new_village()
    cid = (await api.log_item(letter(village)))["complaint_id"]
    officer = township_officer(village)
    await noted(api, cid, officer)
    given = await api.act(cid, "feedback", officer, {**FEEDBACK, "method": "in_person"})
    assert given.status_code == 200, given.text
    assert given.json()["status"] == "investigating"
    done = await api.act(cid, "resolve", officer, {"finding": "unsubstantiated", "reply": "不属实。"})
    assert done.status_code == 200, done.text
    assert done.json()["feedback"]["method"] == "in_person"


async def test_an_anonymous_item_closes_without_feedback_and_takes_none(api: ComplaintsApi) -> None:
    village = new_village()
    cid = (await api.log_item(letter(village, caller={"anonymous": True})))["complaint_id"]
    officer = township_officer(village)
    await noted(api, cid, officer)
    refused = await api.act(cid, "feedback", officer, FEEDBACK)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "anonymous_item"
    item = await api.item(cid, officer)
    assert item["caller"] is None
    assert item["feedback"] is None
    assert item["feedback_required"] is False
    done = await api.act(cid, "resolve", officer, {"finding": "unsubstantiated", "reply": "不属实。"})
    assert done.status_code == 200, done.text
    assert done.json()["feedback"] is None


async def test_a_finding_about_facts_needs_an_investigation_note_first(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village)))["complaint_id"]
    for finding in ("substantiated", "unsubstantiated", "partly_substantiated"):
        body = {"finding": finding, "reply": "答复", "feedback": FEEDBACK}
        refused = await api.act(cid, "resolve", officer, body)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "not_investigated"
    item = await api.item(cid, officer)
    assert (item["status"], item["feedback"]) == ("assigned", None)
    question = await api.log_item(letter(village, category="consultation", subject=None))
    answered = await api.act(
        question["complaint_id"],
        "resolve",
        officer,
        {"finding": "not_applicable", "reply": "已解答政策。", "feedback": FEEDBACK},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["finding"] == "not_applicable"


async def test_an_upheld_item_about_a_person_asks_casework_for_one_review(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    for finding in ("substantiated", "partly_substantiated"):
        body = letter(village)
        cid = (await api.log_item(body))["complaint_id"]
        await api.investigate_and_resolve(cid, officer, finding=finding)
        [event] = await events_of(api, "complaint-substantiated", cid)
        assert event.subject == f"complaint/{cid}"
        assert event.data["person"]["id_number"] == body["subject"]["id_number"]
        assert event.data["finding"] == finding
        assert event.data["region_code"] == village
    cleared = (await api.log_item(letter(village)))["complaint_id"]
    await api.investigate_and_resolve(cleared, officer, finding="unsubstantiated")
    assert await events_of(api, "complaint-substantiated", cleared) == []


async def test_an_upheld_item_about_a_household_names_the_household(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village)))["complaint_id"]
    household = f"hh-{uuid.uuid4().hex[:12]}"
    changed = await api.patch(
        f"{COMPLAINTS}/{cid}", officer, {"subject": {"kind": "household", "household_id": household}}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["subject"]["household_id"] == household
    await api.investigate_and_resolve(cid, officer, finding="substantiated")
    [event] = await events_of(api, "complaint-substantiated", cid)
    assert event.subject == f"household/{household}"
    assert event.data["household_id"] == household


async def test_an_unidentified_subject_is_not_upheld(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village, subject={"kind": "person", "name": "钱七"})))["complaint_id"]
    await noted(api, cid, officer)
    before = await api.item(cid, officer)
    body = {"finding": "substantiated", "reply": "属实。", "feedback": FEEDBACK}
    refused = await api.act(cid, "resolve", officer, body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "subject_unidentified"
    # The feedback in the refused body is not kept either.
    assert await api.item(cid, officer) == before
    assert await events_of(api, "complaint-substantiated", cid) == []


async def test_an_upheld_item_about_staff_goes_to_supervision_not_to_casework(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    staff_subject = {"kind": "staff", "name": "孙八", "id_number": fresh_id()}
    cid = (await api.log_item(letter(village, subject=staff_subject, issue="staff_misconduct")))["complaint_id"]
    done = await api.investigate_and_resolve(cid, officer, finding="substantiated")
    assert done["supervision_referred"] is True
    assert "移送纪检监察" in done["history"][-1]["note"]
    assert await events_of(api, "complaint-substantiated", cid) == []


async def test_a_help_request_becomes_one_lead_at_receipt(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    named = work_order(village, category="help")
    about = (await api.post_work_order(named, client))["complaint_id"]
    [event] = await events_of(api, "help-requested", about)
    assert event.subject == f"complaint/{about}"
    assert event.data["person"]["name"] == named["subject"]["name"]
    assert event.data["person"]["id_number"] == named["subject"]["id_number"]

    caller = work_order(village, category="help", subject=None)
    own = (await api.post_work_order(caller, client))["complaint_id"]
    [event] = await events_of(api, "help-requested", own)
    assert (event.data["person"]["name"], event.data["person"]["phone"]) == ("李四", caller["caller"]["phone"])

    hidden = work_order(village, category="help", subject=None, caller={"anonymous": True, "phone": "13900000000"})
    anonymous = (await api.post_work_order(hidden, client))["complaint_id"]
    [event] = await events_of(api, "help-requested", anonymous)
    # An anonymous caller's name and phone never leave the service (DOMAIN.md §6, §11).
    assert event.data["person"]["name"] == "匿名求助人"
    assert event.data["person"].get("phone") is None
    assert "13900000000" not in str(event.data)

    logged = (await api.log_item(letter(village, category="help")))["complaint_id"]
    assert len(await events_of(api, "help-requested", logged)) == 1


async def test_a_returned_item_is_closed_with_its_reason(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.post_work_order(work_order(village), hotline(village[:6])))["complaint_id"]
    returned = await api.act(cid, "return", officer, {"reason": "属于人社部门职责", "feedback": FEEDBACK})
    assert returned.status_code == 200, returned.text
    item = returned.json()
    assert (item["status"], item["finding"], item["reply"]) == ("returned", "not_applicable", "属于人社部门职责")
    assert "属于人社部门职责" in item["history"][-1]["note"]
    item = await api.item(cid, officer)
    county = county_officer(village)
    attempts = [
        ("notes", officer, NOTE),
        ("resolve", officer, {"finding": "not_applicable", "reply": "答复", "feedback": FEEDBACK}),
        ("return", officer, {"reason": "再次退回"}),
        ("assignment", county, {"unit": village[:9]}),
    ]
    for action, who, body in attempts:
        refused = await api.act(cid, action, who, body)
        assert refused.status_code == 409, (action, refused.text)
        assert refused.json()["code"] == "complaint_closed"
    assert await api.item(cid, officer) == item


async def test_the_county_routes_an_item_to_another_township(api: ComplaintsApi) -> None:
    county = new_county()
    village, other = f"{county}101001", f"{county}102001"
    old, new = township_officer(village), township_officer(other)
    cid = (await api.log_item(letter(village)))["complaint_id"]
    refused = await api.act(cid, "assignment", old, {"unit": other[:9]})
    assert refused.status_code == 403, refused.text
    outside = await api.act(cid, "assignment", county_officer(county), {"unit": f"{new_county()}101"})
    assert outside.status_code == 403, outside.text
    assert (await api.item(cid, old))["assigned_unit"] == village[:9]

    moved = await api.act(cid, "assignment", county_officer(county), {"unit": other[:9], "note": "涉及本村干部"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["assigned_unit"] == other[:9]
    assert moved.json()["history"][-1]["status"] == "assigned"
    assert "涉及本村干部" in moved.json()["history"][-1]["note"]
    mine = await api.act(cid, "notes", old, NOTE)
    assert mine.status_code == 403, mine.text
    assert mine.json()["code"] == "not_assigned_to_you"
    await noted(api, cid, new)
    assert (await api.item(cid, new))["status"] == "investigating"


async def test_another_township_neither_reads_nor_acts_and_unknown_items_are_404(api: ComplaintsApi) -> None:
    county = new_county()
    village = f"{county}101001"
    stranger = township_officer(f"{county}102001")
    cid = (await api.log_item(letter(village)))["complaint_id"]
    assert (await api.get(f"{COMPLAINTS}/{cid}", stranger)).status_code == 403
    for action, body in (("notes", NOTE), ("return", {"reason": "不属于"}), ("contact/reveal", {"reason": "回电"})):
        assert (await api.act(cid, action, stranger, body)).status_code == 403, action
    assert (await api.patch(f"{COMPLAINTS}/{cid}", stranger, {"issue": "other"})).status_code == 403
    missing = await api.get(f"{COMPLAINTS}/{uuid.uuid4()}", township_officer(village))
    assert missing.status_code == 404, missing.text
    assert missing.json()["code"] == "complaint_not_found"
    assert (await api.act(str(uuid.uuid4()), "notes", township_officer(village), NOTE)).status_code == 404
    assert (await api.item(cid, township_officer(village)))["status"] == "assigned"


async def test_bad_input_changes_nothing(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village)))["complaint_id"]
    await noted(api, cid, officer)
    before = await api.item(cid, officer)
    attempts = [
        ("return", {}),
        ("return", {"reason": "  "}),
        ("resolve", {"finding": "proven", "reply": "答复", "feedback": FEEDBACK}),
        ("resolve", {"finding": "unsubstantiated", "reply": "", "feedback": FEEDBACK}),
        ("resolve", {"finding": "unsubstantiated", "reply": "答复", "feedback": FEEDBACK, "extra": 1}),
        ("notes", {"text": "核查", "by": "someone else"}),
        ("feedback", {"text": "告知", "method": "carrier_pigeon"}),
        ("assignment", {"unit": "12"}),
    ]
    for action, body in attempts:
        who = county_officer(village) if action == "assignment" else officer
        refused = await api.act(cid, action, who, body)
        assert refused.status_code == 422, (action, body, refused.text)
    patched = await api.patch(f"{COMPLAINTS}/{cid}", officer, {"subject": {"kind": "staff", "household_id": "h1"}})
    assert patched.status_code == 422, patched.text
    assert await api.item(cid, officer) == before


async def test_a_complainants_contact_is_revealed_on_the_record_and_an_informants_never(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    body = letter(village)
    cid = (await api.log_item(body))["complaint_id"]
    item = await api.item(cid, officer)
    assert item["caller"]["phone"] != body["caller"]["phone"]
    assert item["caller"]["phone"].endswith(body["caller"]["phone"][-4:])
    shown = await api.act(cid, "contact/reveal", officer, {"reason": "电话反馈核查结果"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["phone"] == body["caller"]["phone"]
    assert shown.headers["x-jiuzhu-audit"] == f"informant.revealed complaint/{cid}"
    anonymous = (await api.log_item(letter(village, caller={"anonymous": True, "phone": "13900000001"})))[
        "complaint_id"
    ]
    refused = await api.act(anonymous, "contact/reveal", officer, {"reason": "想知道是谁"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "anonymous_item"
    async with api.db.sessions() as session:
        reads = (await session.execute(select(ContactRead).where(ContactRead.complaint_id == cid))).scalars().all()
        hidden = await session.scalar(select(func.count()).where(ContactRead.complaint_id == anonymous))
    assert [(r.by, r.reason) for r in reads] == [(officer.subject, "电话反馈核查结果")]
    assert hidden == 0


async def test_a_complaint_ends_in_a_finding_about_facts_or_is_returned(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    cid = (await api.log_item(letter(village)))["complaint_id"]
    await noted(api, cid, officer)
    before = await api.item(cid, officer)
    answer = {"finding": "not_applicable", "reply": "已答复", "feedback": FEEDBACK}
    refused = await api.act(cid, "resolve", officer, answer)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "finding_needs_facts"
    assert refused.json()["errors"][0]["loc"] == ["body", "finding"]
    assert await api.item(cid, officer) == before
    returned = await api.act(cid, "return", officer, {"reason": "属于住建部门职责", "feedback": FEEDBACK})
    assert returned.json()["status"] == "returned"


async def test_a_township_the_item_was_moved_from_no_longer_sees_who_complained(api: ComplaintsApi) -> None:
    village = new_village()
    first, other = township_officer(village), township_officer(new_village(village[:6]))
    cid = (await api.log_item(letter(village)))["complaint_id"]
    moved = await api.act(cid, "assignment", county_officer(village), {"unit": other.region_prefix, "note": "回避"})
    assert moved.status_code == 200, moved.text
    refused = await api.act(cid, "contact/reveal", first, {"reason": "电话反馈"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_assigned_to_you"
    shown = await api.act(cid, "contact/reveal", other, {"reason": "电话反馈"})
    assert shown.status_code == 200, shown.text
    async with api.db.sessions() as session:
        reads = (await session.execute(select(ContactRead).where(ContactRead.complaint_id == cid))).scalars().all()
    assert [r.by for r in reads] == [other.subject]
