"""Issue 8, scenario A: one household from its application to a payment finance reports made, every service its own
process behind the gateway (DOMAIN.md §3, §9; CONTRACTS.md §3, §5, §6).

What the people along the way would check: the township sees the application accepted with its deadline; the case
waits for matching's registry check and shows it per member; the proposal's amount is the county's standard for
three less the income the investigation verified, and the village posting shows it without identity numbers for the
county's publicity days; the county's confirmation closes the application in intake and pays from the month after;
disbursement's ledger holds that amount from that month with the household's account; the county's roster for that
month has one line for the household at that amount; finance pulls the line with the payee and account in full and
its payment is recorded on the line and the roster. Then every step runs again, as after a crash between two steps,
and nothing is there twice: one application, case, household, entitlement, roster and roster line, one payment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from libs.contracts.period import Period
from libs.kernel.settings import BaseServiceSettings
from tests.e2e.journey_payment import (
    Journey,
    assert_applied_once,
    cast_for,
    journey,
    new_family,
)
from tests.e2e.system import WholeSystem, new_county
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(900)  # the whole system's start-up, the broker's latency and a worker's job period

DIBAO_STANDARD = "820.00"
PUBLICITY_DAYS = 5


def _expected_amount(j: Journey) -> str:
    """The county's standard for each member less the household's monthly income as verified (seed 004 二(四))."""
    members = len(j.family.members)
    monthly_income = Decimal(j.family.verified_wages_12_months) / 12
    return f"{Decimal(DIBAO_STANDARD) * members - monthly_income:.2f}"


def _mentions_personal_data(value: Any, j: Journey) -> bool:
    text = str(value)
    return any(secret in text for secret in j.family.personal_data())


@pytest.fixture(scope="module")
async def paid(whole_system: WholeSystem) -> Journey:
    family = new_family(whole_system, new_county())
    cast = await cast_for(whole_system, family)
    return await journey(whole_system, family, cast, dibao_standard=DIBAO_STANDARD, publicity_days=PUBLICITY_DAYS)


async def test_an_application_becomes_a_paid_roster_line(paid: Journey) -> None:
    j = paid
    amount = _expected_amount(j)
    assert amount == "1560.00"  # 820.00 × 3 − 10,800.00 / 12

    # The county's figures, in force today.
    assert (j.standard.dibao_standard, j.standard.publicity_days) == (DIBAO_STANDARD, PUBLICITY_DAYS)
    assert (j.feed.source, j.feed.status, j.feed.rows_loaded, j.feed.rows_rejected) == ("death", "done", 1, 0)

    # Intake: accepted (受理), the statutory clock running.
    assert j.application.status == "accepted"
    assert j.application.due_date is not None
    assert j.application.application_no

    # Matching checked every member against the registries before anything else (逢进必核).
    v = j.verification
    assert v.case_status == "investigating"
    members_checked = {masked for masked, _ in v.findings}
    assert len(members_checked) == len(j.family.members)
    assert all("*" in masked for masked in members_checked)
    assert {masked for (masked, source), outcome in v.findings.items() if source == "death"} == members_checked
    assert {outcome for (_, source), outcome in v.findings.items() if source == "death"} == {"clear"}
    assert "finding" not in set(v.findings.values())
    assert v.pending_in_matching == 1

    # The home investigation by two officers.
    inv = j.investigation
    assert inv["status"] == "township_review"
    assert len(inv["investigations"]) == 1
    assert len(inv["investigations"][0]["investigators"]) == 2

    # The proposal, calculated from the county's standard and the verified wages, posted in the village.
    p = j.publicity
    assert p.case["status"] == "publicity"
    assert p.proposed_amount == amount
    assert p.case["calculation"][-1]["amount"] == amount
    assert p.ends_on == p.proposed_on + dt.timedelta(days=PUBLICITY_DAYS)
    [posted] = p.posting
    assert (posted["household_size"], posted["program"], posted["monthly_amount"]) == (3, "dibao", amount)
    assert posted["ends_on"] == p.ends_on.isoformat()
    assert "*" in posted["name_masked"]
    posting_leaks = _mentions_personal_data(p.posting, j)
    assert not posting_leaks, "the village posting shows an identity number or the account"

    # Publicity over without objection: the worker moved the case on, and only the county may confirm.
    c = j.confirmation
    assert c["status"] == "confirmation"
    assert [h["actor"] for h in c["history"] if h["action"] == "publicity_ended"] == ["publicity"]

    # The county's confirmation: approved, paid from the month after the decision; intake closed the application.
    d = j.decision
    assert (d.outcome, d.amount) == ("approved", amount)
    assert d.effective_month == str(Period.of(d.decided_on) + 1)
    assert d.application["status"] == "decided"
    decided = d.application["decision"]
    assert (decided["case_id"], decided["outcome"], decided["effective_month"]) == (
        d.case_id,
        "approved",
        d.effective_month,
    )

    # Disbursement's ledger: the amount from that month, the household's account, nothing held.
    e = j.entitlement
    assert (e.program, e.amount, e.first_period) == ("dibao", amount, d.effective_month)
    assert e.status == "active"
    assert [x["entitlement_id"] for x in e.file["entitlements"]] == [e.entitlement_id]
    assert e.file["entitlements"][0]["member_count"] == 3
    assert (e.account["bank_code"], e.account["status"]) == (j.family.bank_code, "ok")
    assert e.account["account_no_masked"].endswith(j.family.account_no[-4:])
    assert "*" in e.account["account_no_masked"]
    assert [h for h in e.file["holds"] if h["released_at"] is None] == []

    # The county's roster for the benefit month, submitted: one line, the household's, at the amount.
    line = j.line
    assert (line.period, line.roster_status) == (d.effective_month, "submitted")
    assert (line.household_id, line.program, line.amount) == (d.household_id, "dibao", amount)
    assert [(i["kind"], i["amount"]) for i in line.line["items"]] == [("regular", amount)]
    assert "*" in line.line["payee_name_masked"]
    assert "*" in line.line["account_no_masked"]
    assert (line.roster["line_count"], line.roster["total_amount"]) == (1, amount)
    assert line.roster["totals_by_program"]["dibao"]["total"] == amount

    # Finance: the submitted roster of the month, the line with the payee and account in full.
    pay = j.payment
    fr = pay.finance_roster
    assert (fr["period"], fr["region_code"], fr["status"]) == (d.effective_month, j.family.county, "submitted")
    assert (fr["line_count"], fr["total_amount"], fr["totals_by_program"]) == (1, amount, {"dibao": amount})
    assert fr["checksum"].startswith("sha256:")
    pulled = pay.pulled
    assert (pulled["household_id"], pulled["program"], pulled["period"], pulled["amount"]) == (
        d.household_id,
        "dibao",
        d.effective_month,
        amount,
    )
    assert pulled["payee_name"] == j.family.head.name
    payee_is_the_head = pulled["payee_id_number"] == j.family.head.id_number
    assert payee_is_the_head, "the line pays someone other than the applicant"
    to_the_account = (pulled["bank_code"], pulled["account_no"]) == (j.family.bank_code, j.family.account_no)
    assert to_the_account, "the line pays into another account than the one declared"

    # The payment result, recorded on the line and the roster.
    assert (pay.accepted, pay.unchanged) == (1, 0)
    assert (pay.line["status"], pay.line["bank_txn_id"]) == ("paid", pay.bank_txn_id)
    assert pay.line["paid_at"] is not None
    r = pay.roster
    assert (r["status"], r["paid_lines"], r["paid_amount"], r["failed_lines"]) == ("paid", 1, amount, 0)


async def test_every_step_run_again_changes_nothing(paid: Journey, whole_system: WholeSystem) -> None:
    first = paid
    again = await journey(
        whole_system, first.family, first.cast, dibao_standard=DIBAO_STANDARD, publicity_days=PUBLICITY_DAYS
    )
    assert again.application.application_id == first.application.application_id
    assert again.application.case_id == first.application.case_id
    assert again.decision.household_id == first.decision.household_id
    assert again.entitlement.entitlement_id == first.entitlement.entitlement_id
    assert (again.line.roster_id, again.line.line_id) == (first.line.roster_id, first.line.line_id)
    # The same result posted again is recognised, not applied twice.
    assert (again.payment.accepted, again.payment.unchanged) == (0, 1)

    await assert_applied_once(first)


async def test_the_gateways_audit_says_who_decided_and_who_took_the_roster(
    paid: Journey, whole_system: WholeSystem
) -> None:
    """The access audit of the running gateway holds, without waiting for a shutdown, what the services said each
    request did: the county's decision on the case, the roster locked and submitted, finance's reading of the lines
    with their account numbers (issue 17: "who read which identity or account number, who decided what")."""
    j = paid
    settings = BaseServiceSettings(database_url=whole_system.stack.database_url)
    engine = create_async_engine(settings.async_database_url)

    async def notes() -> set[tuple[str, str]]:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT action, target FROM gateway.access_audit WHERE target IN (:case, :roster)"),
                {"case": f"case/{j.application.case_id}", "roster": f"roster/{j.line.roster_id}"},
            )
            return {(r[0], r[1]) for r in rows}

    try:
        expected = {
            ("case.decided", f"case/{j.application.case_id}"),
            ("roster.locked", f"roster/{j.line.roster_id}"),
            ("roster.submitted", f"roster/{j.line.roster_id}"),
            ("roster.lines_read", f"roster/{j.line.roster_id}"),
        }
        assert await wait_until(notes, lambda found: expected <= found, timeout=30) >= expected
    finally:
        await engine.dispose()
