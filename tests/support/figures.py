"""Monthly figures in the services' own API tests (issue 22): names for a test's regions, generated moments around
month boundaries, and the checks every service's figures must pass (parents equal the sum of their children)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from tests.support.principals import staff
from tests.support.service_api import ServiceApi

NATIONAL_ADMIN = staff(StaffRole.system_admin, "")


async def name_regions(api: ServiceApi, names: Mapping[str, str]) -> None:
    """Deliver names as the gateway does (`PUT /internal/v1/region-names`)."""
    body = {"names": [{"code": c, "name": n, "revision": 1} for c, n in names.items()]}
    response = await api.put("/internal/v1/region-names", NATIONAL_ADMIN, body)
    assert response.status_code == 200, response.text


def moment(rng: random.Random, first: date, last: date) -> datetime:
    """A moment between two China days; one in four falls on the very edge of a China month (its first second or
    its last), where a count in UTC would put it in the wrong month."""
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    if rng.random() < 0.25:
        edge = datetime(day.year, day.month, 1, tzinfo=CHINA_TZ)
        return edge if rng.random() < 0.5 else edge - timedelta(seconds=1)
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ) + timedelta(seconds=rng.randint(0, 86399))


def in_month(at: datetime | None, month: str) -> bool:
    return at is not None and at.astimezone(CHINA_TZ).strftime("%Y-%m") == month


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA_TZ).date()


def month_end(month: str) -> datetime:
    year, mon = (int(p) for p in month.split("-"))
    return datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=CHINA_TZ)


def expected(
    rows: Iterable[Any], region_of: Callable[[Any], str], figures: Mapping[str, Callable[[Any], bool]], under: str
) -> dict[str, int]:
    """The figures counted in Python, row by row, for the rows under a region."""
    chosen = [r for r in rows if region_of(r).startswith(under)]
    return {key: sum(1 for r in chosen if test(r)) for key, test in figures.items()}


def check_sums(body: Mapping[str, Any]) -> None:
    """Every figure of the region is the sum of its children's (all of them are counts of rows)."""
    region = body["region"]["figures"]
    for key, total in region.items():
        assert total == sum(child["figures"][key] for child in body["children"]), key


def by_code(body: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {child["region_code"]: child for child in body["children"]}


Test = Callable[[Any], bool]


def both(*tests: Test) -> Test:
    """A row that passes every test (built in loops over channels and sources without late-binding lambdas)."""
    return lambda row: all(test(row) for test in tests)


def field_in(name: str, *values: object) -> Test:
    return lambda row: getattr(row, name) in values


def of_type(kind: type) -> Test:
    return lambda row: isinstance(row, kind)
