"""Rows of a registry feed (CONTRACTS.md §5): each bad row rejected by number and reason while the rest loads, identity
numbers in every accepted form keyed alike and never stored (DOMAIN.md §11), CSV and NDJSON as providers write them,
and feeds spanning many blocks."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from libs.contracts.id_number import check_character
from libs.kernel.auth import Principal
from tests.matching.feed_support import (
    FEEDS,
    VEHICLE,
    all_rejects,
    chunks,
    feeds_of,
    id_ending_in_x,
    legacy_of,
    new_feeder,
    records,
    upload_stream,
    vehicle,
)
from tests.matching.support import MatchingApi, csv_feed, fresh_id


def _key(api: MatchingApi, id_number: str) -> uuid.UUID:
    assert api.ctx is not None
    return api.ctx.keys.of(id_number)


@dataclass
class Loaded:
    client: Principal
    view: dict[str, Any]
    rows: list[dict[str, Any]]


async def _loaded(api: MatchingApi, source: str, body: str, **kwargs: Any) -> Loaded:
    """Upload as a client of its own: the feed's view once the worker is done with it, and its records as loaded.

    Records are read before the worker runs: a newer feed of the source (another test's, at a later `as_of`) may
    supersede this one as soon as it is matched, and its records are then dropped (DOMAIN.md §5)."""
    client = new_feeder()
    reply = await api.upload(source, body, principal=client, **kwargs)
    assert reply.status_code == 202, reply.text
    (feed,) = await feeds_of(api, client)
    rows = await records(api, feed.feed_no)
    await api.run_worker()
    view = (await api.get(f"{FEEDS}/{feed.id}", client)).json()
    assert view["status"] == "done", view
    return Loaded(client, view, rows)


async def test_each_bad_row_is_named_and_the_good_rows_load(api: MatchingApi) -> None:
    good = [fresh_id(), fresh_id(), fresh_id()]
    base = fresh_id()
    month_13 = base[:10] + "13" + base[12:17]
    lines = [
        vehicle(good[0], name="张三丰"),
        vehicle(base[:17] + ("0" if base[17] != "0" else "1")),  # wrong check character
        vehicle(month_13 + check_character(month_13)),  # right check, no such birth date
        vehicle(base[:17]),  # 17 digits
        vehicle("ABCDEFGHIJKLMNOPQR"),
        vehicle(good[1], name="欧阳娜娜"),
        vehicle(fresh_id(), name=" "),
        vehicle(fresh_id(), registered_at=""),
        vehicle(fresh_id(), registered_at="2021-02-29"),
        vehicle(fresh_id(), registered_at="0000-01-01"),
        vehicle(fresh_id(), vehicle_type="spaceship"),
        vehicle(fresh_id(), deregistered="yes"),
        vehicle(fresh_id()) + ",extra",
        f"{fresh_id()},张三,晋D1,car,2020-01-01",
        "",
        vehicle(good[2], name="李"),
    ]
    loaded = await _loaded(api, "vehicle", csv_feed(VEHICLE, lines))
    view, rows = loaded.view, loaded.rows
    expected = [
        (2, "invalid_id_number"),
        (3, "invalid_id_number"),
        (4, "invalid_id_number"),
        (5, "invalid_id_number"),
        (7, "missing_name"),
        (8, "missing_registered_at"),
        (9, "invalid_registered_at"),
        (10, "invalid_registered_at"),
        (11, "invalid_vehicle_type"),
        (12, "invalid_deregistered"),
        (13, "malformed_row"),
        (14, "malformed_row"),
        (15, "empty_row"),
    ]
    assert (view["rows_total"], view["rows_loaded"], view["rows_rejected"]) == (16, 3, 13)
    assert [(r["row"], r["reason"]) for r in view["rejects"]] == expected
    assert view["rejects_next_cursor"] is None
    for limit in (1, 4, 13, 100):
        assert await all_rejects(api, view["feed_id"], loaded.client, limit) == expected

    assert [(r["row_no"], r["person"], r["name_masked"]) for r in rows] == [
        (1, _key(api, good[0]), "张*丰"),
        (6, _key(api, good[1]), "欧**娜"),
        (16, _key(api, good[2]), "*"),
    ]
    assert all(isinstance(r["person"], uuid.UUID) for r in rows)
    assert {(r["plate"], r["vehicle_type"], r["registered_at"], r["deregistered"]) for r in rows} == {
        ("晋D12345", "car", dt.date(2020, 1, 1), False)
    }
    # No identity number in clear anywhere in the records, in any form.
    stored = json.dumps(rows, default=str)
    for number in good:
        assert number[:17] not in stored
        assert legacy_of(number) not in stored


async def test_money_has_at_most_two_decimals(api: MatchingApi) -> None:
    people = [fresh_id() for _ in range(4)]
    lines = [
        f"{people[0]},王五,normal,1234.56",
        f"{people[1]},王五,normal,1234.567",
        f"{people[2]},王五,TERMINATED,",
        f"{people[3]},王五,paused,10",
    ]
    loaded = await _loaded(api, "pension", csv_feed("id_number,name,status,monthly_amount", lines))
    assert [(r["row"], r["reason"]) for r in loaded.view["rejects"]] == [
        (2, "invalid_monthly_amount"),
        (4, "invalid_status"),
    ]
    assert [(r["row_no"], r["status"], r["monthly_amount_fen"]) for r in loaded.rows] == [
        (1, "normal", 123456),
        (3, "terminated", None),
    ]


async def test_every_accepted_form_of_a_number_is_the_same_person(api: MatchingApi) -> None:
    canonical = id_ending_in_x()
    spaced = f" {canonical[:6]} {canonical[6:14]} {canonical[14:].lower()}\t"
    forms = [canonical, canonical.lower(), spaced, legacy_of(canonical), canonical[:6] + "\u3000" + canonical[6:]]
    loaded = await _loaded(api, "vehicle", csv_feed(VEHICLE, [vehicle(form) for form in forms]))
    assert (loaded.view["rows_loaded"], loaded.view["rows_rejected"]) == (5, 0)
    assert {r["person"] for r in loaded.rows} == {_key(api, canonical)}


async def test_csv_as_spreadsheets_export_it(api: MatchingApi) -> None:
    people = [fresh_id() for _ in range(3)]
    header = "\ufeffRemark,ID_Number,name,plate,vehicle_type,registered_at,deregistered,Colour"
    lines = [
        f'"a, b",{people[0]},"张,三丰","晋A,001",car,2020-01-01,false,red',
        f'x,{people[1]},"李""四""",晋B002,Truck,2021-03-04,TRUE,',
        f",{people[2]},王五,晋C003,other,2022-05-06,false,blue",
    ]
    body = header + "\r\n" + "".join(line + "\r\n" for line in lines)
    loaded = await _loaded(api, "vehicle", body)
    assert (loaded.view["rows_total"], loaded.view["rows_loaded"]) == (3, 3), loaded.view
    assert [(r["person"], r["name_masked"], r["plate"], r["vehicle_type"], r["deregistered"]) for r in loaded.rows] == [
        (_key(api, people[0]), "张**丰", "晋A,001", "car", False),
        (_key(api, people[1]), '李**"', "晋B002", "truck", True),
        (_key(api, people[2]), "王*", "晋C003", "other", False),
    ]


