"""A feed body as it arrives, cut into blocks of whole lines, so a feed of any size is handled a few MiB at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator


class UnframedBody(Exception):
    """A line longer than any row can be: the body cannot be cut into rows (and would be held whole in memory)."""


async def line_blocks(body: AsyncIterator[bytes], size: int, max_line: int) -> AsyncIterator[bytes]:
    """Blocks of about `size` bytes (more when a single line is longer, up to `max_line`), each ending with a
    complete line. The last block may lack its final newline."""
    pending: list[bytes] = []
    held = 0
    async for chunk in body:
        if not chunk:
            continue
        pending.append(chunk)
        held += len(chunk)
        if held < size:
            continue
        joined = b"".join(pending)
        cut = joined.rfind(b"\n") + 1
        rest = joined[cut:]
        if len(rest) > max_line:
            raise UnframedBody(f"a line is longer than {max_line} bytes")
        if cut == 0:
            pending, held = [joined], len(joined)
            continue
        yield joined[:cut]
        pending, held = ([rest], len(rest)) if rest else ([], 0)
    if held:
        tail = b"".join(pending)
        if len(tail) - (tail.rfind(b"\n") + 1) > max_line:
            raise UnframedBody(f"a line is longer than {max_line} bytes")
        if tail.strip():
            yield tail


def split_header(block: bytes) -> tuple[bytes, bytes]:
    """(first line without its line ending, the rest)."""
    line, _, rest = block.partition(b"\n")
    return line.rstrip(b"\r"), rest
