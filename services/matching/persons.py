"""Matching's key for a person: the deployment's keyed hash of the identity number, cut to 128 bits (a uuid).

Registry rows and watch-list entries are joined on it inside PostgreSQL, so no identity number is stored in clear.
128 bits keep the tables and joins small (a 16-byte uuid rather than 64 hex characters) while a collision among even
billions of people stays out of reach (about 1e-20 for 1e9 people).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from libs.kernel.pii import PiiVault

Digester = Callable[[bytes], bytes]
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_KEY_HEX = 32


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

    def key_column(self, ids: np.ndarray) -> pa.StringArray:
        """The keys of many canonical identity numbers, an (n, 18) uint8 matrix, as a column of 32 hex digits each:
        the same text as `hex_keys`. The hash runs as one `map` over the numbers (no Python frame a row besides
        the digester's), and the hex and the Arrow column are made with NumPy, not one `str` a row."""
        n = len(ids)
        if n == 0:
            return pa.array([], pa.string())
        # Canonical numbers are digits and X, never NUL, so the fixed-width bytes view loses nothing.
        numbers = np.ascontiguousarray(ids, dtype=np.uint8).view(f"S{ids.shape[1]}").ravel().tolist()
        raw = np.frombuffer(b"".join(map(self._digest, numbers)), dtype=np.uint8).reshape(n, -1)[:, :16]
        text = np.empty((n, _KEY_HEX), dtype=np.uint8)
        text[:, 0::2] = _HEX[raw >> 4]
        text[:, 1::2] = _HEX[raw & 0x0F]
        offsets = np.arange(0, _KEY_HEX * (n + 1), _KEY_HEX, dtype=np.int32)
        column: pa.StringArray = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text))
        return column
