"""Disbursement's monthly figures (issue 22): for a generated county's rosters, holds, recoveries and temporary
grants, `GET /api/v1/disbursement/statistics` equals sums counted here from the rows as generated; a region is the
sum of its children; bad input 4xx, another region 403."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.disbursement import LABELS
from services.disbursement.entitlements.models import Entitlement, Hold
from services.disbursement.grants.models import TemporaryGrant
from services.disbursement.recoveries.models import Recovery, RecoveryCollection
from services.disbursement.rosters.models import LineItem, Roster, RosterLine
from tests.disbursement.support import DisbursementApi, new_county, staff

PROGRAMS = (Program.DIBAO, Program.TEKUN_DISPERSED, Program.DISABILITY_CARE)
MONTHS = (date(2026, 9, 1), date(2026, 10, 1))
PATH = "/api/v1/disbursement/statistics"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ)


class Ledger:
    """Two months of a county's rosters (and a withdrawn one each month, which paid nothing), holds, recoveries and
    grants, and the figures expected of them, counted from the generated rows."""

    def __init__(self, rng: random.Random) -> None:
        self.code = new_county()
        self.villages = [f"{self.code}{t:03d}{v:03d}" for t in (1, 2) for v in (1, 2)]
        self.rows: list[object] = []
        self.expect: dict[tuple[date, str], Counter[str]] = {}
        places = {f"hh-{uuid.uuid4()}": rng.choice(self.villages) for _ in range(30)}
        for hid, village in places.items():
            self.rows.append(
                Entitlement(
                    entitlement_id=f"ent-{hid}", household_id=hid, region_code=village, county_code=self.code,
                    program="dibao", status="active", payee_name="某某", payee_id_sealed="x", payee_hash="x",
                    member_count=1, member_hashes=[], members_as_of=_at(MONTHS[0]), changed_at=_at(MONTHS[0]),
                )
            )  # fmt: skip
        for month in MONTHS:
            for status, counted in (("paid", True), ("cancelled", False)):
                self._roster(rng, month, status, counted, places)
            for hid in rng.sample(sorted(places), 6):
                kind = rng.choice(["death", "suspension", "account"])
                created = _at(month + timedelta(days=rng.randint(0, 25)))
                released = created + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.5 else None
                self.rows.append(
                    Hold(
                        id=f"hold-{uuid.uuid4()}", household_id=hid, county_code=self.code, kind=kind, reason="r",
                        created_at=created, created_by="u", released_at=released,
                    )
                )  # fmt: skip
            for hid, village in rng.sample(sorted(places.items()), 3):
                rid, amount = f"rec-{uuid.uuid4()}", rng.randint(1000, 9000)
                self.rows.append(
                    Recovery(
                        id=rid, household_id=hid, entitlement_id=f"ent-{hid}", county_code=self.code, program="dibao",
                        reason="death", amount_fen=amount, months=[month], detail="d",
                        detected_at=_at(month + timedelta(days=3)), collected_fen=0, waived_fen=0, status="open",
                    )
                )  # fmt: skip
                self.rows.append(
                    RecoveryCollection(
                        id=f"col-{uuid.uuid4()}", recovery_id=rid, amount_fen=500, received_on=month + timedelta(20),
                        note="n", recorded_at=_at(month), recorded_by="u",
                    )
                )  # fmt: skip
                for m in (month,):
                    figures = self._figures(m, village)
                    figures.update(recoveries_raised=1, recoveries_raised_fen=amount, recovered_collected_fen=500)
            for n in range(3):
                village, paid = rng.choice(self.villages), n != 2
                line_id, amount = f"gl-{uuid.uuid4()}", rng.randint(10000, 90000)
                self.rows.append(self._line(f"ord-{line_id}", line_id, month, "temporary", village, amount, paid))
                self.rows.append(
                    TemporaryGrant(
                        grant_id=f"g-{uuid.uuid4()}", attempt=1, kind="ordinary", region_code=village,
                        county_code=self.code, payee_hash="p", amount_fen=amount, discovered_at=_at(month),
                        pay_by=month, issued_at=_at(month), order_id=f"ord-{line_id}", line_id=line_id,
                        status="paid" if paid else "pending", created_at=_at(month),
                    )
                )  # fmt: skip
                if paid:
                    self._figures(month, village).update(temporary_paid=1, temporary_paid_fen=amount)
        # Holds in force at each month's end, by household (one hold kind counted once per household).
        for month in MONTHS:
            end = _at(date(month.year, month.month + 1, 1), 0)
            held = {
                (h.kind, h.household_id)
                for h in self.rows
                if isinstance(h, Hold) and h.created_at < end and (h.released_at is None or h.released_at >= end)
            }
            for kind, hid in held:
                self._figures(month, places[hid])[f"holds_{kind}"] += 1

    def _figures(self, month: date, village: str) -> Counter[str]:
        return self.expect.setdefault((month, village), Counter())

    def _line(
        self, roster_id: str, line_id: str, month: date, program: str, village: str, amount: int, paid: bool
    ) -> RosterLine:
        return RosterLine(
            line_id=line_id, roster_id=roster_id, line_no=1, period=month, household_id="h", program=program,
            region_code=village, payee_name="某某", bank_code="RCC", account_no_masked="6217****0001",
            regular_fen=amount, amount_fen=amount, status="paid" if paid else "pending",
            paid_at=_at(month + timedelta(days=6)) if paid else None,
        )  # fmt: skip

    def _roster(self, rng: random.Random, month: date, status: str, counted: bool, places: dict[str, str]) -> None:
        rid = f"ros-{uuid.uuid4()}"
        self.rows.append(
            Roster(
                id=rid, kind="monthly", region_code=self.code, period=month, status=status, ledger_version=1,
                line_count=0, total_fen=0, totals={}, held={}, due_date=month + timedelta(days=4),
                built_at=_at(month), built_by="u",
            )
        )  # fmt: skip
        for no, (hid, village) in enumerate(sorted(places.items()), start=1):
            program = rng.choice(PROGRAMS).value
            regular = rng.randint(10000, 80000)
            items = [("arrears", rng.randint(1000, 5000))] if rng.random() < 0.3 else []
            items += [("one_off", 2000)] if rng.random() < 0.3 else []
            items += [("recovery", -rng.randint(100, 900))] if rng.random() < 0.2 else []
            line_status = rng.choice(["paid", "paid", "paid", "failed", "pending"])
            line_id = f"ln-{uuid.uuid4()}"
            amount = regular + sum(a for _, a in items)
            line = self._line(rid, line_id, month, program, village, amount, False)
            line.line_no, line.household_id, line.entitlement_id = no, hid, f"ent-{hid}"
            line.regular_fen, line.status = regular, line_status
            self.rows.append(line)
            for kind, item_amount in items:
                self.rows.append(
                    LineItem(
                        line_id=line_id, roster_id=rid, entitlement_id=f"ent-{hid}", kind=kind,
                        amount_fen=item_amount, note="n", month=month if kind == "arrears" else None,
                    )
                )  # fmt: skip
            if not counted:
                continue
            f = self._figures(month, village)
            f[f"lines_{line_status}"] += 1
            if line_status == "failed":
                f["failed_fen"] += amount
            if line_status == "paid":
                f[f"lines_paid_{program}"] += 1
                f["paid_fen"] += amount
                f[f"paid_regular_fen_{program}"] += regular
                for kind, item_amount in items:
                    key = "recovered_deducted_fen" if kind == "recovery" else f"paid_{kind}_fen_{program}"
                    f[key] += -item_amount if kind == "recovery" else item_amount

    def expected(self, month: date, prefix: str) -> dict[str, int]:
        out = dict.fromkeys(LABELS, 0)
        for (m, village), figures in self.expect.items():
            if m == month and village.startswith(prefix):
                for key, value in figures.items():
                    out[key] += value
        return out


@pytest.fixture
async def ledger(api: DisbursementApi) -> AsyncIterator[Ledger]:
    """The county's rows, taken out again afterwards: none of them carries a sealed payee another test could open."""
    ledger = Ledger(random.Random(22))
    names = [{"code": ledger.code, "name": "测试县", "revision": 1}]
    names += [{"code": v, "name": f"{v[-1]}村", "revision": 1} for v in ledger.villages]
    admin = staff(StaffRole.system_admin, "")
    assert (await api.put("/internal/v1/region-names", admin, {"names": names})).status_code < 300
    async with api.db.sessions() as s, s.begin():
        s.add_all(ledger.rows)
    try:
        yield ledger
    finally:
        async with api.db.sessions() as s, s.begin():
            for row in ledger.rows:
                await s.delete(row)


