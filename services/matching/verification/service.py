"""Verification of applicants (DOMAIN.md §3.4, §5): every member and obligor against every loaded source.

The result is a report, never a hit: `verification-completed` with one finding per person and source, `finding`
where a rule applies (with the rules and the records), `clear` where the source holds nothing that matters, and
`unavailable` where no feed of the source has been loaded yet, so the report never claims a check it did not make.
While the application is pending, a new feed that finds something about its people sends a fresh report.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CompoundSelect, Text, func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.matching import FindingOutcome, VerificationCompleted, VerificationFinding
from services.matching.context import IDENTITY, Matching
from services.matching.outside_region.service import refuse_outside_region
from services.matching.rules.compile import evidence, matched, predicate
from services.matching.rules.matched import CurrentFeed, applications_matched, current_feeds
from services.matching.rules.repository import enabled_rules
from services.matching.rules.spec import Role, RuleKind, RuleSpec
from services.matching.sources import SOURCES
from services.matching.verification.models import Verification
from services.matching.watchlist.models import ApplicationPerson, Person, WatchApplication

# (application, person, source) → [(rule, record evidence)]
Found = dict[tuple[str, uuid.UUID, str], list[tuple[RuleSpec, dict[str, Any]]]]


async def _found(
    session: AsyncSession, rules: Sequence[RuleSpec], application_ids: Sequence[str], feed_nos: Sequence[int]
) -> Found:
    """What the rules find about the people of these applications in these feeds."""
    found: Found = defaultdict(list)
    statement = _findings_statement(tuple(rules))
    if statement is None or not feed_nos:
        return found
    by_id = {rule.id: rule for rule in rules}
    params = {"apps": list(application_ids), "feeds": list(feed_nos)}
    for application_id, person, source, rule_id, record in (await session.execute(statement, params)).all():
        found[(application_id, person, source)].append((by_id[rule_id], record))
    return found


@functools.lru_cache(maxsize=32)
def _findings_statement(rules: tuple[RuleSpec, ...]) -> CompoundSelect[Any] | None:
    """One statement asking `matched` (the people of `:apps` in the feeds `:feeds`, its CTE) what every rule finds,
    built once per set of enabled rules (a rule is frozen: a changed rule is another key). Building it for 34 rules
    was a fifth of the matching worker's time per new application, and the one statement object also keeps
    SQLAlchemy's cache key (bench/RESULTS.md, issue 23)."""
    m = matched.c
    selects = []
    for rule in rules:
        # Applicants are checked as members would be (a death too is a finding here, not an event).
        roles = (Role.MEMBER,) if Role.MEMBER in rule.roles else (Role.OBLIGOR,)
        where = predicate(rule, roles)
        if rule.kind is RuleKind.HOUSEHOLD_COUNT and rule.aggregate is not None:
            counted = m[rule.aggregate.distinct]
            qualifying = (
                select(m.application_id)
                .where(where)
                .group_by(m.application_id)
                .having(func.count(func.distinct(counted)) >= rule.aggregate.at_least)
            )
            where = where & m.application_id.in_(qualifying)
        selects.append(
            select(m.application_id, m.person, m.source, literal(rule.id, Text).label("rule_id"), evidence(rule)).where(
                where
            )
        )
    return union_all(*selects).add_cte(applications_matched()) if selects else None


def _finding(
    id_number: str, source: str, loaded: set[str], hits: list[tuple[RuleSpec, dict[str, Any]]]
) -> VerificationFinding:
    if source not in loaded:
        return VerificationFinding(
            member_id_number=id_number,
            source=source,
            outcome=FindingOutcome.UNAVAILABLE,
            detail="no feed of this source has been loaded",
        )
    if not hits:
        return VerificationFinding(member_id_number=id_number, source=source, outcome=FindingOutcome.CLEAR)
    rules = list(dict.fromkeys(rule.id for rule, _ in hits))
    detail = "; ".join(dict.fromkeys(f"{rule.description}: {rule.suggested_action}" for rule, _ in hits))
    return VerificationFinding(
        member_id_number=id_number,
        source=source,
        outcome=FindingOutcome.FINDING,
        detail=detail,
        evidence={"rules": rules, "records": [record for _, record in hits]},
    )


