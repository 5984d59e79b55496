"""What intake's endpoints, handlers and jobs need from the running process: the kernel's `ServiceContext`, built once
by the composition root, with intake's settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from fastapi import Depends

from libs.kernel.context import ServiceContext, context_of
from libs.kernel.settings import ServiceSettings
from services.intake.config import IntakeSettings


@dataclass(frozen=True, kw_only=True)
class Intake(ServiceContext):
    settings_type: ClassVar[type[ServiceSettings]] = IntakeSettings
    settings: IntakeSettings


IntakeCtx = Annotated[Intake, Depends(context_of(Intake))]