async def test_figures_equal_the_ledgers_counted_again(api: DisbursementApi, ledger: Ledger) -> None:
    officer = staff(StaffRole.county_officer, ledger.code)
    for month in MONTHS:
        r = await api.get(PATH, officer, {"month": f"{month:%Y-%m}"})
        assert r.status_code == 200, r.text
        got = MonthlyFigures.model_validate(r.json())
        assert got.region.region_name == "测试县"
        assert got.region.figures == ledger.expected(month, ledger.code)
        assert [c.region_code for c in got.children] == [f"{ledger.code}001", f"{ledger.code}002"]
        for child in got.children:
            assert child.figures == ledger.expected(month, child.region_code)
        for key, value in got.region.figures.items():
            assert value == sum(c.figures[key] for c in got.children), key
    assert ledger.expected(MONTHS[1], ledger.code)["lines_paid"] > 0
    township = await api.get(PATH, officer, {"month": "2026-10", "region": f"{ledger.code}002"})
    got = MonthlyFigures.model_validate(township.json())
    assert [c.region_code for c in got.children] == [v for v in ledger.villages if v[6:9] == "002"]
    for child in got.children:
        assert child.figures == ledger.expected(MONTHS[1], child.region_code)


async def test_bad_input_and_another_region(api: DisbursementApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    for month in ("2027-01", "1999-12"):
        r = await api.get(PATH, officer, {"month": month})
        assert (r.status_code, r.json()["code"]) == (422, "statistics_month_out_of_range")
    for params in ({"month": "2026-00"}, {"month": "2026-1"}, {}, {"month": "2026-10", "region": "1234567"}):
        assert (await api.get(PATH, officer, params)).status_code == 422
    other = await api.get(PATH, officer, {"month": "2026-10", "region": new_county()})
    assert (other.status_code, other.json()["code"]) == (403, "outside_jurisdiction")
    village = staff(StaffRole.village_assistant, f"{county}001001")
    assert (await api.get(PATH, village, {"month": "2026-10"})).status_code == 403
