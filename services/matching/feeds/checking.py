"""Checking a feed's blocks in processes of the API's own, so a large feed is not bound by one Python core.

Parsing, the row checks and one keyed hash a row hold the GIL for most of a block's time: in a thread of the API
process a 10-million-row feed loads at the speed of one core, however many the machine has. Here the blocks go to
a small pool of worker processes (`feed_check_processes`), a few at a time and taken back in order, so the rows
keep their numbers and the COPY its order. The pool is started by a fork server that imports only this module
(never the process's `__main__`), once per API process and at its first feed; idle workers wait on a pipe.

The PII secret goes to the workers once, as an argument of their start-up over the pool's own pipe: they are
processes of the service, as the API is, and neither the secret nor an identity number is ever logged. Each worker
keeps the service's `PersonKeys`, so a row's key is the one the API would compute (tests compare them).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from libs.kernel.pii import PiiVault
from services.matching.feeds.parsing import BodyFormat, parse_block
from services.matching.feeds.validation import CheckedBlock, check_block
from services.matching.persons import PersonKeys
from services.matching.sources import SOURCES


@dataclass(frozen=True)
class BlockJob:
    """One block of whole lines and what is needed to check it (picklable: it crosses to a worker)."""

    block: bytes
    fmt: BodyFormat
    header: tuple[str, ...]
    source: str
    first_row: int
    today: dt.date


def line_count(block: bytes) -> int:
    """Lines the block holds, the last one possibly without its newline (as `parse_block` numbers them)."""
    return block.count(b"\n") + (0 if block.endswith(b"\n") else 1)


def check(job: BlockJob, keys: PersonKeys) -> CheckedBlock:
    """The block parsed and checked: COPY input of the rows that load, the rejects with their reasons."""
    spec = SOURCES[job.source]
    wanted = ["id_number", "name", *spec.columns]
    parsed = parse_block(job.block, job.fmt, list(job.header), wanted, job.first_row)
    checked = check_block(parsed, spec, keys, job.today)
    checked.lines = parsed.lines
    return checked


# In a worker process: the keys made from the secret handed over at start-up.
_worker_keys: PersonKeys | None = None


def _start_worker(secret: str) -> None:
    global _worker_keys  # one per worker process, set once at its start
    _worker_keys = PersonKeys(PiiVault(secret))


def _check_in_worker(job: BlockJob) -> CheckedBlock:
    if _worker_keys is None:
        raise RuntimeError("the checking worker was started without its keys")
    return check(job, _worker_keys)


class _Pool:
    """The API process's one pool (a new app in the same process, as in tests, reuses it when the secret is the
    same); a pool whose worker died is dropped and started anew at the next feed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._shape: tuple[str, int] | None = None

    def get(self, secret: str, processes: int) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._shape != (secret, processes):
                if self._executor is not None:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                self._executor = ProcessPoolExecutor(
                    processes, mp_context=context, initializer=_start_worker, initargs=(secret,)
                )
                self._shape = (secret, processes)
            return self._executor

    def drop(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = None
                self._shape = None
        broken.shutdown(wait=False, cancel_futures=True)


_POOL = _Pool()


class BlockChecker:
    """Blocks checked for one feed load: in the pool when it has processes, else in a thread of the API process.
    `depth` blocks may be checked at once (each is about 8 MiB in and 13 MiB of COPY text out)."""

    def __init__(self, keys: PersonKeys, secret: str, processes: int) -> None:
        self._keys = keys
        self._secret = secret
        self._processes = processes
        self.depth = max(processes, 1)

    def submit(self, job: BlockJob) -> asyncio.Future[CheckedBlock]:
        if self._processes < 1:
            return asyncio.ensure_future(asyncio.to_thread(check, job, self._keys))
        executor = _POOL.get(self._secret, self._processes)
        try:
            future: Future[CheckedBlock] = executor.submit(_check_in_worker, job)
        except BrokenProcessPool:
            _POOL.drop(executor)
            raise
        wrapped = asyncio.wrap_future(future)
        wrapped.add_done_callback(lambda done: self._dropped_if_broken(done, executor))
        return wrapped

    @staticmethod
    def _dropped_if_broken(done: asyncio.Future[CheckedBlock], executor: ProcessPoolExecutor) -> None:
        if not done.cancelled() and isinstance(done.exception(), BrokenProcessPool):
            _POOL.drop(executor)
