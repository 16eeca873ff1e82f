"""Work off the UI thread: database writes on one serialized worker, reads on a pool.

Each task is a plain callable; its result (or the exception it raised) comes back
to the UI thread through a Qt signal, so widgets only ever touch results there.
Tests use :class:`ImmediateTasks`, which runs the callable at once and delivers
the same way (Picard's synchronous runner), so a test never waits on a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Tasks(Protocol):
    def read(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None: ...

    def write(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None: ...

    def wait(self) -> None: ...


class _Relay(QObject):
    """Lives in the UI thread; the worker emits, Qt queues the call back here."""

    finished = Signal(object, object, object)  # result, done, failed
    crashed = Signal(object, object)  # exception, failed

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._finish)
        self.crashed.connect(self._crash)

    @Slot(object, object, object)
    def _finish(self, result: object, done: Done, _failed: Failed) -> None:
        done(result)

    @Slot(object, object)
    def _crash(self, error: BaseException, failed: Failed) -> None:
        failed(error)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, work: Callable[[], Any], done: Done, failed: Failed) -> None:
        super().__init__()
        self._relay, self._work, self._done, self._failed = relay, work, done, failed

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to the UI thread, which shows it
            self._relay.crashed.emit(exc, self._failed)
        else:
            self._relay.finished.emit(result, self._done, self._failed)


class ThreadTasks:
    """Reads on a small pool; writes one at a time, in order, on their own thread."""

    def __init__(self) -> None:
        self._relay = _Relay()
        self._readers = QThreadPool()
        self._readers.setMaxThreadCount(2)
        self._writer = QThreadPool()
        self._writer.setMaxThreadCount(1)

    def read(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        self._readers.start(_Job(self._relay, work, done, failed))

    def write(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        self._writer.start(_Job(self._relay, work, done, failed))

    def wait(self) -> None:
        """Let running work finish (at exit, so no write is cut off)."""
        self._writer.waitForDone()
        self._readers.waitForDone()


class ImmediateTasks:
    """Runs each task at once on the calling thread: deterministic tests."""

    def read(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        self._run(work, done, failed)

    def write(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        self._run(work, done, failed)

    def wait(self) -> None:
        return None

    @staticmethod
    def _run(work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        try:
            result = work()
        except Exception as exc:
            failed(exc)
        else:
            done(result)
