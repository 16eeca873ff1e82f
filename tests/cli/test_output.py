"""Writing a command's output: whole or not at all, and never over what is not a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from loket.cli.output import write_output
from loket.services.errors import InvalidInput


def test_a_new_file_is_written_and_no_partial_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "izin.pdf"
    write_output(target, b"%PDF-1.4 data")
    assert target.read_bytes() == b"%PDF-1.4 data"
    assert [p.name for p in tmp_path.iterdir()] == ["izin.pdf"]


def test_an_existing_file_is_replaced_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "folder"),
        (os.mkfifo, "bukan berkas biasa"),
        (lambda p: p.symlink_to(p.parent / "elsewhere.pdf"), "bukan berkas biasa"),
        (lambda p: (p.write_bytes(b"keep"), p.chmod(0o444)), "hanya-baca"),
    ],
    ids=["folder", "fifo", "symlink", "read-only"],
)
def test_what_is_not_a_writable_regular_file_is_refused_and_left_as_it_was(
    tmp_path: Path, make: object, reason: str
) -> None:
    target = tmp_path / "out.pdf"
    make(target)  # type: ignore[operator]
    before = target.lstat()
    with pytest.raises(InvalidInput, match=reason):
        write_output(target, b"%PDF")
    after = target.lstat()
    assert (after.st_mode, after.st_ino, after.st_size) == (
        before.st_mode,
        before.st_ino,
        before.st_size,
    )


def test_a_missing_folder_is_named_in_indonesian(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"folder .*tidak ada"):
        write_output(tmp_path / "tidak-ada" / "izin.pdf", b"%PDF")
