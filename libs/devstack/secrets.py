"""The secrets of a local or test stack: generated once into its data directory, kept between runs, never printed.

No process has a default secret (ARCHITECTURE.md decision 6), so whatever starts processes must hand them theirs: the
devstack does so for `make run`, the test session and the benchmarks, through the environment of each child.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

_FILE = "secrets.json"


@dataclass(frozen=True)
class StackSecrets:
    internal_token_secret: str
    pii_key: str
    jwt_secret: str
    postgres_password: str
    metrics_token: str

    def environment(self) -> dict[str, str]:
        """What every process of the stack reads (the gateway alone reads `GATEWAY_JWT_SECRET`)."""
        return {
            "JIUZHU_INTERNAL_TOKEN_SECRET": self.internal_token_secret,
            "JIUZHU_PII_KEY": self.pii_key,
            "JIUZHU_METRICS_TOKEN": self.metrics_token,
            "GATEWAY_JWT_SECRET": self.jwt_secret,
        }


def strong_password() -> str:
    """A generated password that meets the gateway's policy (gateway.auth.password_policy: three kinds of
    character, long, not a word): 24 random URL-safe characters, then a hyphen, a capital and a digit for sure."""
    return f"{secrets.token_urlsafe(18)}-J{secrets.randbelow(10)}"


def _generate() -> StackSecrets:
    return StackSecrets(
        internal_token_secret=secrets.token_urlsafe(48),
        pii_key=secrets.token_urlsafe(48),
        jwt_secret=secrets.token_urlsafe(48),
        postgres_password=secrets.token_urlsafe(24),
        metrics_token=secrets.token_urlsafe(32),
    )


def load_or_create(data_dir: Path) -> StackSecrets:
    """The stack's secrets from `data_dir/secrets.json`, created (readable by this user only) on the first run.

    A file from an older run that lacks a newer secret gets it added; what it holds is never replaced, since the data
    was sealed with it.
    """
    path = data_dir / _FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    fresh = _generate().__dict__
    merged = {name: stored.get(name) or value for name, value in fresh.items()}
    if merged != stored:
        data_dir.mkdir(parents=True, exist_ok=True)
        # Created 0600 before anything is written: the secrets are never readable by others, not even briefly.
        descriptor = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(merged, out, indent=2)
        os.replace(path.with_suffix(".tmp"), path)
    return StackSecrets(**merged)