async def verify(
    session: AsyncSession,
    ctx: Matching,
    application_id: str,
    *,
    trigger: str,
    feed_id: str | None = None,
    feeds: list[CurrentFeed] | None = None,
    rules: list[RuleSpec] | None = None,
) -> VerificationCompleted:
    """Check the application's people against the current feeds of registries covering its region and publish the
    report (`feeds` and `rules`: as read already by a caller reporting on several applications). A source no such
    registry has sent is `unavailable`: a feed from another region checked nothing here."""
    feeds = await current_feeds(session) if feeds is None else feeds
    region = await session.scalar(
        select(WatchApplication.region_code).where(WatchApplication.application_id == application_id)
    )
    covering = [f for f in feeds if region is not None and f.covers(region)]
    loaded = {f.source for f in covering}
    rules = await enabled_rules(session) if rules is None else rules
    people = (
        await session.execute(
            select(ApplicationPerson.person, ApplicationPerson.role, Person.identity_sealed)
            .join(Person, Person.person == ApplicationPerson.person)
            .where(ApplicationPerson.application_id == application_id)
            .order_by(ApplicationPerson.role.desc(), ApplicationPerson.person)
        )
    ).all()
    # A feed from elsewhere about these people is refused (and listed) rather than read.
    await refuse_outside_region(session, ctx, [f.feed_no for f in feeds], people=[p for p, _, _ in people])
    found = await _found(session, rules, [application_id], [f.feed_no for f in covering])
    findings = []
    for person, _role, sealed in people:
        id_number = PersonRef.model_validate_json(ctx.open(sealed, IDENTITY)).id_number
        findings += [
            _finding(id_number, source, loaded, found.get((application_id, person, source), [])) for source in SOURCES
        ]
    report = VerificationCompleted(
        application_id=application_id,
        verification_id=str(uuid.uuid4()),
        findings=tuple(findings),
        completed_at=ctx.now(),
    )
    session.add(
        Verification(
            id=report.verification_id,
            application_id=application_id,
            trigger=trigger,
            feed_id=feed_id,
            people_checked=len(people),
            sources_checked=len(loaded),
            findings=sum(1 for f in findings if f.outcome is FindingOutcome.FINDING),
            completed_at=report.completed_at,
        )
    )
    await ctx.publish(session, report, subject=f"application/{application_id}", key=application_id)
    return report


async def reverify_pending(session: AsyncSession, ctx: Matching, feed_no: int, feed_id: str, source: str) -> int:
    """A fresh report for each pending application a new feed finds something about; returns how many."""
    feeds = await current_feeds(session)
    if feed_no not in {f.feed_no for f in feeds}:
        return 0  # an older snapshot than the one verification reads: it cannot change a report
    rows = await session.execute(
        text(
            """
            SELECT DISTINCT a.application_id
            FROM application_people a
            JOIN watch_applications w USING (application_id)
            JOIN records r ON r.person = a.person AND r.feed_no = :feed_no
            JOIN feeds f ON f.feed_no = r.feed_no AND starts_with(w.region_code, f.provider_region)
            WHERE w.status = 'pending'
            """
        ),
        {"feed_no": feed_no},
    )
    candidates = [str(r[0]) for r in rows.all()]
    if not candidates:
        return 0
    rules = await enabled_rules(session)
    found = await _found(session, [r for r in rules if r.source == source], candidates, [feed_no])
    with_findings = {application_id for application_id, _, _ in found}
    for application_id in sorted(with_findings):
        await verify(session, ctx, application_id, trigger="feed", feed_id=feed_id, feeds=feeds, rules=rules)
    return len(with_findings)