async def test_optional_columns_may_be_left_out(api: MatchingApi) -> None:
    person = fresh_id()
    prison = await _loaded(api, "prison", csv_feed("id_number,name,start_date", [f"{person},王五,2024-02-03"]))
    assert [(r["person"], r["start_date"], r["end_date"]) for r in prison.rows] == [
        (_key(api, person), dt.date(2024, 2, 3), None)
    ]
    pension = await _loaded(api, "pension", csv_feed("status,id_number,name", [f"normal,{person},王五"]))
    assert [(r["status"], r["monthly_amount_fen"]) for r in pension.rows] == [("normal", None)]


async def test_ndjson_rows_as_objects(api: MatchingApi) -> None:
    people = [fresh_id() for _ in range(3)]
    lines = [
        {
            "id_number": people[0],
            "name": "张三丰",
            "plate": "晋A1",
            "vehicle_type": "car",
            "registered_at": "2020-01-01",
            "deregistered": True,
            "owner_since": 2019,
        },
        "not json at all",
        [people[1], "李四"],
        {
            "id_number": people[1],
            "name": "李四",
            "plate": "晋A2",
            "vehicle_type": "car",
            "registered_at": "2020-01-01",
            "deregistered": "maybe",
        },
        {
            "name": "王五",
            "id_number": people[2],
            "plate": "晋A3",
            "vehicle_type": "motorcycle",
            "registered_at": "2020-01-01",
            "deregistered": False,
        },
    ]
    body = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)
    loaded = await _loaded(api, "vehicle", body, content_type="application/x-ndjson")
    assert [(r["row"], r["reason"]) for r in loaded.view["rejects"]] == [
        (2, "malformed_row"),
        (3, "malformed_row"),
        (4, "invalid_deregistered"),
    ]
    assert [(r["row_no"], r["person"], r["vehicle_type"], r["deregistered"]) for r in loaded.rows] == [
        (1, _key(api, people[0]), "car", True),
        (5, _key(api, people[2]), "motorcycle", False),
    ]


