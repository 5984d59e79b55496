"""In-process worker loops (relay, consumers) of a service, for tests that drive the event path directly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from libs.kernel.db import Database
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime, ServiceDefinition, worker_tasks


@contextlib.asynccontextmanager
async def runtime_of(definition: ServiceDefinition) -> AsyncIterator[Runtime]:
    settings = definition.settings()
    db = Database(settings, definition.name)
    try:
        yield Runtime(definition, settings, db, Outbox(definition.tables.outbox, settings))
    finally:
        await db.dispose()


@contextlib.asynccontextmanager
async def running_worker(runtime: Runtime) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = [asyncio.create_task(run()) for run in worker_tasks(runtime, stop)]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait(tasks, timeout=20)
        for task in tasks:
            task.cancel()
