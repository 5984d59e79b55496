"""Region names (issue 19): administrators name the regions inside their jurisdiction, every staff member reads
them, and the console shows names instead of codes."""

from __future__ import annotations

import httpx

from tests.e2e.system import WholeSystem, new_county


async def test_an_administrator_names_regions_inside_their_jurisdiction_only(whole_system: WholeSystem) -> None:
    county, elsewhere = new_county(), new_county()
    admin = await whole_system.staff("system_admin", county, "县民政局 系统管理员")
    named = await admin.http.put(f"/api/v1/admin/regions/{county}001", json={"name": "东风镇"})
    assert named.status_code == 200, named.text
    assert named.json() == {"code": f"{county}001", "name": "东风镇"}
    renamed = await admin.http.put(f"/api/v1/admin/regions/{county}001", json={"name": "东风街道"})
    assert renamed.json()["name"] == "东风街道"
    outside = await admin.http.put(f"/api/v1/admin/regions/{elsewhere}001", json={"name": "别处镇"})
    assert outside.status_code == 403
    assert outside.json()["code"] == "outside_jurisdiction"
    for code, body in ((f"{county}0011", {"name": "不是区划"}), (f"{county}002", {"name": ""}),
                       (f"{county}002", {"name": "镇", "extra": 1})):  # fmt: skip
        bad = await admin.http.put(f"/api/v1/admin/regions/{code}", json=body)
        assert bad.status_code == 422, (code, body)
    officer = await whole_system.staff("township_officer", f"{county}001", "乡镇民政办 经办人")
    refused = await officer.http.put(f"/api/v1/admin/regions/{county}001", json={"name": "自己起名"})
    assert refused.status_code == 403
    listed = await officer.http.get("/api/v1/regions", params={"under": county})
    assert listed.json() == [{"code": f"{county}001", "name": "东风街道"}]
    async with httpx.AsyncClient(base_url=whole_system.base_url) as anonymous:
        assert (await anonymous.get("/api/v1/regions", params={"under": county})).status_code == 401
    actions = await admin.http.get("/api/v1/admin/audit/actions", params={"region_code": county})
    assert actions.status_code == 200, actions.text
    assert [a["action"] for a in actions.json()["items"]].count("region_named") == 2
