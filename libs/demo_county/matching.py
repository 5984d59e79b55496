"""The demo county's registry feeds: what the data exchange sends once casework's recipients are on matching's
watch list — a car, a recently bought flat, a death — so the township has hits to check and casework a death review.

The feeds go through the gateway as the registry partner sends them (CONTRACTS.md §5), one bad row included so the
feed shows a reject. The loader first waits for casework's imports to reach matching over the broker.
"""

from __future__ import annotations

import time
from typing import Any

from libs.demo_county.http import demo_client, partner_token
from libs.demo_county.intake import Staff, fictional_id

FEEDS = "/api/v1/matching/feeds"
SUMMARY = "/api/v1/matching/watch-list/summary"

# The demo households of demo_casework.py (the same fictional numbers).
ZHANG = (fictional_id("1968-04-12", "611"), "张卫东")
CHEN = (fictional_id("1939-12-01", "641"), "陈老汉")
YANG = (fictional_id("1985-06-20", "651"), "杨建军")
STRANGER = (fictional_id("1990-02-02", "771"), "路人甲")


def _csv(header: str, rows: list[str]) -> bytes:
    return (header + "\n" + "".join(row + "\n" for row in rows)).encode()


FEED_BODIES: list[tuple[str, bytes]] = [
    (
        "vehicle",
        _csv(
            "id_number,name,plate,vehicle_type,registered_at,deregistered",
            [
                f"{ZHANG[0]},{ZHANG[1]},晋D·A1234,car,2023-05-18,false",
                f"{STRANGER[0]},{STRANGER[1]},晋D·B5678,car,2022-01-09,false",
                f"{ZHANG[0][:-1]}0,{ZHANG[1]},晋D·C0000,motorcycle,2021-03-01,false",  # a keying error: rejected
            ],
        ),
    ),
    (
        "property",
        _csv(
            "id_number,name,property_id,acquired_at,acquisition,kind",
            [f"{YANG[0]},{YANG[1]},晋(2025)长治市不动产权第0012345号,2025-03-01,purchase,commercial"],
        ),
    ),
    ("death", _csv("id_number,name,event_date", [f"{CHEN[0]},{CHEN[1]},2026-11-10"])),
]


def _wait_for_watch_list(staff: Staff, county: str, households: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = staff.client.get(
            SUMMARY, params={"region_code": county}, headers={"Authorization": f"Bearer {staff.token}"}
        )
        if reply.status_code == 200 and reply.json()["households"] >= households:
            return
        time.sleep(0.5)
    raise RuntimeError("demo county: casework's households did not reach matching's watch list in time")


def load_matching_demo(base_url: str, county: str, passwords: dict[str, str], partner: dict[str, Any]) -> None:
    with demo_client(base_url, timeout=60) as client:
        officer = Staff.sign_in(client, "county.officer", passwords["county.officer"])
        _wait_for_watch_list(officer, county, households=3)
        token = partner_token(client, partner)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
        for source, body in FEED_BODIES:
            reply = client.post(FEEDS, params={"source": source, "as_of": "2026-11-20"}, content=body, headers=auth)
            if reply.status_code != 202:
                raise RuntimeError(f"demo county: the {source} feed answered {reply.status_code}: {reply.text}")
