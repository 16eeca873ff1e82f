"""A database Loket cannot write is refused up front with an Indonesian message.

The tests run as root, for whom permission bits mean nothing (``chmod 444``
does not stop root writing, and ``os.access`` says yes). So "read-only" is made
with the immutable attribute (``chattr +i``), which stops root too: the kernel
refuses to open an immutable file for writing or to create a file in an
immutable folder, and ``access(2)`` reports it. Setting it needs
CAP_LINUX_IMMUTABLE and a file system that has it (ext4, xfs, btrfs; not tmpfs):
if neither works as root, the test fails and says so rather than pass without
checking anything. As an ordinary user the permission bits are used instead.
The unwritable-folder case also has a variant that needs neither: a folder path
running through a regular file, which nobody, root included, can create.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from loket.services.context import open_loket
from loket.storage import migrate
from loket.storage.database import Database, StorageError
from tests.storage.support import sqlite_url


def _chattr(flag: str, path: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    result = subprocess.run([tool, flag, str(path)], capture_output=True, check=False)
    return result.returncode == 0


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (file or folder) unwritable even for root, then restore it."""
    if _chattr("+i", path):
        try:
            assert not os.access(path, os.W_OK), "immutable but access(2) says writable"
            yield
        finally:
            _chattr("-i", path)
        return
    if os.geteuid() == 0:
        pytest.fail(
            "cannot make a file read-only for root here: 'chattr +i' failed (no chattr, "
            "no CAP_LINUX_IMMUTABLE, or a file system without the attribute)",
            pytrace=False,
        )
    mode = path.stat().st_mode
    path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield
    finally:
        path.chmod(mode)


@pytest.fixture
def existing_db(db_path: Path) -> Path:
    db = Database(sqlite_url(db_path))
    migrate.upgrade(db)
    db.dispose()
    return db_path


def test_a_read_only_database_file_is_refused(existing_db: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(existing_db.read_bytes()).hexdigest()
    with read_only(existing_db):
        with pytest.raises(StorageError) as refused:
            Database(sqlite_url(existing_db))
        assert str(refused.value) == (
            f"Berkas basis data {existing_db} hanya dapat dibaca; Loket perlu menulis ke sana."
        )
        with pytest.raises(StorageError, match="hanya dapat dibaca"):
            open_loket(sqlite_url(existing_db), data_dir=tmp_path)
    assert hashlib.sha256(existing_db.read_bytes()).hexdigest() == before


def test_a_new_database_in_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(StorageError) as refused:
            Database(sqlite_url(folder / "loket.sqlite3"))
        assert str(refused.value) == f"Folder basis data {folder} tidak dapat ditulisi."
        with pytest.raises(StorageError, match="tidak dapat ditulisi"):
            open_loket(sqlite_url(folder / "loket.sqlite3"), data_dir=tmp_path, create=True)
    assert list(folder.iterdir()) == []


def test_an_existing_database_in_an_unwritable_folder_is_refused(existing_db: Path) -> None:
    """WAL mode creates -wal and -shm files beside the database: the folder must be writable."""
    with read_only(existing_db.parent), pytest.raises(StorageError, match="tidak dapat ditulisi"):
        Database(sqlite_url(existing_db))


def test_a_folder_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    target = blocker / "data" / "loket.sqlite3"
    with pytest.raises(StorageError) as refused:
        Database(sqlite_url(target))
    assert str(refused.value).startswith(
        f"Folder basis data {blocker / 'data'} tidak dapat dibuat:"
    )
    assert blocker.read_text() == "a file where the data folder should be"


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "loket.sqlite3"
    junk.write_bytes(b"Bukan basis data, hanya catatan. " * 200)
    before = junk.read_bytes()
    db = Database(sqlite_url(junk))
    try:
        with pytest.raises(StorageError, match="rusak atau bukan basis data Loket"):
            migrate.require_current(db)
        with pytest.raises(StorageError, match="rusak atau bukan basis data Loket"):
            migrate.upgrade(db)
    finally:
        db.dispose()
    assert junk.read_bytes() == before
