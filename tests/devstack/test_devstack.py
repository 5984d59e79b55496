"""The devstack: a throw-away stack really serves, stops completely, and never outlives the process that owns it.

These tests start servers of their own (besides the session's `stack`), so they are synchronous: `running()` drives
its own event loop, and its children must be spawned from the main thread (a parent-death signal fires when the
spawning thread ends).
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import psutil
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from libs.contracts.events.catalogue import TOPICS
from libs.devstack.processes import free_port, lost_its_port, tail
from libs.devstack.stack import DevStack, running
from tests.support.waiting import wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
CHILD_SCRIPT = Path(__file__).with_name("stack_child.py")
EXTERNAL_VARIABLES = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_TOPIC_PREFIX")


@dataclass(frozen=True)
class Server:
    """A process identified by pid and start time, so a recycled pid is not mistaken for it."""

    pid: int
    created: float

    @classmethod
    def of(cls, process: psutil.Process) -> Server:
        return cls(process.pid, process.create_time())

    def alive(self) -> bool:
        try:
            process = psutil.Process(self.pid)
            # An orphan nobody reaps stays a zombie: it is dead, whatever the process table says.
            return bool(process.create_time() == self.created and process.status() != psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return False

    def cmdline(self) -> str:
        try:
            return " ".join(psutil.Process(self.pid).cmdline())
        except psutil.Error:
            return ""


def descendants() -> dict[int, psutil.Process]:
    return {p.pid: p for p in psutil.Process().children(recursive=True)}


def wait_until_gone(servers: Iterable[Server], timeout: float = 30.0) -> None:
    async def still_alive() -> list[Server]:
        return [s for s in servers if s.alive()]

    asyncio.run(wait_until(still_alive, lambda alive: not alive, timeout=timeout))


async def round_trip(stack: DevStack) -> None:
    """A query through PostgreSQL and a message through the broker, with plain clients."""
    conn = await asyncpg.connect(stack.database_url)
    try:
        await conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        await conn.execute("INSERT INTO notes (body) VALUES ($1)", "hello")
        assert await conn.fetchval("SELECT current_database()") == "jiuzhu"
        assert await conn.fetchval("SELECT body FROM notes") == "hello"
    finally:
        await conn.close()

    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers)
    await admin.start()
    try:
        assert set(await admin.list_topics()) >= set(TOPICS)
    finally:
        await admin.close()

    value = uuid.uuid4().bytes
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        sent = await producer.send_and_wait("platform-probe", value, key=b"hh-1")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition("platform-probe", sent.partition)
        consumer.assign([tp])
        consumer.seek(tp, sent.offset)
        received = await asyncio.wait_for(consumer.getone(), 15)
    finally:
        await consumer.stop()
    assert (received.key, received.value) == (b"hh-1", value)


def test_a_second_stack_serves_and_leaves_no_process_or_directory_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in EXTERNAL_VARIABLES:  # the session stack exported these: this stack must start its own servers
        monkeypatch.delenv(name, raising=False)
    before = descendants()

    with running() as stack:
        assert stack._postgres is not None
        assert stack._broker is not None
        servers = [Server.of(p) for pid, p in descendants().items() if pid not in before]
        commands = [s.cmdline() for s in servers]
        assert any(str(stack.data_dir / "postgres") in c for c in commands), commands
        assert any(f"tcp://127.0.0.1:{stack._broker.port}" in c for c in commands), commands
        asyncio.run(round_trip(stack))
        data_dir = stack.data_dir

    wait_until_gone(servers, timeout=10)
    assert not data_dir.exists()


def test_a_sigkilled_owner_takes_its_servers_with_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in EXTERNAL_VARIABLES}
    env["PYTHONPATH"] = str(REPO_ROOT)
    errors = tmp_path / "child.stderr"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, str(CHILD_SCRIPT), str(tmp_path / "stack")],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=REPO_ROOT,
        )
    assert child.stdout is not None
    try:
        readable, _, _ = select.select([child.stdout], [], [], 90)
        line = child.stdout.readline() if readable else b""
        assert line, f"the child printed no pids (exit code {child.poll()}):\n{tail(errors)}"
        servers = [Server(**entry) for entry in json.loads(line)]
        commands = [s.cmdline() for s in servers]
        assert any(str(tmp_path / "stack" / "postgres") in c for c in commands), commands
        assert any("tcp://127.0.0.1:" in c for c in commands), commands
        assert all(s.alive() for s in servers)

        child.send_signal(signal.SIGKILL)
        child.wait(10)

        wait_until_gone(servers)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        child.stdout.close()


def test_external_servers_in_the_environment_mean_nothing_is_started(
    stack: DevStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrap_servers)
    children_before = {p.pid for p in psutil.Process().children()}

    external = DevStack(tmp_path / "external")
    external.start()
    try:
        assert external._postgres is None
        assert external._broker is None
        assert (external.database_url, external.bootstrap_servers) == (stack.database_url, stack.bootstrap_servers)
        assert {p.pid for p in psutil.Process().children()} == children_before
    finally:
        external.stop()

    # Stopping it stopped nothing: the servers it was pointed at still answer.
    assert {p.pid for p in psutil.Process().children()} == children_before
    asyncio.run(_select_one(stack.database_url))


async def _select_one(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("SELECT 1") == 1
    finally:
        await conn.close()


def test_a_child_that_lost_its_port_is_told_apart(tmp_path: Path) -> None:
    """uvicorn's own words when the port `free_port` gave was taken before the child bound it."""
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    log = tmp_path / "child.log"
    serve = f"import uvicorn; uvicorn.run(lambda *a: None, host='127.0.0.1', port={taken.getsockname()[1]})"
    try:
        with log.open("wb") as out:
            code = subprocess.run([sys.executable, "-c", serve], stdout=out, stderr=subprocess.STDOUT, timeout=60)
    finally:
        taken.close()
    assert code.returncode != 0
    assert lost_its_port(log)
    other = tmp_path / "other.log"
    other.write_text("Traceback (most recent call last):\nRuntimeError: the database is not reachable\n")
    assert not lost_its_port(other)


def test_a_port_given_to_a_server_lies_outside_the_range_outgoing_connections_take() -> None:
    """A restarted worker binds its old port again: an outgoing connection must not have been able to take it."""
    low, high = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    ports = {free_port() for _ in range(20)}
    assert all(not low <= port <= high for port in ports), sorted(ports)
    # Free when given: a server can bind each.
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", port))
