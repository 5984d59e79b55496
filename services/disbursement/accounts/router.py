"""Bank accounts for staff (DOMAIN.md §9): masked for every reader; unmasked only to county officers, with the reason
recorded; fixed after a failure; shared accounts listed for checking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select

from libs.contracts.id_number import mask_name
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import Conflict, NotFound, Unprocessable
from services.disbursement.accounts import service
from services.disbursement.accounts.models import AccountRead, AccountWarning, BankAccount, WarningStatus
from services.disbursement.accounts.schemas import (
    AccountFixIn,
    AccountOut,
    AccountReadOut,
    RevealedAccount,
    RevealIn,
    WarningOut,
)
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import Officer, Reader
from services.disbursement.ledger.access import household_entitlements
from services.disbursement.ledger.counties import touch
from services.disbursement.rosters.models import Roster

router = APIRouter(prefix="/api/v1/disbursement", tags=["bank accounts"])
HouseholdId = Annotated[str, Path(max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")]


def account_out(a: BankAccount) -> AccountOut:
    return AccountOut(
        household_id=a.household_id,
        bank_code=a.bank_code,
        holder_name_masked=mask_name(a.holder_name),
        account_no_masked=a.account_no_masked,
        status=a.status,
        failure_reason=a.failure_reason,
        failed_at=a.failed_at,
        origin=a.origin,
        updated_at=a.updated_at,
    )


async def household_account(session: DbSession, who: Principal, household_id: str) -> BankAccount:
    """The household's account, if the household lies in the caller's jurisdiction."""
    await household_entitlements(session, who, household_id)
    account = await session.get(BankAccount, household_id)
    if account is None:
        raise NotFound(f"No bank account of household {household_id} is held", code="account_not_found")
    return account


@router.get("/households/{household_id}/bank-account", response_model=AccountOut)
async def get_account(session: DbSession, who: Reader, household_id: HouseholdId) -> AccountOut:
    return account_out(await household_account(session, who, household_id))


@router.post("/households/{household_id}/bank-account/reveal", response_model=RevealedAccount)
async def reveal(
    request: Request,
    response: Response,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    household_id: HouseholdId,
    body: RevealIn,
) -> RevealedAccount:
    """The whole number, for a county officer who states why; the read is recorded before it is shown."""
    account = await household_account(session, who, household_id)
    note(response, "bank_account.revealed", f"household/{household_id}")
    await service.audit_read(
        session,
        ctx,
        who,
        purpose=body.reason,
        accounts=1,
        household_id=household_id,
        request_id=request.headers.get("x-request-id"),
    )
    return RevealedAccount(
        household_id=household_id,
        bank_code=account.bank_code,
        holder_name=account.holder_name,
        account_no=ctx.open_account(account.account_no_sealed),
    )


@router.put("/households/{household_id}/bank-account", response_model=AccountOut)
async def fix_account(
    response: Response,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    household_id: HouseholdId,
    body: AccountFixIn,
) -> AccountOut:
    note(response, "bank_account.changed", f"household/{household_id}")
    counties = sorted({e.county_code for e in await household_entitlements(session, who, household_id)})
    account = await service.fix(
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
    return account_out(account)


@router.get("/account-warnings", response_model=list[WarningOut])
async def list_warnings(
    session: DbSession,
    who: Reader,
    region_code: RegionQuery = None,
    status: WarningStatus | None = WarningStatus.OPEN,
) -> list[WarningOut]:
    """One account behind several households, where any of them lies in the jurisdiction."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(AccountWarning).order_by(AccountWarning.raised_at.desc())
    if status is not None:
        stmt = stmt.where(AccountWarning.status == status.value)
    warnings = (await session.scalars(stmt)).all()
    return [
        _warning_out(w) for w in warnings if any(c.startswith(prefix) or prefix.startswith(c) for c in w.county_codes)
    ]


@router.post("/account-warnings/{warning_id}/clear", response_model=WarningOut)
async def clear_warning(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    warning_id: Annotated[str, Path(max_length=64)],
    body: RevealIn,
) -> WarningOut:
    warning = await session.get(AccountWarning, warning_id, with_for_update=True)
    if warning is None or not any(who.covers(c) for c in warning.county_codes):
        raise NotFound(f"No account warning {warning_id} in your jurisdiction", code="warning_not_found")
    if warning.status != WarningStatus.OPEN.value:
        raise Conflict(f"Warning {warning_id} is already {warning.status}", code="warning_closed")
    warning.status = WarningStatus.CLEARED.value
    warning.cleared_at, warning.cleared_by, warning.clear_reason = ctx.now(), who.subject, body.reason
    return _warning_out(warning)


def _warning_out(w: AccountWarning) -> WarningOut:
    return WarningOut(
        warning_id=w.id,
        account_no_masked=w.account_no_masked,
        county_codes=w.county_codes,
        household_ids=w.household_ids,
        status=w.status,
        raised_at=w.raised_at,
        cleared_at=w.cleared_at,
        cleared_by=w.cleared_by,
        clear_reason=w.clear_reason,
    )


@router.get("/account-reads", response_model=list[AccountReadOut])
async def list_reads(
    session: DbSession,
    who: Officer,
    household_id: Annotated[str | None, Query(max_length=64)] = None,
    roster_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AccountReadOut]:
    """Who saw bank data unmasked, newest first: staff reveals of one household's account, or finance's reads of
    one roster."""
    stmt = select(AccountRead).order_by(AccountRead.id.desc()).limit(limit)
    if household_id:
        await household_account(session, who, household_id)
        stmt = stmt.where(AccountRead.household_id == household_id)
    elif roster_id:
        roster = await session.get(Roster, roster_id)
        if roster is None or not who.covers(roster.region_code):
            raise NotFound(f"No roster {roster_id} in your jurisdiction", code="roster_not_found")
        stmt = stmt.where(AccountRead.roster_id == roster_id)
    else:
        raise Unprocessable("Name a household_id or a roster_id", code="filter_required")
    return [
        AccountReadOut(
            read_at=r.read_at,
            actor=r.actor,
            actor_kind=r.actor_kind,
            actor_name=r.actor_name,
            purpose=r.purpose,
            household_id=r.household_id,
            roster_id=r.roster_id,
            accounts=r.accounts,
            request_id=r.request_id,
        )
        for r in await session.scalars(stmt)
    ]
