"""Argon2 hashing of staff passwords and client secrets, off the event loop.

argon2id with argon2-cffi's defaults (RFC 9106 "low memory": 64 MiB, t=3) takes tens of milliseconds of CPU and
64 MiB per call, so calls run in worker threads and at most `concurrency` at a time: a burst of logins must
neither stall every other request on the loop nor allocate gigabytes at once.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class SecretHasher:
    def __init__(self, concurrency: int = 4) -> None:
        self._hasher = PasswordHasher()
        self._slots = asyncio.Semaphore(concurrency)
        self._dummy: str | None = None

    async def hash(self, secret: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, secret)

    async def verify(self, stored_hash: str | None, secret: str) -> bool:
        """Whether `secret` matches; with no stored hash (unknown user) it still spends the same time, then fails.

        Verifying against a throw-away hash keeps the answer time flat, so response times do not reveal which
        usernames or client ids exist.
        """
        target = stored_hash if stored_hash is not None else await self._dummy_hash()
        async with self._slots:
            matched = await asyncio.to_thread(self._check, target, secret)
        return matched and stored_hash is not None

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the stored hash used weaker parameters than today's; the caller re-hashes after a login."""
        return self._hasher.check_needs_rehash(stored_hash)

    def _check(self, stored_hash: str, secret: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, secret)
        except (VerificationError, InvalidHashError):
            return False

    async def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = await self.hash(secrets.token_urlsafe(24))
        return self._dummy
