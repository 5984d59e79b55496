"""Bank accounts: taken from casework's events, fixed by county staff after a failure, revealed only with an audit
row, and compared across households for the shared-account warning (DOMAIN.md §9)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import EntitlementChanged
from libs.contracts.events.intake import mask_account
from libs.kernel.auth import Principal
from services.disbursement.accounts.errors import WarningClosed
from services.disbursement.accounts.models import (
    AccountOrigin,
    AccountRead,
    AccountStatus,
    AccountWarning,
    BankAccount,
    WarningStatus,
)
from services.disbursement.accounts.repository import household_account
from services.disbursement.accounts.schemas import AccountFixIn
from services.disbursement.context import (
    BANK_ACCOUNT_SEAL_CONTEXT,
    ID_NUMBER_CONTEXT,
    PAYEE_EXPORT_CONTEXT,
    Disbursement,
)
from services.disbursement.entitlements import holds
from services.disbursement.entitlements.access import household_entitlements
from services.disbursement.entitlements.counties import touch
from services.disbursement.entitlements.models import Entitlement, HoldKind

CASEWORK = "casework"


async def take_from_event(session: AsyncSession, ctx: Disbursement, e: EntitlementChanged, county: str) -> None:
    """The account casework names, unless it is the one already held (perhaps fixed here since)."""
    account = await session.get(BankAccount, e.household_id, with_for_update=True)
    if e.payment_account is None:
        if account is None:
            await holds.ensure(
                session,
                ctx,
                household_id=e.household_id,
                county_code=county,
                kind=HoldKind.ACCOUNT,
                reason="无银行账户 no bank account on file",
                by=CASEWORK,
            )
        return
    if account is not None and account.source_ref == e.bank_account_ref:
        account.county_code = county
        return
    sealed = e.payment_account.account_no_sealed
    number = ctx.open(sealed, BANK_ACCOUNT_SEAL_CONTEXT)
    values = {
        "county_code": county,
        "bank_code": e.payment_account.bank_code,
        "holder_name": e.payment_account.holder_name,
        "account_no_masked": mask_account(number),
        "account_no_sealed": sealed,
        "account_hash": ctx.hash(number),
        "source_ref": e.bank_account_ref,
        "origin": AccountOrigin.CASEWORK.value,
    }
    account = await _store(session, ctx, e.household_id, values, by=CASEWORK)
    await holds.release_kind(
        session, ctx, e.household_id, HoldKind.ACCOUNT, by=CASEWORK, reason="account from casework"
    )
    await check_shared(session, ctx, account)


async def fix(
    session: AsyncSession,
    ctx: Disbursement,
    household_id: str,
    county_code: str,
    *,
    bank_code: str,
    holder_name: str,
    account_no: str,
    reason: str,
    who: Principal,
) -> BankAccount:
    """County staff enter the corrected account (the household brought a new card), or the first one of a household
    without: the account hold ends and the months it held are paid on the next roster."""
    current = await session.get(BankAccount, household_id, with_for_update=True)
    values = {
        "county_code": county_code,
        "bank_code": bank_code,
        "holder_name": holder_name,
        "account_no_masked": mask_account(account_no),
        "account_no_sealed": ctx.seal(account_no, BANK_ACCOUNT_SEAL_CONTEXT),
        "account_hash": ctx.hash(account_no),
        # A household without an account from casework keeps an empty reference: casework's first account replaces
        # this one, a repeat of casework's last one does not.
        "source_ref": current.source_ref if current is not None else "",
        "origin": AccountOrigin.STAFF.value,
    }
    account = await _store(session, ctx, household_id, values, by=who.subject)
    await seal_export_parts(session, ctx, household_id)
    await holds.release_kind(
        session, ctx, household_id, HoldKind.ACCOUNT, by=who.subject, reason=f"account fixed: {reason}"
    )
    await check_shared(session, ctx, account)
    return account


async def _store(
    session: AsyncSession, ctx: Disbursement, household_id: str, values: dict[str, str], *, by: str
) -> BankAccount:
    account = await session.get(BankAccount, household_id)
    if account is None:
        account = BankAccount(household_id=household_id)
        session.add(account)
    for name, value in values.items():
        setattr(account, name, value)
    account.status = AccountStatus.OK.value
    account.failure_reason = None
    account.failed_at = None
    account.updated_at = ctx.now()
    account.updated_by = by
    await session.flush()
    return account


async def mark_failed(session: AsyncSession, ctx: Disbursement, household_id: str, county: str, reason: str) -> None:
    """Finance could not pay into the account: nothing more is sent to it until it is fixed."""
    account = await session.get(BankAccount, household_id, with_for_update=True)
    if account is not None:
        account.status = AccountStatus.FAILED.value
        account.failure_reason = reason[:500]
        account.failed_at = ctx.now()
    await holds.ensure(
        session,
        ctx,
        household_id=household_id,
        county_code=county,
        kind=HoldKind.ACCOUNT,
        reason=f"发放失败 payment failed: {reason}"[:2000],
        by="finance",
    )


async def check_shared(session: AsyncSession, ctx: Disbursement, account: BankAccount) -> None:
    """One account behind several households raises a warning once; a cleared warning stays cleared for the same
    households, and a further household raises a new one."""
    rows = (
        await session.execute(
            select(BankAccount.household_id, BankAccount.county_code)
            .where(BankAccount.account_hash == account.account_hash)
            .order_by(BankAccount.household_id)
        )
    ).all()
    if len(rows) < 2:
        return
    households = [r.household_id for r in rows]
    counties = sorted({r.county_code for r in rows})
    warnings = list(
        (
            await session.scalars(
                select(AccountWarning)
                .where(AccountWarning.account_hash == account.account_hash)
                .order_by(AccountWarning.raised_at.desc())
                .with_for_update()
            )
        ).all()
    )
    open_ = next((w for w in warnings if w.status == WarningStatus.OPEN.value), None)
    if open_ is not None:
        open_.household_ids, open_.county_codes = households, counties
        return
    if any(set(households) <= set(w.household_ids) for w in warnings):
        return
    session.add(
        AccountWarning(
            id=str(uuid.uuid4()),
            account_hash=account.account_hash,
            account_no_masked=account.account_no_masked,
            county_codes=counties,
            household_ids=households,
            status=WarningStatus.OPEN.value,
            raised_at=ctx.now(),
        )
    )
    await session.flush()


async def audit_read(
    session: AsyncSession,
    ctx: Disbursement,
    who: Principal,
    *,
    purpose: str,
    accounts: int,
    household_id: str | None = None,
    roster_id: str | None = None,
    request_id: str | None = None,
) -> None:
    session.add(
        AccountRead(
            read_at=ctx.now(),
            actor=who.subject,
            actor_kind=who.kind.value,
            actor_name=who.display_name or who.name,
            purpose=purpose[:500],
            household_id=household_id,
            roster_id=roster_id,
            accounts=accounts,
            request_id=request_id,
        )
    )
    await session.flush()


async def reveal(
    session: AsyncSession, ctx: Disbursement, who: Principal, household_id: str, *, reason: str, request_id: str | None
) -> tuple[BankAccount, str]:
    """The account and its whole number, for a county officer who states why; the read is recorded first."""
    account = await household_account(session, who, household_id)
    await audit_read(session, ctx, who, purpose=reason, accounts=1, household_id=household_id, request_id=request_id)
    return account, ctx.open(account.account_no_sealed, BANK_ACCOUNT_SEAL_CONTEXT)


async def correct(
    session: AsyncSession, ctx: Disbursement, who: Principal, household_id: str, body: AccountFixIn
) -> BankAccount:
    """A county officer's account for a household in the jurisdiction (`fix`); its counties' ledgers move."""
    counties = sorted({e.county_code for e in await household_entitlements(session, who, household_id)})
    account = await fix(
        session,
        ctx,
        household_id,
        counties[0],
        bank_code=body.bank_code,
        holder_name=body.holder_name,
        account_no=body.account_no,
        reason=body.reason,
        who=who,
    )
    await touch(session, ctx, counties)
    return account


def clear_warning(ctx: Disbursement, who: Principal, warning: AccountWarning, reason: str) -> None:
    """The county checked the households behind one account and found them in order."""
    if warning.status != WarningStatus.OPEN.value:
        raise WarningClosed(f"Warning {warning.id} is already {warning.status}")
    warning.status = WarningStatus.CLEARED.value
    warning.cleared_at, warning.cleared_by, warning.clear_reason = ctx.now(), who.subject, reason


def _field(value: str) -> str:
    """One CSV field as the roster export writes it (quoted only when it must be)."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


async def seal_export_parts(session: AsyncSession, ctx: Disbursement, household_id: str) -> None:
    """Each entitlement's payee part of a roster row, sealed as one value (see `Entitlement.export_sealed`), from its
    payee and the household's account; none while there is no account."""
    account = await session.get(BankAccount, household_id)
    for ent in await session.scalars(select(Entitlement).where(Entitlement.household_id == household_id)):
        if account is None:
            ent.export_sealed = None
            continue
        part = ",".join(
            (
                _field(ctx.open(ent.payee_id_sealed, ID_NUMBER_CONTEXT)),
                _field(account.bank_code),
                _field(ctx.open(account.account_no_sealed, BANK_ACCOUNT_SEAL_CONTEXT)),
            )
        )
        ent.export_sealed = ctx.seal(part, PAYEE_EXPORT_CONTEXT)
    await session.flush()
