"""The API of standard raises: what a county asks for, the preview it reads, the batch it follows."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, StringConstraints

from libs.contracts.models import Input
from libs.contracts.money import Money
from services.casework.raises.policy import Sums, Tally
from services.casework.schemas import CountyCode

Month = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$")]


class RaiseIn(Input):
    """A raise of the county's figures from a month: every recipient's amount recalculated from that month."""

    county_code: CountyCode
    effective_month: Month


class SumsOut(BaseModel):
    count: int  # entitlements whose amount changes
    monthly_before: str
    monthly_after: str
    difference: str

    @classmethod
    def of(cls, s: Sums) -> SumsOut:
        return cls(
            count=s.count,
            monthly_before=Money.from_fen(s.before_fen).to_str(),
            monthly_after=Money.from_fen(s.after_fen).to_str(),
            difference=Money.from_fen(s.after_fen - s.before_fen).to_str(),
        )


class MarginalOut(BaseModel):
    """Marginal households whose per-capita income is below the new dibao standard: to review for dibao."""

    count: int
    household_ids: list[str]  # the first ones, by the count's order; at most 200


class PreviewOut(BaseModel):
    county_code: str
    effective_month: str
    entitlements: int  # recalculated
    households: int  # whose amount changes
    persons: int  # members of those households
    total: SumsOut
    by_program: dict[str, SumsOut]
    by_township: dict[str, SumsOut]
    # Left as they are and to be reviewed by hand: no case to read the facts from, a figure not set, no longer
    # eligible on the case's facts, or beyond the program's ceiling.
    for_review: int
    marginal_newly_eligible: MarginalOut
    # Gradual exits (a fixed schedule of the last amount) and temporary assistance are not recalculated.
    excluded: str = "gradual_exit, temporary"

    @classmethod
    def of(cls, county_code: str, month: str, t: Tally) -> PreviewOut:
        return cls(
            county_code=county_code,
            effective_month=month,
            entitlements=t.entitlements,
            households=len(t.households),
            persons=t.persons,
            total=SumsOut.of(t.total),
            by_program={k: SumsOut.of(v) for k, v in sorted(t.by_program.items())},
            by_township={k: SumsOut.of(v) for k, v in sorted(t.by_township.items())},
            for_review=t.review,
            marginal_newly_eligible=MarginalOut(count=t.marginal_count, household_ids=t.marginal),
        )


class BatchOut(BaseModel):
    batch_id: str
    county_code: str
    effective_month: str
    status: str  # running, done
    total: int  # households in scope
    done: int  # households recalculated so far
    changed: int  # entitlements changed so far
    created_at: AwareDatetime
    updated_at: AwareDatetime
    finished_at: AwareDatetime | None
