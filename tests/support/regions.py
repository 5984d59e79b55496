"""Counties and villages of a test's own, so tests never see each other's households, cases or items."""

from __future__ import annotations

import random

# Drawn without replacement: two tests of one session never share a county (a random draw did, now and then).
_counties = iter(random.sample(range(1000, 10000), 9000))


def new_county() -> str:
    """A county no other test of the session has, under the tests' fictional province 65."""
    return f"65{next(_counties):04d}"


def new_village(county: str | None = None) -> str:
    """A 12-digit village code of its own under `county` (by default a new county)."""
    return f"{county or new_county()}{random.randint(100, 999):03d}{random.randint(100, 999):03d}"
