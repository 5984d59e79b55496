"""The bases of what callers send and what events carry, so that each model says only its fields.

A request body refuses fields it does not know (a misspelt field is a 422 naming it, not a value silently dropped) and
is frozen once parsed. An event payload is a tolerant reader: it ignores fields a newer producer adds (CONTRACTS.md,
events evolve by adding fields).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Input(BaseModel):
    """A request body: unknown fields refused, frozen once parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerant(BaseModel):
    """What another system sends us (an event, a partner's answer): unknown fields ignored, frozen once parsed."""

    model_config = ConfigDict(extra="ignore", frozen=True)
