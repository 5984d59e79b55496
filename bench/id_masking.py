"""Masking the identity numbers a view shows: parsed and checked again before, as held now (issue 23).

A case's view (every step's answer: investigation, evaluation, proposal, decision, and the officer's reading) masks
each member's number and the number of each verification finding: matching reports on each member for each source,
so a household of three has a few dozen. Ledgers mask one a row. The numbers shown were validated when they came in
and are stored or sealed canonical; `IdNumber.parse(n).masked()` checked each again (form, check character, birth
date) before masking it, `masked_form(n)` masks it as held. Times both on the same numbers, in this process, and
checks they give the same text.

    python -m bench.id_masking [--numbers 39] [--repeat 20000]
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

import numpy as np

from bench.matching_data import id_numbers
from libs.contracts.id_number import IdNumber, masked_form


def _per_call(action: Callable[[], object], repeat: int) -> float:
    """Microseconds a call, the best of three timings of `repeat` calls (the least disturbed by the machine)."""
    return min(timeit.repeat(action, number=repeat, repeat=3)) / repeat * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=39, help="numbers one view masks (3 members, 36 findings)")
    parser.add_argument("--repeat", type=int, default=20_000, help="views timed")
    args = parser.parse_args()
    numbers = [row.tobytes().decode() for row in id_numbers(np.arange(args.numbers, dtype=np.int64))]
    before = [IdNumber.parse(n).masked() for n in numbers]
    if before != [masked_form(n) for n in numbers]:
        raise SystemExit("masked_form differs from IdNumber.parse(...).masked()")
    parsed = _per_call(lambda: [IdNumber.parse(n).masked() for n in numbers], args.repeat)
    held = _per_call(lambda: [masked_form(n) for n in numbers], args.repeat)
    print(f"{args.numbers} numbers a view, {args.repeat:,} views, best of 3")
    print(
        f"  parsed and checked, then masked (before): {parsed:8.1f} µs a view, {parsed / args.numbers:5.2f} µs a number"
    )
    print(f"  masked as held (now):                     {held:8.1f} µs a view, {held / args.numbers:5.2f} µs a number")
    print(f"  now / before: {held / parsed:.3f}")


if __name__ == "__main__":
    main()
