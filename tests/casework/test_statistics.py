"""Casework's monthly figures (issue 22): a generated county's registry, counted again here row by row, equals the
figures `GET /api/v1/casework/statistics` answers, live and from the rows kept per village; a region is the sum of its
children; bad input 4xx.

Months before the business month before the real one: a worker of the session builds the current and the previous
month for every region, and its rows would stand for those months here."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from libs.contracts.clock import CHINA_TZ
from libs.contracts.period import Period
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.casework import DERIVED, LABELS
from services.casework.registry.models import Entitlement, Household, HouseholdMember
from services.casework.reports.models import VillageReport
from services.casework.statistics.service import build_due, build_month
from tests.casework.support import CaseworkApi, new_county, staff

PROGRAMS = (Program.DIBAO, Program.MARGINAL, Program.TEKUN_DISPERSED, Program.DISABILITY_LIVING)
MONTHS = [str(Period(2026, m)) for m in range(6, 13)]


def _moment(month: str, day: int) -> datetime:
    p = Period.parse(month)
    return datetime(p.year, p.month, day, 9, tzinfo=CHINA_TZ)


class County:
    """A county of 2 townships × 2 villages with households across programs and months, and the expected figures
    counted from the rows as generated (not from the database)."""

    def __init__(self, rng: random.Random) -> None:
        self.code = new_county()
        self.villages = [f"{self.code}{t:03d}{v:03d}" for t in (1, 2) for v in (1, 2)]
        self.households: list[Household] = []
        self.members: list[HouseholdMember] = []
        self.entitlements: list[Entitlement] = []
        self.reports: list[VillageReport] = []
        now = _moment("2026-12", 1)
        for _i in range(60):
            hid = f"hh-{uuid.uuid4()}"
            village = rng.choice(self.villages)
            self.households.append(
                Household(
                    id=hid, region_code=village, status="active", review_class="B", version=1, created_at=now,
                    updated_at=now,
                )
            )  # fmt: skip
            for _ in range(rng.randint(1, 4)):
                joined = _moment(rng.choice(MONTHS[:4]), rng.randint(1, 28))
                left = _moment(rng.choice(MONTHS), rng.randint(1, 28)) if rng.random() < 0.3 else None
                self.members.append(
                    HouseholdMember(
                        household_id=hid, person_hash=uuid.uuid4().hex, id_number_sealed="x", name="某某",
                        relation="self", birth_date=date(1960, 1, 1), details_sealed="x", joined_at=joined,
                        left_at=left if left is not None and left > joined else None,
                    )
                )  # fmt: skip
            for program in rng.sample(PROGRAMS, rng.randint(1, 2)):
                start = rng.choice(MONTHS[:5])
                since = Period.parse(start).first_day + timedelta(days=rng.randint(0, 27))
                status, frm, to = "active", start, None
                roll = rng.random()
                if roll < 0.25:
                    status, frm = "stopped", rng.choice([m for m in MONTHS if m > start])
                elif roll < 0.4:
                    status, to = "gradual_exit", rng.choice([m for m in MONTHS if m >= start])
                elif roll < 0.5:
                    status = "suspended"
                self.entitlements.append(
                    Entitlement(
                        id=f"ent-{uuid.uuid4()}", household_id=hid, program=program.value, status=status,
                        monthly_amount_fen=rng.randint(100, 90000), effective_from=frm, effective_to=to,
                        beneficiary_hash="b" if program is Program.DISABILITY_LIVING else None, since=since,
                        updated_at=now,
                    )
                )  # fmt: skip
        for village in self.villages[:3]:
            self.reports.append(
                VillageReport(
                    id=f"vr-{uuid.uuid4()}", village_code=village, period="2026-10", zero_report=True, late=False,
                    filed_by="u", filed_at=_moment("2026-10", 18),
                )
            )  # fmt: skip

    def expected(self, month: str, prefix: str) -> dict[str, int]:
        p = Period.parse(month)
        end = _moment(str(p.next()), 1).replace(hour=0)
        region = {h.id: h.region_code for h in self.households}
        people = {h.id: 0 for h in self.households}
        for m in self.members:
            if m.joined_at < end and (m.left_at is None or m.left_at >= end):
                people[m.household_id] += 1
        out = {k: 0 for k in LABELS if k not in DERIVED}
        anyone: set[str] = set()
        for e in self.entitlements:
            if not region[e.household_id].startswith(prefix):
                continue
            gone = (e.status == "stopped" and e.effective_from <= month) or (
                e.status == "gradual_exit" and e.effective_to is not None and e.effective_to < month
            )
            if e.since <= p.last_day and not gone:
                anyone.add(e.household_id)
                out[f"households_{e.program}"] += 1
                out[f"persons_{e.program}"] += 1 if e.beneficiary_hash else people[e.household_id]
                out[f"amount_fen_{e.program}"] += e.monthly_amount_fen
            out[f"households_new_{e.program}"] += p.contains(e.since)
            out[f"households_stopped_{e.program}"] += (e.status == "stopped" and e.effective_from == month) or (
                e.status == "gradual_exit" and e.effective_to == str(p.prev())
            )
        out["households"] = len(anyone)
        out["marginal_households"] = out["households_marginal"]
        out["villages_total"] = sum(v.startswith(prefix) for v in self.villages)
        out["villages_reported"] = sum(r.village_code.startswith(prefix) and r.period == month for r in self.reports)
        return out


@pytest.fixture
async def county(api: CaseworkApi) -> AsyncIterator[County]:
    """The county's rows, taken out again afterwards: the registry's jobs (a gradual exit running out, the province's
    feed) read every household, and these carry no sealed member to open."""
    county = County(random.Random(22))
    admin = staff(StaffRole.system_admin, "")
    names = [{"code": county.code, "name": "测试县", "revision": 1}]
    names += [{"code": v[:9], "name": f"第{v[8]}镇", "revision": 1} for v in county.villages[::2]]
    names += [{"code": v, "name": f"{v[-1]}村", "revision": 1} for v in county.villages]
    assert (await api.put("/internal/v1/region-names", admin, {"names": names})).status_code < 300
    async with api.db.sessions() as s, s.begin():
        s.add_all(county.households)
        await s.flush()
        s.add_all([*county.members, *county.entitlements, *county.reports])
    api.clock.set_day(date(2026, 12, 15))
    try:
        yield county
    finally:
        async with api.db.sessions() as s, s.begin():
            mine = select(Household.id).where(Household.region_code.startswith(county.code))
            await s.execute(delete(Entitlement).where(Entitlement.household_id.in_(mine)))
            await s.execute(delete(HouseholdMember).where(HouseholdMember.household_id.in_(mine)))
            await s.execute(delete(VillageReport).where(VillageReport.village_code.startswith(county.code)))
            await s.execute(delete(Household).where(Household.region_code.startswith(county.code)))


def _summed(figures: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in figures.items() if k not in DERIVED}


async def test_figures_equal_the_registry_counted_again(api: CaseworkApi, county: County) -> None:
    officer = staff(StaffRole.county_officer, county.code)
    for month in ("2026-08", "2026-09", "2026-10"):
        r = await api.get("/api/v1/casework/statistics", officer, {"month": month})
        assert r.status_code == 200, r.text
        got = MonthlyFigures.model_validate(r.json())
        assert (got.region.region_code, got.region.region_name) == (county.code, "测试县")
        assert _summed(got.region.figures) == county.expected(month, county.code)
        assert [c.region_code for c in got.children] == [f"{county.code}001", f"{county.code}002"]
        for child in got.children:
            assert _summed(child.figures) == county.expected(month, child.region_code)
            assert child.region_name.startswith("第")
        # The county's additive figures are the sum of its townships'; its average is its own, not a sum.
        for key, value in _summed(got.region.figures).items():
            assert value == sum(c.figures[key] for c in got.children), key
        dibao = got.region.figures
        persons = dibao["persons_dibao"]
        assert dibao["average_fen_dibao"] == (0 if not persons else round(dibao["amount_fen_dibao"] / persons))
    assert county.expected("2026-10", county.code)["households_dibao"] > 0


async def test_a_township_drills_down_to_its_villages(api: CaseworkApi, county: County) -> None:
    township = f"{county.code}001"
    r = await api.get(
        "/api/v1/casework/statistics",
        staff(StaffRole.county_officer, county.code),
        {"month": "2026-10", "region": township},
    )
    got = MonthlyFigures.model_validate(r.json())
    assert [c.region_code for c in got.children] == [v for v in county.villages if v.startswith(township)]
    for child in got.children:
        assert _summed(child.figures) == county.expected("2026-10", child.region_code)
    village = county.villages[0]
    r = await api.get("/api/v1/casework/statistics", staff(StaffRole.village_assistant, village), {"month": "2026-10"})
    got = MonthlyFigures.model_validate(r.json())
    assert got.children == []
    assert _summed(got.region.figures) == county.expected("2026-10", village)


async def test_bad_input_and_another_region(api: CaseworkApi) -> None:
    api.clock.set_day(date(2026, 12, 15))
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    path = "/api/v1/casework/statistics"
    for month, code in (("2027-01", "statistics_month_out_of_range"), ("1999-12", "statistics_month_out_of_range")):
        r = await api.get(path, officer, {"month": month})
        assert (r.status_code, r.json()["code"]) == (422, code)
    for params in ({"month": "2026-13"}, {"month": "26-10"}, {}, {"month": "2026-10", "region": "6501x"}):
        assert (await api.get(path, officer, params)).status_code == 422
    other = await api.get(path, officer, {"month": "2026-10", "region": new_county()})
    assert (other.status_code, other.json()["code"]) == (403, "outside_jurisdiction")
    wider = await api.get(path, officer, {"month": "2026-10", "region": county[:4]})
    assert wider.status_code == 403


async def test_a_built_month_answers_from_its_kept_rows(api: CaseworkApi, county: County) -> None:
    officer = staff(StaffRole.county_officer, county.code)
    path = "/api/v1/casework/statistics"
    live = (await api.get(path, officer, {"month": "2026-10"})).json()
    async with api.db.sessions() as s, s.begin():
        kept = await build_month(s, Period(2026, 10), county.code, api.clock())
    assert kept == len(county.villages)
    # A household granted afterwards does not change the month as built (it was counted then), nor its sums.
    late = County(random.Random(7))
    for h in late.households:
        h.region_code = county.villages[0]
    async with api.db.sessions() as s, s.begin():
        s.add_all(late.households)
        await s.flush()
        s.add_all([*late.members, *late.entitlements])
    built = MonthlyFigures.model_validate((await api.get(path, officer, {"month": "2026-10"})).json())
    assert built == MonthlyFigures.model_validate(live)
    assert _summed(built.region.figures) == county.expected("2026-10", county.code)
    # Another month of the county is still counted live, with the late households in it.
    r = await api.get(path, officer, {"month": "2026-09"})
    county.households += late.households
    county.members += late.members
    county.entitlements += late.entitlements
    assert _summed(MonthlyFigures.model_validate(r.json()).region.figures) == county.expected("2026-09", county.code)


async def test_the_nightly_build_closes_the_month_before_once(api: CaseworkApi) -> None:
    # An early month no other test asks for: the build is of every region.
    day = date(2026, 3, 10)
    now = datetime(2026, 3, 10, 2, tzinfo=CHINA_TZ)
    async with api.db.sessions() as s, s.begin():
        first = await build_due(s, day, now)
    async with api.db.sessions() as s, s.begin():
        again = await build_due(s, day + timedelta(days=1), now + timedelta(days=1))
    assert [str(p) for p in first] == ["2026-02", "2026-03"]
    assert [str(p) for p in again] == ["2026-03"]
