"""Bank accounts for staff (DOMAIN.md §9): masked for every reader; unmasked only to county officers, with the reason
recorded; fixed after a failure; shared accounts listed for checking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from services.disbursement.accounts import repository, service, views
from services.disbursement.accounts.models import WarningStatus
from services.disbursement.accounts.schemas import (
    AccountFixIn,
    AccountOut,
    AccountReadOut,
    RevealedAccount,
    RevealIn,
    WarningOut,
)
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import IdPath, IdQuery, Officer, Reader, RegionQuery, problems

router = APIRouter(prefix="/api/v1/disbursement", tags=["bank accounts"])
HouseholdId = IdPath


@router.get("/households/{household_id}/bank-account", response_model=AccountOut, responses=problems(403, 404))
async def get_account(session: DbSession, who: Reader, household_id: HouseholdId) -> AccountOut:
    """The household's account, holder's name and number masked, with its state (a failure, and when)."""
    return views.account_out(await repository.household_account(session, who, household_id))


@router.post(
    "/households/{household_id}/bank-account/reveal", response_model=RevealedAccount, responses=problems(403, 404, 422)
)
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
    note(response, "bank_account.revealed", f"household/{household_id}")
    account, number = await service.reveal(
        session, ctx, who, household_id, reason=body.reason, request_id=request.headers.get("x-request-id")
    )
    return views.revealed(account, number)


@router.put("/households/{household_id}/bank-account", response_model=AccountOut, responses=problems(403, 404, 422))
async def fix_account(
    response: Response,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    household_id: HouseholdId,
    body: AccountFixIn,
) -> AccountOut:
    """The corrected account (the household brought a new card): the account hold ends, the held months are paid."""
    note(response, "bank_account.changed", f"household/{household_id}")
    return views.account_out(await service.correct(session, ctx, who, household_id, body))


@router.get("/account-warnings", response_model=list[WarningOut], responses=problems(403, 422))
async def list_warnings(
    session: DbSession,
    who: Reader,
    region_code: RegionQuery = None,
    status: WarningStatus | None = WarningStatus.OPEN,
) -> list[WarningOut]:
    """One account behind several households, where any of them lies in the jurisdiction."""
    prefix = jurisdiction_prefix(who, region_code)
    return [views.warning_out(w) for w in await repository.warnings_in(session, prefix, status)]


@router.post("/account-warnings/{warning_id}/clear", response_model=WarningOut, responses=problems(403, 404, 409, 422))
async def clear_warning(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    warning_id: IdPath,
    body: RevealIn,
) -> WarningOut:
    """The households behind one account were checked and are in order; the reason is kept."""
    warning = await repository.warning_in(session, who, warning_id)
    service.clear_warning(ctx, who, warning, body.reason)
    return views.warning_out(warning)


@router.get("/account-reads", response_model=list[AccountReadOut], responses=problems(403, 404, 422))
async def list_reads(
    session: DbSession,
    who: Officer,
    household_id: IdQuery = None,
    roster_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AccountReadOut]:
    """Who saw bank data unmasked, newest first: staff reveals of one household's account, or finance's reads of
    one roster."""
    reads = await repository.reads_of(session, who, household_id=household_id, roster_id=roster_id, limit=limit)
    return [views.read_out(r) for r in reads]
