"""Verification of applicants (DOMAIN.md §3.4 逢进必核, §5): a report, never a hit.

Every member and obligor is checked against every source: `finding` where a rule applies (with the rules and the
records), `clear` where the source was checked and holds nothing that matters, `unavailable` where no feed of the
source had been loaded. Feeds are global to the session, so the tests assert on their own people, and about
`unavailable` they assert the invariant (unavailable iff no current feed of the source existed) rather than which
sources other tests happened to load.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.events.intake import ApplicationSubmitted, ApplicationWithdrawn
from libs.contracts.events.matching import FindingOutcome, VerificationCompleted, VerificationFinding
from services.matching.rules.defaults import DEFAULT_RULES
from services.matching.rules.spec import Role, RuleSpec
from services.matching.sources import SOURCES
from services.matching.verification.models import Verification
from services.matching.verification.service import _findings_statement
from tests.matching.flow_support import (
    TODAY,
    car,
    died,
    firm,
    load,
    load_latest,
    loaded_sources,
    new_household_id,
    reports,
)
from tests.matching.support import Broker, MatchingApi, application, decided, fresh_id, member, obligor


def _by_key(report: VerificationCompleted) -> dict[tuple[str, str], VerificationFinding]:
    return {(f.member_id_number, f.source): f for f in report.findings}


def _records(finding: VerificationFinding) -> list[dict[str, Any]]:
    records = finding.evidence["records"]
    assert isinstance(records, list)
    return [r for r in records if isinstance(r, dict)]


async def _submit(broker: Broker, submitted: ApplicationSubmitted) -> None:
    await broker.deliver(submitted, subject=f"application/{submitted.application_id}")


async def test_one_finding_per_person_and_source(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    m1, m2, o = fresh_id(), fresh_id(date(1950, 1, 2)), fresh_id(date(1965, 3, 4))
    business = await load_latest(api, "business", [firm(m1, "张三丰", code="91140000TESTCODE01")])
    deaths = await load(api, "death", [died(m2, "李四", on="2026-09-30")])
    loaded = await loaded_sources(api)
    submitted = application([member(m1), member(m2, "李四", "spouse")], obligors=[obligor(o)])
    await _submit(broker, submitted)

    [report] = await reports(api, submitted.application_id)
    findings = _by_key(report)
    assert len(report.findings) == 3 * len(SOURCES)
    assert set(findings) == {(p, s) for p in (m1, m2, o) for s in SOURCES}

    on_business = findings[(m1, "business")]
    assert on_business.outcome is FindingOutcome.FINDING
    assert on_business.evidence["rules"] == ["business_registration"]
    [record] = _records(on_business)
    assert (record["source"], record["feed_id"], record["credit_code"]) == (
        "business",
        business["feed_id"],
        "91140000TESTCODE01",
    )
    # An applicant's death is a finding in the report (DOMAIN.md §5), not a death-detected event.
    on_death = findings[(m2, "death")]
    assert on_death.outcome is FindingOutcome.FINDING
    assert on_death.evidence["rules"] == ["death_member"]
    [death_record] = _records(on_death)
    assert (death_record["event_date"], death_record["feed_id"]) == ("2026-09-30", deaths["feed_id"])

    # Everything else: clear where a feed of the source was current, unavailable (saying so) where none was.
    for (person, source), finding in findings.items():
        if (person, source) in {(m1, "business"), (m2, "death")}:
            continue
        expected = FindingOutcome.CLEAR if source in loaded else FindingOutcome.UNAVAILABLE
        assert finding.outcome is expected, (source, finding)
        if expected is FindingOutcome.UNAVAILABLE:
            assert "no feed" in finding.detail
            assert finding.evidence == {}
    assert {"business", "death"} <= loaded


async def test_report_is_stored_with_its_counts(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    m1 = fresh_id()
    await load_latest(api, "business", [firm(m1)])
    loaded = await loaded_sources(api)
    submitted = application([member(m1)])
    await _submit(broker, submitted)
    [report] = await reports(api, submitted.application_id)
    async with api.db.sessions() as s:
        stored = await s.get(Verification, report.verification_id)
    assert stored is not None
    assert (stored.trigger, stored.people_checked, stored.sources_checked, stored.findings) == (
        "submitted",
        1,
        len(loaded),
        1,
    )


async def test_obligor_is_checked_with_the_obligor_rules(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    m1, o = fresh_id(), fresh_id(date(1963, 5, 6))
    await load_latest(api, "vehicle", [car(o, "李赡养")])
    submitted = application([member(m1)], obligors=[obligor(o)])
    await _submit(broker, submitted)
    [report] = await reports(api, submitted.application_id)
    findings = _by_key(report)
    assert findings[(o, "vehicle")].outcome is FindingOutcome.FINDING
    assert findings[(o, "vehicle")].evidence["rules"] == ["vehicle_obligor"]
    assert findings[(m1, "vehicle")].outcome is FindingOutcome.CLEAR


async def test_the_same_application_twice_gives_one_report(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    submitted = application([member(fresh_id())])
    await _submit(broker, submitted)  # delivered twice
    await broker.deliver(submitted, subject="application", times=1)  # and republished as a new event
    assert len(await reports(api, submitted.application_id)) == 1
    async with api.db.sessions() as s:
        stored = (
            await s.scalars(select(Verification).where(Verification.application_id == submitted.application_id))
        ).all()
    assert len(stored) == 1


async def test_only_the_latest_vehicle_feed_counts(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    sold, kept = fresh_id(), fresh_id()
    await load_latest(api, "vehicle", [car(sold), car(kept, "李四", plate="晋A00001")])
    # The register as it is now: the first car is gone (sold or scrapped), the second is still there.
    newest = await load_latest(api, "vehicle", [car(kept, "李四", plate="晋A00001"), car(fresh_id(), "王五")])
    submitted = application([member(sold), member(kept, "李四", "spouse")])
    await _submit(broker, submitted)
    [report] = await reports(api, submitted.application_id)
    findings = _by_key(report)
    assert findings[(sold, "vehicle")].outcome is FindingOutcome.CLEAR
    assert findings[(kept, "vehicle")].outcome is FindingOutcome.FINDING
    assert findings[(kept, "vehicle")].evidence["rules"] == ["vehicle_not_deregistered"]
    [record] = _records(findings[(kept, "vehicle")])
    assert (record["feed_id"], record["plate"]) == (newest["feed_id"], "晋A00001")


async def test_new_feed_with_a_finding_reverifies_a_pending_application(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    m1, m2 = fresh_id(), fresh_id()
    submitted = application([member(m1), member(m2, "李四", "son")])
    await _submit(broker, submitted)
    [first] = await reports(api, submitted.application_id)
    assert _by_key(first)[(m2, "business")].outcome is not FindingOutcome.FINDING

    feed = await load_latest(api, "business", [firm(m2, "李四"), firm(fresh_id())])
    [again, second] = await reports(api, submitted.application_id)
    assert again == first
    assert second.verification_id != first.verification_id
    assert _by_key(second)[(m2, "business")].outcome is FindingOutcome.FINDING
    assert _by_key(second)[(m1, "business")].outcome is FindingOutcome.CLEAR
    async with api.db.sessions() as s:
        stored = await s.get(Verification, second.verification_id)
    assert stored is not None
    assert (stored.trigger, stored.feed_id) == ("feed", feed["feed_id"])


async def test_feed_with_nothing_that_matters_sends_no_new_report(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    m1 = fresh_id()
    submitted = application([member(m1)])
    await _submit(broker, submitted)
    assert len(await reports(api, submitted.application_id)) == 1
    # A feed about other people, and one about the applicant that no rule cares about (a deregistered business).
    await load_latest(api, "business", [firm(fresh_id())])
    await load_latest(api, "business", [firm(m1, status="deregistered")])
    await load(api, "death", [died(fresh_id())])
    assert len(await reports(api, submitted.application_id)) == 1


async def test_decided_or_withdrawn_application_is_not_reverified(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    approved_person, rejected_person, withdrawn_person = fresh_id(), fresh_id(), fresh_id()
    approved = application([member(approved_person)])
    rejected = application([member(rejected_person)])
    withdrawn = application([member(withdrawn_person)])
    for submitted in (approved, rejected, withdrawn):
        await _submit(broker, submitted)
    await broker.deliver(decided(approved.application_id, new_household_id()), subject="application")
    no = decided(rejected.application_id, new_household_id())
    await broker.deliver(no.model_copy(update={"outcome": CaseOutcome.REJECTED, "household_id": None}), subject="a")
    await broker.deliver(
        ApplicationWithdrawn(
            application_id=withdrawn.application_id, reason="撤回", withdrawn_at=datetime(2026, 11, 10, tzinfo=UTC)
        ),
        subject="application",
    )
    await load_latest(api, "business", [firm(p) for p in (approved_person, rejected_person, withdrawn_person)])
    await load(api, "death", [died(p) for p in (approved_person, rejected_person, withdrawn_person)])
    for submitted in (approved, rejected, withdrawn):
        assert len(await reports(api, submitted.application_id)) == 1, submitted.application_id


def test_the_findings_query_is_built_once_per_set_of_enabled_rules() -> None:
    def shipped() -> tuple[RuleSpec, ...]:
        return tuple(RuleSpec.model_validate(r) for r in DEFAULT_RULES)

    rules = shipped()
    statement = _findings_statement(rules)
    assert statement is not None
    # Equal rules read again from the table: the statement already built.
    assert _findings_statement(shipped()) is statement
    # A rule disabled (gone from the set) or changed: another statement, asking what the rules now say.
    fewer = _findings_statement(rules[1:])
    assert fewer is not None
    assert len(fewer.selects) == len(statement.selects) - 1
    at = next(i for i, rule in enumerate(rules) if Role.MEMBER in rule.roles)
    for_obligors = rules[at].model_copy(update={"roles": (Role.OBLIGOR,)})
    changed = _findings_statement((*rules[:at], for_obligors, *rules[at + 1 :]))
    assert changed is not None
    assert changed.selects[at].compile().params != statement.selects[at].compile().params  # the roles asked for
    assert _findings_statement(()) is None
