"""What the public page (信息公开) may show of a recipient household: the rules, pure, for the standing posting.

Seed 000 五(一) asks for a standing posting (长期公示) of the households helped, "孤儿及艾滋病儿童除外", protecting
their privacy and publishing nothing unrelated to the assistance; DOMAIN.md §11 lists what a posting may show:
village, masked name, household size, program, amount. The public page is read by anyone, so it is stricter than the
village's own posting: no child is ever named or shown receiving anything.

- A household with any current children's allowance (孤儿, 艾滋病病毒感染儿童, 事实无人抚养儿童: `NEVER_PUBLISHED`) is
  not shown at all: even its other lines (a grandparent's dibao) would point at the child.
- A household is named by its head; a head under 18 (a child-headed household) hides the whole household.
- A per-person line whose beneficiary is under 18 (a disabled child's subsidy) is not shown.
- Only current lines (suspended ones too: still recipients, DOMAIN.md §3) and never identity numbers or addresses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from libs.contracts.ages import age_on
from libs.contracts.entitlements import is_current
from libs.contracts.id_number import mask_name
from libs.contracts.programs import NEVER_PUBLISHED
from services.casework.registry.state import HouseholdState

ADULT_YEARS = 18


@dataclass(frozen=True, slots=True)
class ShownLine:
    name_masked: str
    household_size: int
    program: str
    monthly_amount_fen: int


def is_child(born: dt.date, day: dt.date) -> bool:
    return age_on(born, day) < ADULT_YEARS


def shown_lines(state: HouseholdState, day: dt.date) -> list[ShownLine]:
    """The lines of the public posting for one household on `day` (none where the household is not shown)."""
    current = [e for e in state.entitlements if is_current(e.status)]
    if any(e.program in NEVER_PUBLISHED for e in current):
        return []
    head = state.head()
    if head is None or is_child(head.birth_date, day):
        return []
    lines = []
    for entitlement in current:
        beneficiary = state.member(entitlement.beneficiary_id_number or "")
        if beneficiary is not None and is_child(beneficiary.birth_date, day):
            continue
        lines.append(
            ShownLine(mask_name(head.name), len(state.members), entitlement.program, entitlement.monthly_amount_fen)
        )
    return lines
