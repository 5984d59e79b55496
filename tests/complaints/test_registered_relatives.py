"""Recusal for relatives in casework's close-relative register (DOMAIN.md §7), which complaints learns from
`close-relative-filing-changed`, with households' members from `household-changed`: a staff member filed as the
relative of an item's person, or of a member of its household, may not assign, investigate, find, reply to, return
or reveal the complainant of the item, and may once the filing is withdrawn. Every event is delivered twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.events.base import EventPayload, MemberRef
from libs.contracts.events.casework import HouseholdChange, HouseholdChanged, HouseholdChangeKind, HouseholdSnapshot
from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.complaints.db import tables
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.relatives.models import KnownMember, RegisteredRelative
from tests.complaints.support import COMPLAINTS as ITEMS
from tests.complaints.support import ComplaintsApi, fresh_id, letter, new_village, staff
from tests.support.delivery import Consumers

FILED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
FEEDBACK = {"text": "书面告知核查结果", "method": "letter"}


class Casework:
    """Casework's events as complaints' consumer receives them: each twice, as after a redelivery."""

    def __init__(self, api: ComplaintsApi) -> None:
        settings = COMPLAINTS.settings()
        runtime = Runtime(COMPLAINTS, settings, api.db, Outbox(tables.outbox, settings))
        self.api = api
        self.consumers = Consumers(api.db, tables, settings, COMPLAINTS.subscriptions(runtime))
        self.filing_id = str(uuid.uuid4().int % 10**12)

    async def _deliver(self, payload: EventPayload, subject: str) -> None:
        await self.consumers.deliver(new_event(payload.event_type, source="casework", subject=subject, data=payload), 2)

    async def file(self, who: Principal, relative_id: str, state: FilingState, *, by_user: bool = True) -> None:
        payload = CloseRelativeFilingChanged(
            filing_id=self.filing_id,
            state=state,
            staff_user=who.subject if by_user else None,
            staff_name=who.display_name,
            relative_id_number=relative_id,
            changed_at=FILED_AT if state is FilingState.ACTIVE else WITHDRAWN_AT,
        )
        await self._deliver(payload, f"close-relative/{self.filing_id}")

    async def household(self, household_id: str, village: str, members: list[str], at: datetime) -> None:
        snapshot = HouseholdSnapshot(
            household_id=household_id,
            region_code=village,
            members=tuple(MemberRef(id_number=m, name="张三", relation="head") for m in members),
        )
        changes = (HouseholdChange(kind=HouseholdChangeKind.MEMBER_UPDATED),)
        await self._deliver(
            HouseholdChanged(household=snapshot, changes=changes, changed_at=at), f"household/{household_id}"
        )

    async def rows(self) -> list[tuple[str, datetime | None]]:
        async with self.api.db.sessions() as s:
            stmt = select(RegisteredRelative.filing_id, RegisteredRelative.withdrawn_at).where(
                RegisteredRelative.filing_id == self.filing_id
            )
            return [(f, w) for f, w in (await s.execute(stmt)).all()]

    async def members(self, household_id: str) -> int:
        async with self.api.db.sessions() as s:
            stmt = select(func.count()).where(KnownMember.household_id == household_id)
            return int((await s.execute(stmt)).scalar_one())


def officer(village: str, name: str, role: StaffRole = StaffRole.township_officer) -> Principal:
    return staff(role, village[:9] if role is StaffRole.township_officer else village[:6], name=name)


async def refused_everywhere(api: ComplaintsApi, village: str, cid: str, who: Principal) -> None:
    """Every handling action is 403 `recusal_required`, and the item (history, notes, feedback) stays as it was."""
    reader = officer(village, "读者")
    before = await api.item(cid, reader)
    actions: list[tuple[str, Any]] = [
        ("notes", {"text": "入户核查"}),
        ("feedback", FEEDBACK),
        ("resolve", {"finding": "unsubstantiated", "reply": "不属实", "feedback": FEEDBACK}),
        ("return", {"reason": "不属于民政职责", "feedback": FEEDBACK}),
        ("contact/reveal", {"reason": "电话回访"}),
    ]
    for action, body in actions:
        reply = await api.act(cid, action, who, body)
        assert (reply.status_code, reply.json()["code"]) == (403, "recusal_required"), action
    patched = await api.patch(f"{ITEMS}/{cid}", who, {"issue": "favouritism"})
    assert (patched.status_code, patched.json()["code"]) == (403, "recusal_required")
    assert await api.item(cid, reader) == before


async def test_a_relative_of_the_items_person_is_refused_until_the_filing_is_withdrawn(api: ComplaintsApi) -> None:
    village = new_village()
    body = letter(village)
    cid = str((await api.log_item(body))["complaint_id"])
    relative = officer(village, "赵红梅")
    casework = Casework(api)
    await casework.file(relative, body["subject"]["id_number"], FilingState.ACTIVE)
    assert await casework.rows() == [(casework.filing_id, None)]

    await refused_everywhere(api, village, cid, relative)
    county_relative = officer(village, "钱卫东", StaffRole.county_officer)
    await Casework(api).file(county_relative, body["subject"]["id_number"], FilingState.ACTIVE, by_user=False)
    moved = await api.act(cid, "assignment", county_relative, {"unit": village[:9]})
    assert (moved.status_code, moved.json()["code"]) == (403, "recusal_required")
    # Reading stays open: recusal keeps hands off, not eyes.
    assert (await api.get(f"{ITEMS}/{cid}", relative)).status_code == 200

    # Withdrawn (twice), then the filing redelivered late: it stays withdrawn, and the officer may handle the item.
    await casework.file(relative, body["subject"]["id_number"], FilingState.WITHDRAWN)
    await casework.file(relative, body["subject"]["id_number"], FilingState.ACTIVE)
    assert await casework.rows() == [(casework.filing_id, WITHDRAWN_AT)]
    assert (await api.act(cid, "notes", relative, {"text": "入户核查"})).status_code == 201
    resolved = {"finding": "unsubstantiated", "reply": "不属实", "feedback": FEEDBACK}
    assert (await api.act(cid, "resolve", relative, resolved)).status_code == 200


async def test_a_relative_of_a_member_of_the_items_household_is_refused(api: ComplaintsApi) -> None:
    village = new_village()
    household, head, daughter = f"hh-{uuid.uuid4()}", fresh_id(), fresh_id()
    casework = Casework(api)
    await casework.household(household, village, [head, daughter], datetime(2026, 5, 1, tzinfo=UTC))
    assert await casework.members(household) == 2
    by_household = letter(village, subject={"kind": "household", "household_id": household})
    by_head = letter(village, subject={"kind": "person", "name": "张三", "id_number": head})
    about_household = str((await api.log_item(by_household))["complaint_id"])
    about_head = str((await api.log_item(by_head))["complaint_id"])
    # Filed by name only, as the daughter's husband's brother: neither the household's item nor her father's.
    relative = officer(village, "孙丽")
    await casework.file(relative, daughter, FilingState.ACTIVE, by_user=False)
    await refused_everywhere(api, village, about_household, relative)
    await refused_everywhere(api, village, about_head, relative)
    colleague = officer(village, "周强")
    assert (await api.act(about_head, "notes", colleague, {"text": "入户核查"})).status_code == 201

    # An older snapshot arriving late changes nothing; a newer one without the daughter lifts the recusal.
    await casework.household(household, village, [head], datetime(2026, 4, 1, tzinfo=UTC))
    assert await casework.members(household) == 2
    await casework.household(household, village, [head], datetime(2026, 6, 1, tzinfo=UTC))
    assert await casework.members(household) == 1
    assert (await api.act(about_household, "notes", relative, {"text": "入户核查"})).status_code == 201


async def test_a_relative_may_not_make_their_relatives_household_the_subject(api: ComplaintsApi) -> None:
    village = new_village()
    cid = str((await api.log_item(letter(village)))["complaint_id"])
    household, member = f"hh-{uuid.uuid4()}", fresh_id()
    casework = Casework(api)
    await casework.household(household, village, [member], datetime(2026, 5, 1, tzinfo=UTC))
    relative = officer(village, "吴敏")
    await casework.file(relative, member, FilingState.ACTIVE)
    before = await api.item(cid, relative)
    patched = await api.patch(f"{ITEMS}/{cid}", relative, {"subject": {"kind": "household", "household_id": household}})
    assert (patched.status_code, patched.json()["code"]) == (403, "recusal_required")
    assert await api.item(cid, relative) == before


async def test_a_withdrawal_arriving_first_is_kept(api: ComplaintsApi) -> None:
    relative = officer(new_village(), "郑伟")
    casework = Casework(api)
    await casework.file(relative, fresh_id(), FilingState.WITHDRAWN)
    await casework.file(relative, fresh_id(), FilingState.ACTIVE)
    assert await casework.rows() == [(casework.filing_id, WITHDRAWN_AT)]
