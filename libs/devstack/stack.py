"""The development stack: PostgreSQL and the broker, embedded or external, ready to use, and the secrets its
processes need (generated once into the data directory, libs.devstack.secrets).

`DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS` in the environment point at external servers and nothing is started.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libs.contracts.events.catalogue import TOPICS
from libs.devstack.broker import TansuBroker, create_topics
from libs.devstack.postgres import EmbeddedPostgres
from libs.devstack.secrets import StackSecrets, load_or_create
from libs.kernel.connections import kafka_client_options
from libs.kernel.settings import BaseServiceSettings


@dataclass
class DevStack:
    """Start with `start()` (or use `running()`); `stop()` stops only what this stack started."""

    data_dir: Path
    durable: bool = True
    topic_prefix: str = ""
    database_url: str = ""
    bootstrap_servers: str = ""
    secrets: StackSecrets | None = field(default=None, repr=False)
    _postgres: EmbeddedPostgres | None = field(default=None, repr=False)
    _broker: TansuBroker | None = field(default=None, repr=False)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.secrets = load_or_create(self.data_dir)
        try:
            self.database_url = os.environ.get("DATABASE_URL", "")
            if not self.database_url:
                self._postgres = EmbeddedPostgres(
                    self.data_dir / "postgres", self.secrets.postgres_password, durable=self.durable
                )
                self._postgres.start()
                self.database_url = self._postgres.url
            self.bootstrap_servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
            if not self.bootstrap_servers:
                self._broker = TansuBroker(self.data_dir)
                self._broker.start()
                self.bootstrap_servers = self._broker.bootstrap
            self.ensure_topics()
        except BaseException:
            self.stop()
            raise

    def ensure_topics(self) -> None:
        topics = [self.topic_prefix + t for t in TOPICS]
        creating = create_topics(self.bootstrap_servers, topics, client_options=self._kafka_options())
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(creating)
            return
        # Called from async code (a test, a benchmark): create them on a loop of their own in another thread.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, creating).result()

    def _kafka_options(self) -> dict[str, Any]:
        """How the stack's processes reach the broker: the embedded one plainly, an external one as the environment
        says (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*), read as every process of the stack will read it."""
        if self._broker is not None:
            return {"bootstrap_servers": self.bootstrap_servers}
        assert self.secrets is not None
        settings = BaseServiceSettings(
            kafka_bootstrap_servers=self.bootstrap_servers,
            internal_token_secret=self.secrets.internal_token_secret,
            pii_key=self.secrets.pii_key,
        )
        return kafka_client_options(settings)

    def restart_broker(self) -> None:
        """Stop and start the embedded broker on the same port: every topic, message and offset is lost."""
        assert self._broker is not None, "only an embedded broker can be restarted"
        port = self._broker.port
        self._broker.stop()
        self._broker.start(port)
        self.ensure_topics()

    def stop(self) -> None:
        if self._broker is not None:
            self._broker.stop()
            self._broker = None
        if self._postgres is not None:
            self._postgres.stop()
            self._postgres = None

    def environment(self) -> dict[str, str]:
        """Variables that point a process at this stack and give it the stack's secrets."""
        assert self.secrets is not None, "start the stack first"
        return {
            "DATABASE_URL": self.database_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "KAFKA_TOPIC_PREFIX": self.topic_prefix,
            **self.secrets.environment(),
        }


@contextlib.contextmanager
def running(data_dir: Path | None = None, *, durable: bool = False, topic_prefix: str = "") -> Iterator[DevStack]:
    """A throw-away stack (temporary directory unless `data_dir` is given), stopped and removed on exit."""
    temporary = data_dir is None
    root = data_dir or Path(tempfile.mkdtemp(prefix="jiuzhu-stack-"))
    stack = DevStack(root, durable=durable, topic_prefix=topic_prefix)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        if temporary:
            shutil.rmtree(root, ignore_errors=True)