async def test_ndjson_money_as_json_numbers(api: MatchingApi) -> None:
    people = [fresh_id() for _ in range(4)]
    amounts: list[object] = [1234.5, 100, "88.80", 0.125]
    body = "".join(
        json.dumps({"id_number": p, "name": "王五", "status": "normal", "monthly_amount": a}) + "\n"
        for p, a in zip(people, amounts, strict=True)
    )
    loaded = await _loaded(api, "pension", body, content_type="application/x-ndjson")
    assert [(r["row"], r["reason"]) for r in loaded.view["rejects"]] == [(4, "invalid_monthly_amount")]
    assert [(r["person"], r["monthly_amount_fen"]) for r in loaded.rows] == [
        (_key(api, people[0]), 123450),
        (_key(api, people[1]), 10000),
        (_key(api, people[2]), 8880),
    ]


# Bad rows in different 4096-byte blocks (about 60 bytes a row), the first and the last among them.
BAD = {
    1: "invalid_id_number",
    69: "empty_row",
    700: "malformed_row",
    1337: "invalid_vehicle_type",
    2000: "missing_name",
}


def _big_feed() -> tuple[list[str], bytes]:
    ids = [fresh_id() for _ in range(2000)]
    lines = []
    for row, number in enumerate(ids, start=1):
        match BAD.get(row):
            case "invalid_id_number":
                lines.append(vehicle(number[:16] + "ZZ"))
            case "empty_row":
                lines.append("")
            case "malformed_row":
                lines.append(vehicle(number) + ",surplus")
            case "invalid_vehicle_type":
                lines.append(vehicle(number, vehicle_type="tank"))
            case "missing_name":
                lines.append(vehicle(number, name=""))
            case _:
                lines.append(vehicle(number, plate=f"晋K{row:05d}"))
    return ids, csv_feed(VEHICLE, lines).encode()


@pytest.mark.parametrize("chunk", [None, 1000, 4096, 65536], ids=["whole", "1000", "4096", "65536"])
async def test_a_feed_of_many_blocks_loads_whole(api: MatchingApi, chunk: int | None) -> None:
    ids, body = _big_feed()
    assert len(body) > 25 * 4096
    client = new_feeder()
    if chunk is None:
        reply = await api.upload("vehicle", body, principal=client)
    else:
        parts = [body[i : i + chunk] for i in range(0, len(body), chunk)]
        reply = await upload_stream(api, "vehicle", chunks(*parts), client)
    assert reply.status_code == 202, reply.text
    (feed,) = await feeds_of(api, client)
    rows = await records(api, feed.feed_no)
    await api.run_worker()
    view = (await api.get(f"{FEEDS}/{feed.id}", client)).json()
    assert (view["status"], view["rows_total"], view["rows_loaded"], view["rows_rejected"]) == ("done", 2000, 1995, 5)
    assert [(r["row"], r["reason"]) for r in view["rejects"]] == sorted(BAD.items())
    assert len(rows) == 1995
    # Every record is the row of its number: blocks were numbered on from where the last one ended.
    assert all((r["person"], r["plate"]) == (_key(api, ids[r["row_no"] - 1]), f"晋K{r['row_no']:05d}") for r in rows)
    assert {r["row_no"] for r in rows} == set(range(1, 2001)) - set(BAD)
