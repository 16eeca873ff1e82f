"""Fixtures of the storage tests: real SQLite files in tmp_path, a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loket.storage import migrate
from loket.storage.database import Database
from tests.pg import pg_cluster, pg_url
from tests.storage.support import sqlite_url

__all__ = ["database", "db_path", "pg_cluster", "pg_url"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "loket.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    """An SQLite database at the newest schema, closed after the test."""
    db = Database(sqlite_url(db_path))
    migrate.upgrade(db)
    try:
        yield db
    finally:
        db.dispose()
