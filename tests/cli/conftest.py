"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    return tmp_path
