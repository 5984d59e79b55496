"""One work order through its whole life, as a first check that the pieces fit."""

from __future__ import annotations

from tests.complaints.support import ComplaintsApi, hotline, new_village, township_officer, work_order


async def test_a_work_order_is_logged_assigned_resolved_and_queued_for_its_platform(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    body = work_order(village)
    created = await api.post_work_order(body, client)
    assert created["status"] == "received"
    again = await api.post("/api/v1/hotline/work-orders", client, body)
    assert again.status_code == 200
    assert again.json() == created
    handler = township_officer(village)
    item = await api.item(created["complaint_id"], handler)
    assert item["assigned_unit"] == village[:9]
    assert [h["status"] for h in item["history"]] == ["received", "assigned"]
    done = await api.investigate_and_resolve(created["complaint_id"], handler)
    assert done["status"] == "resolved"
    reply = await api.get(f"/api/v1/hotline/work-orders/{body['work_order_no']}", client)
    assert reply.status_code == 200, reply.text
    assert reply.json()["result"]["finding"] == "unsubstantiated"
    deliveries = await api.get("/api/v1/hotline/deliveries", client, {"work_order_no": body["work_order_no"]})
    assert deliveries.status_code == 200, deliveries.text
    assert [d["state"] for d in deliveries.json()["items"]] == ["pending"]
