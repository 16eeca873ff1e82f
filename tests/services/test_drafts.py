"""Drafts of an intake: survive a reopen, a crash mid-save, and refuse what is not a draft."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from loket.services.drafts import MAX_VALUE, Draft, DraftService
from loket.services.errors import InvalidInput
from tests.services.support import T0, FakeClock


def _draft() -> Draft:
    return Draft(68, {"nama": "Yohanes Dadi", "nik": "6108011203850001"}, frozenset({"ktp"}), 3)


def test_a_saved_draft_is_read_back_by_a_new_service(tmp_path: Path) -> None:
    saved = DraftService(tmp_path, FakeClock()).save("u1", _draft())
    assert saved.saved_at == T0
    again = DraftService(tmp_path, FakeClock()).load("u1")
    assert again == saved
    assert again is not None
    assert again.values["nama"] == "Yohanes Dadi"
    assert again.checks == frozenset({"ktp"})
    assert again.page == 3


def test_drafts_are_per_user_and_discarded(tmp_path: Path) -> None:
    drafts = DraftService(tmp_path, FakeClock())
    drafts.save("u1", _draft())
    assert drafts.load("u2") is None
    drafts.discard("u1")
    assert drafts.load("u1") is None
    drafts.discard("u1")  # nothing left to forget is not an error


def test_a_crash_during_save_keeps_the_previous_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts = DraftService(tmp_path, FakeClock())
    drafts.save("u1", _draft())

    def crash(_fd: int) -> None:
        raise OSError("disk pulled")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk pulled"):
        drafts.save("u1", Draft(76, {"nama": "Lain"}))
    monkeypatch.undo()
    kept = drafts.load("u1")
    assert kept is not None
    assert kept.sop_number == 68
    assert [p.name for p in tmp_path.iterdir()] == ["intake-u1.json"]


def test_a_damaged_or_foreign_file_is_no_draft(tmp_path: Path) -> None:
    drafts = DraftService(tmp_path, FakeClock())
    path = tmp_path / "intake-u1.json"
    path.write_text("{not json", encoding="utf-8")
    assert drafts.load("u1") is None
    path.write_text(json.dumps({"schema": 1, "sop_number": "68"}), encoding="utf-8")
    assert drafts.load("u1") is None
    path.write_text(json.dumps({"schema": 99, "sop_number": 68}), encoding="utf-8")
    assert drafts.load("u1") is None


def test_oversized_values_and_unsafe_user_ids_are_refused(tmp_path: Path) -> None:
    drafts = DraftService(tmp_path, FakeClock())
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        drafts.save("u1", Draft(68, {"nama": "x" * (MAX_VALUE + 1)}))
    with pytest.raises(InvalidInput, match="tidak sah"):
        drafts.save("../etc/passwd", _draft())
    assert list(tmp_path.iterdir()) == []
