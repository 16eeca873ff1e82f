"""Shared fixtures. Tests mirror the source tree; real SQLite files, not mocks.

The Loket fixtures serve every test folder (services, documents, back office, ui):
building the schema (Alembic) and adding the staff cost time, so both are done once
per session into template files that each test copies before ``open_loket`` opens it
with ``create=True``; every test still gets its own database file. Passwords are
hashed with a deliberately cheap argon2 setting to keep the suite fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LOKET_LANG"] = "id"


from loket.domain.roles import Role
from loket.services.context import Loket, open_loket
from loket.services.users import User
from loket.storage.database import DB_FILE_NAME
from tests.services.support import FakeClock, LoketFactory, make_staff, open_copy


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised, empty database of station FO1, built once."""
    folder = tmp_path_factory.mktemp("template")
    loket = open_loket(data_dir=folder, create=True, clock=FakeClock())
    loket.close()
    return folder / DB_FILE_NAME


@pytest.fixture(scope="session")
def staffed_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template with one user per role (see :func:`make_staff`), built once."""
    folder = tmp_path_factory.mktemp("staffed")
    loket = open_copy(template_db, folder, FakeClock())
    make_staff(loket)
    loket.close()
    return folder / DB_FILE_NAME


@pytest.fixture
def make_loket(template_db: Path) -> Iterator[LoketFactory]:
    """Open a Loket on a folder (a copy of the template the first time); closed after."""
    opened: list[Loket] = []

    def factory(folder: Path, clock: FakeClock, sop_dirs: list[Path] | None = None) -> Loket:
        loket = open_copy(template_db, folder, clock, sop_dirs)
        opened.append(loket)
        return loket

    yield factory
    for loket in opened:
        loket.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def loket(staffed_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Loket]:
    """A Loket of its own for the test, already holding one user per role."""
    loket = open_copy(staffed_db, tmp_path / "loket", clock)
    yield loket
    loket.close()


@pytest.fixture
def staff(loket: Loket) -> dict[Role, User]:
    """The users of ``loket``, one per role, named after their role."""
    found = {role: loket.users.by_username(role.value) for role in Role}
    return {role: user for role, user in found.items() if user is not None}
