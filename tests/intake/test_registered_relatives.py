"""Recusal for relatives in casework's close-relative register (DOMAIN.md §7), which intake learns from
`close-relative-filing-changed`: a filed staff member is refused on the relative's applications and leads even when
the application declares nothing, and may act again once the filing is withdrawn. Every event is delivered twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.intake.application.models import Application, ApplicationHistory, ApplicationVersion
from services.intake.db import tables
from services.intake.definition import DEFINITION as INTAKE
from services.intake.lead.models import Lead
from services.intake.relatives.models import RegisteredRelative
from tests.intake.support import IntakeApi, application_body, fresh_id, new_village, staff
from tests.support.delivery import Consumers

APPS = "/api/v1/intake/applications"
LEADS = "/api/v1/intake/leads"
FILED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def officer(village: str, name: str) -> Principal:
    return staff(StaffRole.township_officer, village[:9], name=name)


class Register:
    """Casework's register as intake's consumer receives it: each event twice, as after a redelivery."""

    def __init__(self, api: IntakeApi) -> None:
        settings = INTAKE.settings()
        runtime = Runtime(INTAKE, settings, api.db, Outbox(tables.outbox, settings))
        self.api = api
        self.consumers = Consumers(api.db, tables, settings, INTAKE.subscriptions(runtime))
        self.filing_id = str(uuid.uuid4().int % 10**12)

    async def send(self, who: Principal, relative_id: str, state: FilingState, *, by_user: bool = True) -> None:
        payload = CloseRelativeFilingChanged(
            filing_id=self.filing_id,
            state=state,
            staff_user=who.subject if by_user else None,
            staff_name=who.display_name,
            relative_id_number=relative_id,
            changed_at=FILED_AT if state is FilingState.ACTIVE else WITHDRAWN_AT,
        )
        event = new_event(
            payload.event_type, source="casework", subject=f"close-relative/{self.filing_id}", data=payload
        )
        await self.consumers.deliver(event, times=2)

    async def rows(self) -> list[tuple[str, datetime | None]]:
        async with self.api.db.sessions() as s:
            stmt = select(RegisteredRelative.filing_id, RegisteredRelative.withdrawn_at).where(
                RegisteredRelative.filing_id == self.filing_id
            )
            return [(f, w) for f, w in (await s.execute(stmt)).all()]


async def snapshot(api: IntakeApi) -> tuple[int, ...]:
    """Row counts of everything an action could write: equal before and after means nothing changed."""
    async with api.db.sessions() as s:
        return tuple(
            [
                int((await s.execute(select(func.count()).select_from(t))).scalar_one())
                for t in (Application, ApplicationVersion, ApplicationHistory, Lead, tables.outbox)
            ]
        )


async def post(api: IntakeApi, who: Principal, url: str, body: Any = None) -> tuple[int, str]:
    r = await api.post(url, who, body)
    return r.status_code, (r.json().get("code", "") if r.status_code >= 400 else "")


async def test_a_registered_relative_may_not_accept_or_extend_until_the_filing_is_withdrawn(api: IntakeApi) -> None:
    api.clock.set_day(date(2026, 3, 2))
    village = new_village()
    relative, colleague = officer(village, "赵红梅"), officer(village, "钱卫东")
    body = application_body(village)  # declares no close relative
    created = await api.post(APPS, colleague, body)
    assert created.status_code == 201, created.text
    app_id = created.json()["application_id"]
    assert await post(api, colleague, f"{APPS}/{app_id}/submit") == (200, "")
    register = Register(api)

    # Filed in casework as the spouse's sibling: the event, delivered twice, is one filing.
    await register.send(relative, body["members"][1]["id_number"], FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, None)]

    before = await snapshot(api)
    assert await post(api, relative, f"{APPS}/{app_id}/accept") == (403, "recusal_required")
    assert await post(api, relative, f"{APPS}/{app_id}/return", {"missing": [{"item": "户口簿"}]}) == (
        403,
        "recusal_required",
    )
    assert (await api.get(f"{APPS}/{app_id}/content", relative)).status_code == 403
    assert await snapshot(api) == before

    assert await post(api, colleague, f"{APPS}/{app_id}/accept") == (200, "")
    before = await snapshot(api)
    assert await post(api, relative, f"{APPS}/{app_id}/extend", {"reason": "需入户调查"}) == (403, "recusal_required")
    assert await post(api, relative, f"{APPS}/{app_id}/withdraw", {"reason": "x"}) == (403, "recusal_required")
    assert await snapshot(api) == before

    # Withdrawn (twice), then the filing event redelivered late: the filing stays withdrawn, and the officer may act.
    await register.send(relative, body["members"][1]["id_number"], FilingState.WITHDRAWN)
    await register.send(relative, body["members"][1]["id_number"], FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, WITHDRAWN_AT)]
    assert await post(api, relative, f"{APPS}/{app_id}/extend", {"reason": "需入户调查"}) == (200, "")


async def test_a_registered_relative_found_by_name_may_not_file_or_edit(api: IntakeApi) -> None:
    api.clock.set_day(date(2026, 3, 2))
    village = new_village()
    relative, colleague = officer(village, "孙丽"), officer(village, "周强")
    body = application_body(village)
    register = Register(api)
    # A filing without a user id (a village committee member without an account) is matched on the real name.
    await register.send(relative, body["members"][2]["id_number"], FilingState.ACTIVE, by_user=False)

    before = await snapshot(api)
    assert await post(api, relative, APPS, body) == (403, "recusal_required")
    assert await snapshot(api) == before
    created = await api.post(APPS, colleague, body)
    assert created.status_code == 201, created.text
    app_id = created.json()["application_id"]
    before = await snapshot(api)
    r = await api.put(f"{APPS}/{app_id}", relative, body)
    assert (r.status_code, r.json()["code"]) == (403, "recusal_required")
    assert await post(api, relative, f"{APPS}/{app_id}/submit") == (403, "recusal_required")
    assert await snapshot(api) == before


async def test_a_withdrawal_arriving_first_is_kept(api: IntakeApi) -> None:
    village = new_village()
    relative = officer(village, "吴敏")
    register = Register(api)
    await register.send(relative, fresh_id(date(1980, 1, 1)), FilingState.WITHDRAWN)
    await register.send(relative, fresh_id(date(1980, 1, 1)), FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, WITHDRAWN_AT)]


async def test_a_registered_relative_may_not_close_or_assign_the_relatives_lead(api: IntakeApi) -> None:
    village = new_village()
    person = fresh_id(date(1962, 4, 9))
    referral = {
        "region_code": village,
        "person": {"name": "赵大海", "id_number": person, "phone": "13800000000"},
        "kind": "serious_illness",
        "detail": "入户走访发现：户主重病住院",
    }
    referred = await api.post(LEADS, staff(StaffRole.village_assistant, village), referral)
    assert referred.status_code == 201, referred.text
    lead_id = referred.json()["lead_id"]
    relative, colleague = officer(village, "郑伟"), officer(village, "王芳")
    await Register(api).send(relative, person, FilingState.ACTIVE)

    before = await snapshot(api)
    assert await post(api, relative, f"{LEADS}/{lead_id}/close", {"reason": "declined", "note": "x"}) == (
        403,
        "recusal_required",
    )
    assert await post(api, relative, f"{LEADS}/{lead_id}/assign", {"region_code": village}) == (
        403,
        "recusal_required",
    )
    assert await snapshot(api) == before
    assert await post(api, colleague, f"{LEADS}/{lead_id}/close", {"reason": "declined", "note": "本人暂不申请"}) == (
        200,
        "",
    )
