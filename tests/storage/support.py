"""Helpers of the storage tests: databases, child processes, a dossier's life.

Not a test module (no ``test_`` prefix): imported by the tests that need it.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from loket.domain.roles import Role
from loket.storage import models
from loket.storage.database import Database
from loket.storage.store import UserRecord

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # a Monday, 09:00 in Landak (WIB)
CHILD_TIMEOUT_S = 60

#: Every table a dossier's registration touches, for before/after comparisons.
TABLES: tuple[type[models.Base], ...] = (
    models.User,
    models.Applicant,
    models.Business,
    models.SopSnapshot,
    models.Dossier,
    models.ChecklistItem,
    models.StepVisit,
    models.Permit,
    models.Counter,
    models.AuditEntry,
    models.AuditHead,
    models.OutboxEntry,
    models.SyncState,
)

AUDITOR = UserRecord("tester", "tester", "Penguji", Role.ADMIN.value, "", "", True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        table.__tablename__: int(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
        )
        for table in TABLES
    }


def counts(database: Database) -> dict[str, int]:
    with database.read() as connection:
        return row_counts(connection)


class Ticker:
    """A clock that moves one minute per reading: distinct, ordered, repeatable times."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


# --- child processes ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["LOKET_LANG"] = "id"
    env["PYTHONWARNINGS"] = "error"
    return env


@dataclass
class Child:
    """``python -m tests.storage.child ...``, spoken to line by line."""

    process: subprocess.Popen[str]
    # Lines read by a thread: waiting on the pipe itself would miss a line already
    # sitting in the reader's buffer and wait for the timeout.
    _lines: queue.Queue[str] = field(default_factory=queue.Queue, init=False)
    _reader: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        with stdout:
            for line in stdout:
                self._lines.put(line)
        self._lines.put("")  # end of output

    def close(self) -> None:
        """After the process has ended: its reader thread and every pipe done with."""
        self._reader.join(timeout=CHILD_TIMEOUT_S)
        for pipe in (self.process.stdin, self.process.stderr):
            if pipe is not None:
                pipe.close()

    def readline(self, timeout: float = CHILD_TIMEOUT_S) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"child said nothing for {timeout} s") from None
        if not line:
            raise AssertionError(f"child ended early: {self.stderr()}")
        return line.rstrip("\n")

    def expect(self, word: str) -> str:
        line = self.readline()
        assert line.split(" ", 1)[0] == word, (line, self.stderr())
        return line

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> int:
        """SIGKILL: no finally blocks, no atexit, no rollback by the child itself."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=CHILD_TIMEOUT_S)

    def finish(self) -> str:
        """The rest of the child's output, once it has ended well."""
        self.process.wait(timeout=CHILD_TIMEOUT_S)
        rest = iter(lambda: self._lines.get(timeout=CHILD_TIMEOUT_S), "")
        out = "".join(rest)
        assert self.process.returncode == 0, self.stderr()
        return out

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()


@contextmanager
def child(*args: str) -> Iterator[Child]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.child", *args],
        cwd=REPO,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    spoken = Child(process)
    try:
        yield spoken
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=CHILD_TIMEOUT_S)
        spoken.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def plain(value: Any) -> Any:
    """Dataclasses and enums as plain data, for comparing two engines' results."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, frozenset):
        return sorted(plain(item) for item in value)
    return value
