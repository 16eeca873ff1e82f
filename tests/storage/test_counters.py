"""Named counters count per name, and concurrent writers never share a value."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import pytest

from loket.storage import audit
from loket.storage.database import Database
from loket.storage.store import Storage
from tests.storage.support import child, sqlite_url

PER_PROCESS = 200


def test_counters_count_per_name(database: Database) -> None:
    storage = Storage(database)
    with storage.writing() as store:
        assert [store.next_counter("SOP68/2025/FO1") for _ in range(3)] == [1, 2, 3]
        assert store.next_counter("SOP76/2025/FO1") == 1
        assert store.next_counter("permit/2025") == 1
    with storage.writing() as store:
        assert store.next_counter("SOP68/2025/FO1") == 4
        assert store.next_counter("SOP76/2025/FO1") == 2


def test_a_rolled_back_increment_is_given_again(database: Database) -> None:
    storage = Storage(database)

    def take_then_fail() -> None:
        with storage.writing() as store:
            assert store.next_counter("permit/2025") == 1
            raise RuntimeError

    with pytest.raises(RuntimeError):
        take_then_fail()
    with storage.writing() as store:
        assert store.next_counter("permit/2025") == 1


def run_concurrently(url: str, name: str, processes: int = 2) -> list[list[int]]:
    """``processes`` children, released together, each taking PER_PROCESS values."""
    with ExitStack() as stack:
        children = [
            stack.enter_context(child("count", url, name, str(PER_PROCESS)))
            for _ in range(processes)
        ]
        for each in children:
            each.expect("ready")
        for each in children:
            each.send("go")
        return [json.loads(each.finish()) for each in children]


def check_counted(results: list[list[int]], database: Database) -> None:
    values = [v for result in results for v in result]
    assert len(values) == len(set(values)) == PER_PROCESS * len(results)
    assert sorted(values) == list(range(1, len(values) + 1))  # no gaps either
    for result in results:
        assert result == sorted(result)  # each process sees its own values rise
    with database.read() as connection:
        report = audit.verify(connection)
    assert report == audit.AuditReport(len(values), None)


def test_two_processes_never_get_the_same_value(database: Database, db_path: Path) -> None:
    """Released together, each in its own transactions; with each value an audit entry.

    Whether their values interleave is up to SQLite's busy handler (a waiting
    writer polls, so one process may run ahead): not asserted.
    """
    results = run_concurrently(sqlite_url(db_path), "SOP68/2025/FO1")
    check_counted(results, database)
