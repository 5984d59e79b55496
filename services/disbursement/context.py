"""What disbursement's endpoints, handlers and jobs need from the running process: the kernel's `ServiceContext`, built
once by the composition root, with disbursement's settings.

Bank account numbers are sealed under the context intake and casework use (`BANK_ACCOUNT_SEAL_CONTEXT`), so the number
an event carries is stored as it came; disbursement's own values are sealed under its contexts below (the strings are
in stored data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from fastapi import Depends

from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from libs.kernel.context import ServiceContext, context_of, seal_context
from libs.kernel.settings import ServiceSettings
from services.disbursement.config import DisbursementSettings

# A payee's identity number, as finance receives it on each line.
ID_NUMBER_CONTEXT = seal_context("disbursement", "payee-id-number")
# A locked roster's CSV chunks (each chunk's context adds the roster and the chunk number).
EXPORT_CONTEXT = seal_context("disbursement", "roster-export")
# An entitlement's payee part of a roster row: identity number, bank and account number.
PAYEE_EXPORT_CONTEXT = seal_context("disbursement", "payee-export")

__all__ = ["BANK_ACCOUNT_SEAL_CONTEXT", "EXPORT_CONTEXT", "ID_NUMBER_CONTEXT", "PAYEE_EXPORT_CONTEXT", "Disbursement"]


@dataclass(frozen=True, kw_only=True)
class Disbursement(ServiceContext):
    settings_type: ClassVar[type[ServiceSettings]] = DisbursementSettings
    settings: DisbursementSettings


DisbursementCtx = Annotated[Disbursement, Depends(context_of(Disbursement))]
