"""``loket sop check`` on a file that is not valid TOML: where, in Indonesian."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import run

REPO = Path(__file__).resolve().parents[2]


def test_a_toml_syntax_error_names_file_line_and_column(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "sop-068-rusak.toml"
    lines = (REPO / "data/sop/sop-068.toml").read_text(encoding="utf-8").splitlines()
    lines[4] = "nama = = 'dua kali'"
    broken.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run(capsys, "sop", "check", str(broken))
    assert (code, out) == (1, "")
    assert str(broken) in err
    assert "format TOML tidak sah di baris 5, kolom 8 (Invalid value)" in err


def test_a_file_cut_short_is_said_to_end_too_soon(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "sop-terpotong.toml"
    broken.write_text('number = 68\nname = "Izin Usaha', encoding="utf-8")
    code, _out, err = run(capsys, "sop", "check", str(broken))
    assert code == 1
    assert f"{broken}: (berkas): format TOML tidak sah di akhir berkas (" in err
