"""Matching's key for a person: the deployment's keyed hash of the identity number, cut to 128 bits (a uuid).

Registry rows and watch-list entries are joined on it inside PostgreSQL, so no identity number is stored in clear.
128 bits keep the tables and joins small (a 16-byte uuid rather than 64 hex characters) while a collision among even
billions of people stays out of reach (about 1e-20 for 1e9 people).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from libs.kernel.pii import PiiVault

Digester = Callable[[bytes], bytes]


class PersonKeys:
    def __init__(self, vault: PiiVault) -> None:
        self._digest = vault.keyed_digester()

    def of(self, id_number: str) -> uuid.UUID:
        """The key of one canonical (18-character) identity number."""
        return uuid.UUID(bytes=self._digest(id_number.encode())[:16])

    def hex_keys(self, packed: bytes, width: int = 18) -> list[str]:
        """Keys of many canonical identity numbers packed end to end (`width` bytes each), as 32 hex digits (a
        form PostgreSQL reads as a uuid). The loop is the hot path of a feed load: kept to one comprehension."""
        digest = self._digest
        return [digest(packed[i : i + width])[:16].hex() for i in range(0, len(packed), width)]
