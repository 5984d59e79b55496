"""What complaints' endpoints, handlers and jobs need from the running process: the kernel's `ServiceContext`, built
once by the composition root, with complaints' settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from fastapi import Depends

from libs.kernel.context import ServiceContext, context_of, seal_context
from libs.kernel.settings import ServiceSettings
from services.complaints.config import ComplaintsSettings

# Each kind of sealed value has its own context, so a token moved to another column does not open.
ID_NUMBER_CONTEXT = seal_context("complaints", "id-number")
PHONE_CONTEXT = seal_context("complaints", "phone")
WORK_ORDER_CONTEXT = seal_context("complaints", "work-order")
RESULT_CONTEXT = seal_context("complaints", "result-push")
PLATFORM_SIGNING_SEAL = seal_context("complaints", "platform-secret")


@dataclass(frozen=True, kw_only=True)
class Complaints(ServiceContext):
    settings_type: ClassVar[type[ServiceSettings]] = ComplaintsSettings
    settings: ComplaintsSettings


ComplaintsCtx = Annotated[Complaints, Depends(context_of(Complaints))]
