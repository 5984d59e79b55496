"""The gateway's `/docs` (issue 19): every staff and partner endpoint in one document, each with what it needs, read
in Swagger UI or ReDoc whose scripts and styles come from Jiuzhu itself (a government extranet reaches no CDN)."""

from __future__ import annotations

import re

import httpx

from gateway.routes import ROUTES
from tests.e2e.system import WholeSystem

_URL = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""")


async def test_one_document_holds_every_staff_and_partner_endpoint_with_what_it_needs(
    whole_system: WholeSystem,
) -> None:
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as http:
        reply = await http.get("/api/v1/openapi.json")
    assert reply.status_code == 200, reply.text
    document = reply.json()
    paths = document["paths"]
    assert len(paths) >= 100
    for route in ROUTES:  # every routed prefix has operations in it
        assert any(p == route.prefix.rstrip("/") or p.startswith(route.prefix) for p in paths), route.prefix
    staff = paths["/api/v1/intake/applications"]["post"]
    assert staff["security"] == [{"bearer": []}]
    assert "staff access token" in staff["description"]
    assert staff["responses"]["422"]["content"]["application/problem+json"]
    partner = paths["/api/v1/hotline/work-orders"]["post"]
    assert partner["security"] == [{"bearer": ["hotline"]}]
    assert paths["/api/v1/auth/token"]["post"]["security"] == []
    assert paths["/api/v1/admin/users"]["post"]["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


async def test_swagger_ui_and_redoc_load_everything_from_jiuzhu_itself(whole_system: WholeSystem) -> None:
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as http:
        for page in ("/docs", "/redoc"):
            html = await http.get(page)
            assert html.status_code == 200
            urls = _URL.findall(html.text)
            assert urls, page
            for url in urls:
                assert url.startswith("/"), f"{page} loads {url} from elsewhere"
                assert (await http.get(url)).status_code == 200, url
            assert "cdn" not in html.text.lower()
            assert "fonts.googleapis" not in html.text
