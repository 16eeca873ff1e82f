"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loket.domain.i18n import set_language


@pytest.fixture(autouse=True)
def _indonesian_after_each_test() -> Iterator[None]:
    """``--lang en`` switches the process's language: the next test starts in Indonesian."""
    yield
    set_language("id")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    return tmp_path
