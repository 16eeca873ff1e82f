"""`loket office show|set`: the letterhead and the signer, set from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from loket.documents.paths import PLACEHOLDER_LOGO
from tests.cli.support import run


def test_the_head_of_office_is_set_audited_and_shown(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "init", "--quiet")[0] == 0
    code, out, _ = run(capsys, "office", "show", "--json")
    assert code == 0 and json.loads(out)["configured"] is False
    shutil.copy(PLACEHOLDER_LOGO, data_dir / "logo.png")
    code, _out, _ = run(
        capsys,
        "office",
        "set",
        "--head-name",
        "Drs. Agustinus Kali, M.Si.",
        "--head-nip",
        "19750101 200003 1 002",
        "--logo-path",
        str(data_dir / "logo.png"),
    )
    assert code == 0
    shown = json.loads(run(capsys, "office", "show", "--json")[1])
    assert shown["configured"] is True
    assert shown["head_name"] == "Drs. Agustinus Kali, M.Si."
    assert shown["head_nip"] == "197501012000031002"
    assert shown["short_name"] == "DPMPTSP-TK"  # the fields not named keep their value
    assert shown["logo_path"] == str(data_dir / "logo.png")
    code, text, _ = run(capsys, "office", "show")
    assert code == 0
    assert "Nama kepala: Drs. Agustinus Kali, M.Si." in text
    assert "head_name" not in text  # the office's words, not the field names
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0


def test_a_bad_nip_is_refused_in_indonesian_and_nothing_changes(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "init", "--quiet")
    code, _out, err = run(capsys, "office", "set", "--head-nip", "12")
    assert code == 1
    assert "NIP kepala kantor harus 18 angka" in err
    assert json.loads(run(capsys, "office", "show", "--json")[1])["configured"] is False
    assert run(capsys, "office", "set")[0] == 2  # nothing named, nothing to do


@pytest.mark.parametrize("logo", ["missing.png", "not-an-image.png"])
def test_a_logo_that_cannot_be_printed_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str], logo: str
) -> None:
    run(capsys, "init", "--quiet")
    (data_dir / "not-an-image.png").write_text("root:x:0:0:root:/root:/bin/bash\n")
    code, _out, err = run(capsys, "office", "set", "--logo-path", str(data_dir / logo))
    assert code == 1
    assert "bukan gambar PNG/JPEG" in err
    assert json.loads(run(capsys, "office", "show", "--json")[1])["configured"] is False
