"""What matching's endpoints, handlers and jobs need from the running process: the kernel's `ServiceContext`, built
once by the composition root, with matching's settings and its key ring for people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, ClassVar

from fastapi import Depends

from libs.kernel.context import ServiceContext, context_of, seal_context
from libs.kernel.settings import ServiceSettings
from services.matching.config import MatchingSettings
from services.matching.persons import PersonKeys

# A person's identity number and name (a `PersonRef` as JSON), kept so events to casework can name them.
IDENTITY = seal_context("matching", "identity")


@dataclass(frozen=True, kw_only=True)
class Matching(ServiceContext):
    settings_type: ClassVar[type[ServiceSettings]] = MatchingSettings
    settings: MatchingSettings
    # Registry rows and the watch list are joined on these keys (services/matching/persons.py), from the vault's key.
    keys: PersonKeys = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", PersonKeys(self.vault))


MatchingCtx = Annotated[Matching, Depends(context_of(Matching))]
