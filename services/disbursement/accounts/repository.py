"""Queries of bank accounts, shared-account warnings and the record of who read bank data unmasked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.accounts.errors import AccountNotFound, FilterRequired, WarningNotFound
from services.disbursement.accounts.models import AccountRead, AccountWarning, BankAccount, WarningStatus
from services.disbursement.entitlements.access import household_entitlements
from services.disbursement.rosters.repository import county_roster


async def household_account(session: AsyncSession, who: Principal, household_id: str) -> BankAccount:
    """The household's account, if the household lies in the caller's jurisdiction."""
    await household_entitlements(session, who, household_id)
    account = await session.get(BankAccount, household_id)
    if account is None:
        raise AccountNotFound(f"No bank account of household {household_id} is held")
    return account


async def warnings_in(session: AsyncSession, prefix: str, status: WarningStatus | None) -> list[AccountWarning]:
    """Warnings where any of the households lies under `prefix`, newest first."""
    stmt = select(AccountWarning).order_by(AccountWarning.raised_at.desc())
    if status is not None:
        stmt = stmt.where(AccountWarning.status == status.value)
    warnings = (await session.scalars(stmt)).all()
    return [w for w in warnings if any(c.startswith(prefix) or prefix.startswith(c) for c in w.county_codes)]


async def warning_in(session: AsyncSession, who: Principal, warning_id: str) -> AccountWarning:
    """The warning, locked for a change, if one of its counties is the caller's."""
    warning = await session.get(AccountWarning, warning_id, with_for_update=True)
    if warning is None or not any(who.covers(c) for c in warning.county_codes):
        raise WarningNotFound(f"No account warning {warning_id} in your jurisdiction")
    return warning


async def reads_of(
    session: AsyncSession, who: Principal, *, household_id: str | None, roster_id: str | None, limit: int
) -> list[AccountRead]:
    """Reads of one household's account, or of one roster's, in the caller's jurisdiction, newest first."""
    stmt = select(AccountRead).order_by(AccountRead.id.desc()).limit(limit)
    if household_id:
        await household_account(session, who, household_id)
        stmt = stmt.where(AccountRead.household_id == household_id)
    elif roster_id:
        await county_roster(session, who, roster_id)
        stmt = stmt.where(AccountRead.roster_id == roster_id)
    else:
        raise FilterRequired("Name a household_id or a roster_id")
    return list((await session.scalars(stmt)).all())
