"""Fixtures of the desktop tests: a signed-in session on the shared Loket fixtures.

Offscreen Qt and the Loket with staff come from ``tests/conftest.py``. Work runs
through :class:`ui.tasks.ImmediateTasks`, so a test never waits on a thread; one test
of the search drives the real thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from ui.app import build_session
from ui.preview import OUTPUT_FILE_KEY
from ui.session import Session
from ui.tasks import ImmediateTasks

SessionFactory = Callable[[Role], Session]


@pytest.fixture
def printed_file(tmp_path: Path) -> Path:
    return tmp_path / "printed.pdf"


@pytest.fixture
def session_for(loket: Loket, staff: dict[Role, User], printed_file: Path) -> SessionFactory:
    """A signed-in session of ``role``; this station prints to ``printed_file``."""

    def factory(role: Role) -> Session:
        session = build_session(loket, staff[role], ImmediateTasks())
        session.station.put(OUTPUT_FILE_KEY, str(printed_file))
        return session

    return factory
