from __future__ import annotations

from tests.matching.support import Broker, MatchingApi, csv_feed, fresh_id, member, recipient_household


async def test_vehicle_hit(api: MatchingApi, broker: Broker) -> None:
    person = fresh_id()
    household = await recipient_household(broker, [member(person)])
    feed = await api.load(
        "vehicle",
        csv_feed(
            "id_number,name,plate,vehicle_type,registered_at,deregistered",
            [f"{person},张三丰,晋D12345,car,2020-01-01,false", "bad,x,y,car,2020-01-01,false"],
        ),
    )
    assert feed["status"] == "done", feed
    assert feed["rows_rejected"] == 1
    assert feed["hits_raised"] == 1
    del household
