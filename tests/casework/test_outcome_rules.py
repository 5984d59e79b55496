"""The pure review-outcome rules (services/casework/outcome/rules.py): no database, no clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.benefit.rules import BenefitInput, IncomeItem, MemberFacts, SelfCare, calculate
from services.casework.local_figures.figures import Standards
from services.casework.outcome.rules import (
    Member,
    ReviewOutcome,
    ScheduleStep,
    Succession,
    benefit_start,
    gradual_exit_steps,
    succession_after_death,
    suggest_review_outcome,
)

# ---- 渐退 gradual exit ------------------------------------------------------------------------------------------

P = Period.parse


@pytest.mark.parametrize(
    ("last", "start", "schedule", "steps", "stop"),
    [
        pytest.param(
            56000, "2026-09", (100,) * 6, [("2026-09", "2027-02", 100, 56000)], "2027-03", id="100x6-over-new-year"
        ),
        pytest.param(
            33333,
            "2026-10",
            (100, 100, 80, 80, 60, 60),
            [("2026-10", "2026-11", 100, 33333), ("2026-12", "2027-01", 80, 26666), ("2027-02", "2027-03", 60, 20000)],
            "2027-04",
            id="declining-merged-steps",
        ),
        pytest.param(
            12345,
            "2026-12",
            (100, 90, 100),
            [("2026-12", "2026-12", 100, 12345), ("2027-01", "2027-01", 90, 11111), ("2027-02", "2027-02", 100, 12345)],
            "2027-03",
            id="half-fen-rounds-up-and-only-neighbours-merge",
        ),
        pytest.param(56000, "2026-05", (), [], "2026-05", id="no-exit-period"),
    ],
)
def test_gradual_exit_schedule(
    last: int, start: str, schedule: tuple[int, ...], steps: list[tuple[str, str, int, int]], stop: str
) -> None:
    assert gradual_exit_steps(last, P(start), schedule) == (
        tuple(ScheduleStep(P(first), P(end), pct, fen) for first, end, pct, fen in steps),
        P(stop),
    )


@pytest.mark.parametrize(
    ("last", "schedule"),
    [pytest.param(-1, (100,), id="negative-amount"), pytest.param(100, (100, 120), id="above-100-percent")],
)
def test_a_bad_schedule_is_refused(last: int, schedule: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"never negative|between 0 and 100"):
        gradual_exit_steps(last, P("2026-01"), schedule)


@pytest.mark.parametrize(
    ("decided_on", "offset", "first"),
    [
        pytest.param(date(2026, 12, 15), 1, "2027-01", id="december-offset-1"),
        pytest.param(date(2026, 12, 31), 0, "2026-12", id="december-offset-0"),
        pytest.param(date(2026, 11, 30), 1, "2026-12", id="november-offset-1"),
        pytest.param(date(2027, 1, 1), 0, "2027-01", id="new-year-offset-0"),
        pytest.param(date(2026, 12, 1), 2, "2027-02", id="december-offset-2"),
    ],
)
def test_benefit_start(decided_on: date, offset: int, first: str) -> None:
    assert benefit_start(decided_on, offset) == P(first)


def test_a_benefit_never_starts_before_its_decision() -> None:
    with pytest.raises(ValueError, match="never starts before"):
        benefit_start(date(2026, 12, 15), -1)


# ---- suggested review outcome -----------------------------------------------------------------------------------

STANDARDS = Standards(
    dibao_standard_fen=70000,
    tekun_basic_fen=90000,
    tekun_care_self_fen=5000,
    disability_care_grade1_fen=12000,
    disability_care_grade2_fen=9000,
    orphan_allowance_fen=150000,
)
ON = date(2026, 3, 1)


def review(program: Program, monthly_income_fen: int = 0, **facts: Any) -> BenefitInput:
    """A one-person case with `monthly_income_fen` of wages a month."""
    member = MemberFacts(id_number="R", birth_date=facts.pop("born", date(1980, 1, 1)), **facts)
    return BenefitInput(program, (member,), declared_income=(IncomeItem("R", "wages", monthly_income_fen * 12),))


GRADUAL, STOPPED = ReviewOutcome.GRADUAL_EXIT, ReviewOutcome.STOPPED


@pytest.mark.parametrize(
    ("facts", "current", "gain", "outcome", "reason"),
    [
        pytest.param(review(Program.DIBAO, 50000), 20000, False, ReviewOutcome.CONTINUED, "200.00", id="same"),
        pytest.param(review(Program.DIBAO, 50000), 25000, False, ReviewOutcome.ADJUSTED, "250.00 → 200.00", id="lower"),
        pytest.param(review(Program.DIBAO, 45000), 20000, False, ReviewOutcome.ADJUSTED, "调增 raised", id="raise"),
        pytest.param(review(Program.DIBAO, 69999), 1, False, ReviewOutcome.CONTINUED, "0.01", id="699.99-one-fen"),
        pytest.param(review(Program.DIBAO, 70000), 20000, False, GRADUAL, "gradual exit", id="at-standard"),
        pytest.param(review(Program.DIBAO, 104999), 20000, False, GRADUAL, "marginal ceiling", id="1049.99"),
        pytest.param(review(Program.DIBAO, 80000), 20000, True, GRADUAL, "marginal ceiling", id="marginal-with-work"),
        pytest.param(review(Program.DIBAO, 105000), 20000, True, GRADUAL, "found work", id="1050.00-found-work"),
        pytest.param(review(Program.DIBAO, 150000), 20000, True, GRADUAL, "found work", id="far-above-found-work"),
        pytest.param(review(Program.DIBAO, 105000), 20000, False, STOPPED, "not through", id="1050.00-no-work"),
        pytest.param(review(Program.DIBAO_SINGLE, 0), 70000, False, STOPPED, "single-person", id="single-not-severe"),
        pytest.param(
            review(Program.DIBAO_SINGLE, 0, serious_illness=True),
            70000,
            False,
            ReviewOutcome.CONTINUED,
            "700.00",
            id="single-still-ill",
        ),
        pytest.param(review(Program.MARGINAL, 80000), 0, False, ReviewOutcome.CONTINUED, "0.00", id="marginal-same"),
        pytest.param(review(Program.MARGINAL, 105000), 0, True, STOPPED, "150%", id="marginal-above-stops"),
        pytest.param(
            review(Program.TEKUN_DISPERSED, born=date(1950, 1, 1), self_care=SelfCare.SELF),
            95000,
            False,
            ReviewOutcome.CONTINUED,
            "950.00",
            id="tekun-same",
        ),
        pytest.param(
            review(Program.TEKUN_DISPERSED, 95000, born=date(1950, 1, 1), self_care=SelfCare.SELF),
            95000,
            True,
            STOPPED,
            "tekun basic standard",
            id="tekun-income-stops-even-with-work",
        ),
        pytest.param(
            review(Program.DISABILITY_CARE, disability_grade=1),
            9000,
            False,
            ReviewOutcome.ADJUSTED,
            "90.00 → 120.00",
            id="care-grade-2-to-1",
        ),
        pytest.param(review(Program.ORPHAN, born=date(2008, 3, 1)), 150000, False, STOPPED, "18", id="orphan-at-18"),
    ],
)
def test_suggest_review_outcome(
    facts: BenefitInput, current: int, gain: bool, outcome: ReviewOutcome, reason: str
) -> None:
    suggested, why = suggest_review_outcome(calculate(facts, STANDARDS, ON), current, gain)
    assert suggested is outcome
    assert reason in why


# ---- 停旧建新 succession after a death ----------------------------------------------------------------------------

HEAD = Member("110105195001010011", "王建国", "head", date(1950, 1, 1))
SPOUSE = Member("110105195205020022", "李秀英", "spouse", date(1952, 5, 2))
SON = Member("110105198003030033", "王小明", "child", date(1980, 3, 3))
DAUGHTER = Member("110105198507070044", "王小红", "child", date(1985, 7, 7))
GRANDSON = Member("110105201201010055", "王乐乐", "grandchild", date(2012, 1, 1))
GRANDDAUGHTER = Member("110105201506060066", "王欢欢", "grandchild", date(2015, 6, 6))
TWIN = Member("110105198003030077", "王小亮", "child", date(1980, 3, 3))


def as_head(member: Member) -> Member:
    return Member(member.id_number, member.name, "head", member.birth_date)


@pytest.mark.parametrize(
    ("members", "deceased", "expected"),
    [
        pytest.param(
            (HEAD, SPOUSE, SON),
            HEAD,
            Succession(True, (as_head(SPOUSE), SON), SPOUSE.id_number),
            id="head-dies-spouse-succeeds",
        ),
        pytest.param(
            (HEAD, SON, SPOUSE),
            HEAD,
            Succession(True, (SON, as_head(SPOUSE)), SPOUSE.id_number),
            id="spouse-succeeds-wherever-listed",
        ),
        pytest.param(
            (HEAD, DAUGHTER, SON, GRANDSON),
            HEAD,
            Succession(True, (DAUGHTER, as_head(SON), GRANDSON), SON.id_number),
            id="no-spouse-eldest-adult",
        ),
        pytest.param(
            (HEAD, GRANDDAUGHTER, GRANDSON),
            HEAD,
            Succession(True, (GRANDDAUGHTER, as_head(GRANDSON)), GRANDSON.id_number),
            id="only-minors-eldest",
        ),
        pytest.param(
            (HEAD, SON, TWIN), HEAD, Succession(True, (as_head(SON), TWIN), SON.id_number), id="same-birthday-first"
        ),
        pytest.param((HEAD, SPOUSE, SON), SPOUSE, Succession(False, (HEAD, SON), None), id="spouse-dies-adjust"),
        pytest.param((HEAD, SPOUSE, SON), SON, Succession(False, (HEAD, SPOUSE), None), id="child-dies-adjust"),
        pytest.param((HEAD,), HEAD, Succession(True, (), None), id="sole-member-closes"),
        pytest.param((as_head(SON),), SON, Succession(True, (), None), id="sole-member-closes-by-id"),
    ],
)
def test_succession_after_death(members: tuple[Member, ...], deceased: Member, expected: Succession) -> None:
    assert succession_after_death(members, deceased.id_number) == expected


def test_an_unknown_deceased_is_refused() -> None:
    with pytest.raises(ValueError, match="not a member"):
        succession_after_death((HEAD, SPOUSE), SON.id_number)
