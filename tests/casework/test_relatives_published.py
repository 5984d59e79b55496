"""The close-relative register tells the other services (DOMAIN.md §7): a filing and its withdrawal each publish
`close-relative-filing-changed` from casework's outbox, in their own transaction; a refused request publishes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from libs.contracts.events import parse_payload
from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.contracts.staff import StaffRole
from libs.kernel.events import CloudEvent
from libs.kernel.pii import PiiVault
from services.casework.db import tables
from services.casework.definition import DEFINITION as CASEWORK
from tests.casework.support import CaseworkApi, fresh_id, new_county, new_village, staff

REGISTER = "/api/v1/casework/close-relatives"
TYPE = CloseRelativeFilingChanged.event_type


async def published(api: CaseworkApi, filing_id: int) -> list[tuple[str, CloudEvent]]:
    """(key, event) of the register's events about the filing, oldest first."""
    t = tables.outbox
    async with api.db.sessions() as s:
        rows = (await s.execute(select(t.c.key, t.c.payload).order_by(t.c.id))).all()
    events = [(key, CloudEvent.from_bytes(payload)) for key, payload in rows]
    return [(k, e) for k, e in events if e.type == TYPE and e.subject == f"close-relative/{filing_id}"]


async def test_a_filing_and_its_withdrawal_are_published_once_each(api: CaseworkApi) -> None:
    county = new_county()
    township = new_village(county)[:9]
    officer = staff(StaffRole.county_officer, county)
    relative = fresh_id(date(1983, 5, 17))
    body = {
        "staff_user": f"u-{uuid.uuid4().hex[:8]}",
        "staff_name": "张三",
        "staff_unit": "某镇民政办",
        "staff_region": township,
        "relative": {"id_number": relative, "name": "张小妹"},
        "relation": "cousin",
    }
    api.clock.set_day(date(2026, 11, 23))
    created = await api.post(REGISTER, officer, body)
    assert created.status_code == 201, created.text
    filing_id = created.json()["filing_id"]
    # The same relation again (409) and a withdrawal without a reason (422) publish nothing.
    assert (await api.post(REGISTER, officer, body)).status_code == 409
    assert (await api.post(f"{REGISTER}/{filing_id}/withdraw", officer, {"reason": ""})).status_code == 422

    [(key, filed)] = await published(api, filing_id)
    payload = parse_payload(TYPE, filed.data)
    assert payload == CloseRelativeFilingChanged(
        filing_id=str(filing_id),
        state=FilingState.ACTIVE,
        staff_user=body["staff_user"],
        staff_name="张三",
        relative_id_number=relative,
        changed_at=datetime.fromisoformat(created.json()["filed_at"]),
    )
    # Keyed by the relative's keyed hash, never the number itself: the withdrawal follows on the same partition.
    assert key == PiiVault(CASEWORK.settings().pii_key.get_secret_value()).keyed_hash(relative)
    assert relative not in key
    assert filed.source == "casework"

    api.clock.set_day(date(2026, 12, 1))
    done = await api.post(f"{REGISTER}/{filing_id}/withdraw", officer, {"reason": "调离岗位"})
    assert done.status_code == 200, done.text
    assert (await api.post(f"{REGISTER}/{filing_id}/withdraw", officer, {"reason": "调离岗位"})).status_code == 409

    events = await published(api, filing_id)
    assert [k for k, _ in events] == [key, key]
    withdrawn = parse_payload(TYPE, events[1][1].data)
    assert isinstance(withdrawn, CloseRelativeFilingChanged)
    assert (withdrawn.state, withdrawn.relative_id_number, withdrawn.changed_at) == (
        FilingState.WITHDRAWN,
        relative,
        datetime(2026, 12, 1, 2, tzinfo=UTC),
    )
