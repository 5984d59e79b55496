"""Pure rules of an application: consistency, eligibility by age and condition, conflicts, transitions. No I/O.

Each violation names the field it is about (its `loc` in the request body), so the officer sees exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from libs.contracts.disability import severely_disabled
from libs.contracts.id_number import IdNumber
from libs.contracts.money import Money
from libs.contracts.programs import CHILDREN_ALLOWANCES, Program
from services.intake.application.schemas import (
    ApplicationIn,
    ApplicationStatus,
    Channel,
    Health,
    LabourCapacity,
    MemberIn,
    Relation,
)
from services.intake.local_figures.rules import ProcedureFigures

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    loc: Loc
    code: str
    msg: str


# The most one declared figure may be (a year's income of one kind, an expenditure, an asset's value, a supporter's
# monthly help): 100 million yuan. Far above any applicant's means, it still keeps the sums casework computes from
# hundreds of figures within range; beyond it is a typo or a hostile figure (issue 17), refused at the door.
DECLARED_CEILING = Money.from_str("100000000.00")

# Programs paid to a household as a whole: every member living together is part of the claim (DOMAIN.md §2).
HOUSEHOLD_PROGRAMS = frozenset({Program.DIBAO, Program.MARGINAL})

# Basic-living programs exclude each other; 单人保 exists precisely for a member of a marginal household, so it
# does not conflict with `marginal`.
_BASIC_CASH = frozenset({Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED})
_MARGINAL_EXCLUDES = frozenset({Program.DIBAO, Program.MARGINAL, Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED})


def programs_conflict(a: Program, b: Program) -> bool:
    """Whether one person may not be in an application (or a recipient household) for `a` and for `b` at once."""
    if a == b:
        return True
    pair = {a, b}
    if pair <= _BASIC_CASH or pair <= CHILDREN_ALLOWANCES:
        return True
    return Program.MARGINAL in pair and pair <= _MARGINAL_EXCLUDES


def claimed_id_numbers(app: ApplicationIn) -> list[str]:
    """The people an application claims: all members for household programs, else the applicant alone."""
    if app.program in HOUSEHOLD_PROGRAMS:
        return [m.id_number for m in app.members]
    return [app.applicant_id_number]


def _eligibility(
    app: ApplicationIn, applicant: MemberIn, loc: Loc, today: dt.date, figures: ProcedureFigures
) -> Iterable[Violation]:
    age = IdNumber.parse(applicant.id_number).age_on(today)
    p = app.program
    if p in CHILDREN_ALLOWANCES and age >= 18:
        yield Violation(loc, "age_not_eligible", f"{p.value} is for children under 18; the applicant is {age}")
    elif p is Program.ELDERLY_HIGH_AGE and age < figures.high_age_min_years:
        yield Violation(
            loc,
            "age_not_eligible",
            f"the high-age allowance starts at {figures.high_age_min_years}; the applicant is {age}",
        )
    elif p is Program.ELDERLY_DISABLED and age < 60:
        yield Violation(loc, "age_not_eligible", f"the disabled-elderly subsidy starts at 60; the applicant is {age}")
    elif p in (Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED, Program.TEKUN_CARE):
        # 特困: no capacity to work: aged 60+, under 16, or severely disabled (DOMAIN.md §2).
        unable = (
            age >= 60 or age < 16 or severely_disabled(applicant) or applicant.labour_capacity is LabourCapacity.NONE
        )
        if not unable:
            yield Violation(
                loc,
                "age_not_eligible",
                f"tekun needs age 60+, under 16, a severe disability or no labour capacity; the applicant is {age}",
            )
    elif p is Program.DIBAO_SINGLE:
        if not (severely_disabled(applicant) or applicant.health is Health.SERIOUS_ILLNESS):
            yield Violation(
                loc,
                "single_person_condition_not_met",
                "单人保 needs a serious illness, disability grade 1–2, or grade 3 intellectual or mental disability",
            )
    elif p is Program.DISABILITY_CARE and not severely_disabled(applicant):
        yield Violation(
            loc, "disability_not_eligible", "the care subsidy needs disability grade 1–2 (or 3 intellectual/mental)"
        )
    elif p is Program.DISABILITY_LIVING and applicant.disability_grade is None:
        yield Violation(loc, "disability_not_eligible", "the living subsidy needs a certified disability")


def check_application(app: ApplicationIn, *, today: dt.date, figures: ProcedureFigures) -> list[Violation]:
    """Everything wrong with the content of `app` as declared, whatever its status."""
    out: list[Violation] = []
    ids = [m.id_number for m in app.members]
    seen: set[str] = set()
    for i, id_number in enumerate(ids):
        if id_number in seen:
            out.append(Violation(("members", i, "id_number"), "duplicate_member", "this person is listed twice"))
        seen.add(id_number)
    heads = [i for i, m in enumerate(app.members) if m.relation is Relation.HEAD]
    if len(heads) != 1:
        out.append(Violation(("members",), "one_head_required", f"exactly one member is the head, not {len(heads)}"))
    for i, m in enumerate(app.members):
        if (m.disability_kind is None) != (m.disability_grade is None):
            out.append(
                Violation(("members", i, "disability_grade"), "disability_incomplete", "give both kind and grade")
            )
    members = set(ids)
    if app.applicant_id_number not in members:
        out.append(
            Violation(("applicant_id_number",), "applicant_not_member", "the applicant must be one of the members")
        )
    else:
        index = ids.index(app.applicant_id_number)
        out.extend(_eligibility(app, app.members[index], ("members", index, "id_number"), today, figures))
    owners: list[tuple[str, int, str | None]] = [("income", i, x.member_id_number) for i, x in enumerate(app.income)]
    owners += [("assets", i, x.member_id_number) for i, x in enumerate(app.assets)]
    for field, i, owner in owners:
        if owner is not None and owner not in members:
            out.append(Violation((field, i, "member_id_number"), "not_a_member", "not a member of the household"))
    for i, obligor in enumerate(app.obligors):
        if obligor.id_number in members:
            out.append(
                Violation(("obligors", i, "id_number"), "obligor_is_member", "an obligor lives apart: not a member")
            )
    if app.bank_account is not None and app.bank_account.holder_id_number not in members:
        out.append(
            Violation(("bank_account", "holder_id_number"), "not_a_member", "the account holder must be a member")
        )
    out.extend(_channel(app))
    out.extend(_close_relative(app, members))
    out.extend(_declared_amounts(app))
    return out


def _declared_amounts(app: ApplicationIn) -> Iterable[Violation]:
    figures: list[tuple[Loc, str | None]] = [
        *((("income", i, "amount_12_months"), x.amount_12_months) for i, x in enumerate(app.income)),
        *((("expenditure", i, "amount_12_months"), x.amount_12_months) for i, x in enumerate(app.expenditure)),
        *((("assets", i, "value"), x.value) for i, x in enumerate(app.assets)),
        *((("obligors", i, "support_monthly"), x.support_monthly) for i, x in enumerate(app.obligors)),
    ]
    for loc, amount in figures:
        if amount is not None and Money.from_str(amount) > DECLARED_CEILING:
            yield Violation(loc, "amount_above_ceiling", f"a declared figure is at most {DECLARED_CEILING}")


def _channel(app: ApplicationIn) -> Iterable[Violation]:
    if app.channel is Channel.PROXY and app.proxy is None:
        yield Violation(("proxy",), "proxy_required", "a proxy application names the proxy")
    if app.channel is not Channel.PROXY and app.proxy is not None:
        yield Violation(("proxy",), "proxy_without_proxy_channel", "only the proxy channel names a proxy")
    if app.channel is Channel.REFERRAL and app.lead_id is None:
        yield Violation(("lead_id",), "lead_required", "a referral names the lead it comes from")
    if app.lead_id is not None and app.channel is not Channel.REFERRAL:
        yield Violation(("channel",), "referral_channel_required", "an application from a lead uses channel referral")
    if app.emergency and app.program is not Program.TEMPORARY:
        yield Violation(("emergency",), "emergency_only_temporary", "only temporary assistance has an emergency path")


def _close_relative(app: ApplicationIn, members: set[str]) -> Iterable[Violation]:
    declaration = app.declarations.close_relative
    loc: Loc = ("declarations", "close_relative", "relatives")
    if declaration.declared and not declaration.relatives:
        yield Violation(loc, "relative_details_required", "name the staff member and the relation")
    if not declaration.declared and declaration.relatives:
        yield Violation(loc, "relatives_not_declared", "relatives are listed but the declaration says none")
    for i, relative in enumerate(declaration.relatives):
        if relative.member_id_number not in members:
            yield Violation((*loc, i, "member_id_number"), "not_a_member", "not a member of the household")


def submission_violations(app: ApplicationIn) -> list[Violation]:
    """What must hold before an application can be submitted, beyond its content being consistent."""
    out: list[Violation] = []
    if not app.declarations.truthfulness_commitment:
        out.append(
            Violation(
                ("declarations", "truthfulness_commitment"), "declaration_required", "the commitment must be signed"
            )
        )
    if not app.declarations.verification_authorisation:
        out.append(
            Violation(
                ("declarations", "verification_authorisation"),
                "declaration_required",
                "economic verification must be authorised (逢进必核)",
            )
        )
    # Marginal households get targeted aid, not monthly cash by default (DOMAIN.md §2): no account needed.
    if app.bank_account is None and app.program is not Program.MARGINAL:
        out.append(Violation(("bank_account",), "bank_account_required", "a paid program needs the payment account"))
    return out


# Which status each action starts from (DOMAIN.md §3): anything else is a 409 naming the current status.
ALLOWED_FROM: dict[str, frozenset[ApplicationStatus]] = {
    "update": frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}),
    "submit": frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}),
    "accept": frozenset({ApplicationStatus.SUBMITTED}),
    "return": frozenset({ApplicationStatus.SUBMITTED}),
    "extend": frozenset({ApplicationStatus.ACCEPTED}),
    "withdraw": frozenset(
        {
            ApplicationStatus.DRAFT,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.RETURNED,
            ApplicationStatus.ACCEPTED,
        }
    ),
}
