"""What casework's endpoints, handlers and jobs need from the running process: the kernel's `ServiceContext`, built
once by the composition root, with casework's settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from fastapi import Depends

from libs.kernel.context import ServiceContext, context_of, seal_context
from libs.kernel.settings import ServiceSettings
from services.casework.config import CaseworkSettings

# Contexts of the sealed values casework keeps, so one kind can never be opened as another (the strings are in
# stored data: they never change).
ID_NUMBER_CONTEXT = seal_context("casework", "id-number")
DETAILS_CONTEXT = seal_context("casework", "member-details")
CONTENT_CONTEXT = seal_context("casework", "case-content")
SNAPSHOT_CONTEXT = seal_context("casework", "household-version")
PROVINCE_CONTEXT = seal_context("casework", "province-change")


@dataclass(frozen=True, kw_only=True)
class Casework(ServiceContext):
    settings_type: ClassVar[type[ServiceSettings]] = CaseworkSettings
    settings: CaseworkSettings


CaseworkCtx = Annotated[Casework, Depends(context_of(Casework))]
