"""Fixtures of the document tests: a real SQLite Loket with staff, as in tests/services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket, open_loket
from loket.services.users import User
from loket.storage.database import DB_FILE_NAME
from tests.services.support import FakeClock, make_staff, open_copy


@pytest.fixture(scope="session")
def staffed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents-template")
    loket = open_loket(data_dir=folder, create=True, clock=FakeClock())
    loket.close()
    staffed = tmp_path_factory.mktemp("documents-staffed")
    loket = open_copy(folder / DB_FILE_NAME, staffed, FakeClock())
    make_staff(loket)
    loket.close()
    return staffed / DB_FILE_NAME


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def loket(staffed_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Loket]:
    loket = open_copy(staffed_db, tmp_path / "loket", clock)
    yield loket
    loket.close()


@pytest.fixture
def staff(loket: Loket) -> dict[Role, User]:
    found = {role: loket.users.by_username(role.value) for role in Role}
    return {role: user for role, user in found.items() if user is not None}
