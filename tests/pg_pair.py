"""A private PostgreSQL primary and a streaming replica made from it with `pg_basebackup -R`, for the
read-replica tests (tests/core/test_read_replica.py). The machine's own cluster allows no replication
connections, so the pair is made from scratch in a temporary directory, on free ports, as the `postgres`
OS user when the tests run as root (initdb refuses root), and removed at the end.

`start_pair()` raises PairUnavailable with the reason when it cannot be done (no binaries, no `postgres`
user, initdb or a start failing); the fixture turns that into a loud skip, or a failure under CI=true."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

START_TIMEOUT = 30  # seconds for `pg_ctl start -w`


class PairUnavailable(Exception):
    """The pair cannot be made here; the message says why."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PairUnavailable("no PostgreSQL server binaries (initdb) found")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Pair:
    root: Path
    bin: Path
    as_user: list[str]
    primary_port: int
    replica_port: int

    def url(self, port: int) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,
                              timeout=120, check=False)
        if done.returncode:
            raise PairUnavailable(f"{tool} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    def start(self, name: str, port: int) -> None:
        self.run("pg_ctl", "-D", str(self.root / name), "-l", str(self.root / f"{name}.log"), "-w",
                 "-t", str(START_TIMEOUT), "-o", f"-p {port} -k {self.root}", "start")

    def stop(self, name: str) -> None:
        self.run("pg_ctl", "-D", str(self.root / name), "-m", "immediate", "-w", "stop")

    def sql(self, port: int, statement: str) -> object:
        """One statement on one server, outside the app; returns the first column of the first row."""
        engine = create_engine(self.url(port), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                result = conn.execute(text(statement))
                value = result.scalar() if result.returns_rows else None
                conn.commit()
                return value
        finally:
            engine.dispose()

    def wait_for(self, port: int, statement: str, timeout: float = 15) -> None:
        """Poll `statement` (a boolean) on a server until it is true."""
        end = time.monotonic() + timeout
        while not self.sql(port, statement):
            if time.monotonic() > end:
                raise AssertionError(f"still false after {timeout}s: {statement}")
            time.sleep(0.05)

    def pause_replay(self) -> None:
        self.sql(self.replica_port, "SELECT pg_wal_replay_pause()")
        self.wait_for(self.replica_port, "SELECT pg_get_wal_replay_pause_state() = 'paused'")

    def catch_up(self) -> None:
        """Resume replay (if paused) and wait until the replica has replayed every commit the primary made.

        The primary commits asynchronously (synchronous_commit = off, SETTINGS): a commit's WAL record may still be
        in its WAL buffers, beyond pg_current_wal_lsn() (the write position), and waiting for that position let a
        just-published record miss on the replica once in a while. So first one transaction that writes WAL (a
        transactional logical message: no table touched) commits synchronously — its commit flushes the WAL up to
        itself, every earlier commit included; a transaction that wrote no WAL would commit asynchronously anyway —
        and the wait is for the flush position after it."""
        self.sql(self.replica_port, "SELECT pg_wal_replay_resume()")
        self.sql(self.primary_port, "SELECT set_config('synchronous_commit', 'on', true), "
                                    "pg_logical_emit_message(true, 'gk-test', 'catch up')")
        lsn = self.sql(self.primary_port, "SELECT pg_current_wal_flush_lsn()")
        self.wait_for(self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")

    def remove(self) -> None:
        for name in ("replica", "primary"):
            if (self.root / name / "postmaster.pid").exists():
                try:
                    self.stop(name)
                except PairUnavailable:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)


SETTINGS = """
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 16MB
"""


def start_primary() -> Pair:
    """initdb a primary and start it (no replica: its port stays unused)."""
    binaries = _bin_dir()
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PairUnavailable("running as root and there is no `postgres` user to run initdb as") from None
        as_user = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="gk-replica-"))
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    pair = Pair(root, binaries, as_user, _free_port(), _free_port())
    try:
        pair.run("initdb", "-D", str(root / "primary"), "-U", "postgres", "-A", "trust", "--no-sync",
                 "--no-instructions", "-E", "UTF8", "--locale", "C.UTF-8")
        with open(root / "primary" / "postgresql.conf", "a") as conf:
            conf.write(SETTINGS)
        with open(root / "primary" / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        pair.start("primary", pair.primary_port)
    except (PairUnavailable, subprocess.TimeoutExpired, OSError) as exc:
        pair.remove()
        raise PairUnavailable(str(exc)) from exc
    return pair


def start_pair() -> Pair:
    """initdb a primary, start it, `pg_basebackup -R` a replica from it and start that: both answering."""
    pair = start_primary()
    root = pair.root
    try:
        pair.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
                 "-D", str(root / "replica"), "-R", "-X", "stream", "--no-sync", "-c", "fast")
        pair.start("replica", pair.replica_port)
        pair.wait_for(pair.replica_port, "SELECT pg_is_in_recovery()")
    except (PairUnavailable, subprocess.TimeoutExpired, OSError) as exc:
        pair.remove()
        raise PairUnavailable(str(exc)) from exc
    return pair
