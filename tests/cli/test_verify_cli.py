"""``loket verify --key``: another office checks a permit with only the exported public key."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest

from loket.documents.signing import payload_from_pdf
from loket.services.context import open_loket
from loket.services.keys import KeyStore
from tests.cli.support import run
from tests.services.support import FakeClock, issue, make_staff, register


@pytest.fixture
def landak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Path]:
    """The issuing office's data folder: a permit printed, its public key exported."""
    folder = tmp_path / "landak"
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOKET_DATA_DIR", str(folder))
    loket = open_loket(data_dir=folder, create=True, clock=FakeClock())
    try:
        staff = make_staff(loket)
        number = issue(loket, staff, register(loket, staff)).record.number
    finally:
        loket.close()
    key, pdf = tmp_path / "landak.pub.pem", tmp_path / "izin.pdf"
    assert run(capsys, "keys", "init")[0] == 0
    assert run(capsys, "keys", "export", "--out", str(key))[0] == 0
    assert run(capsys, "permit", number, "--out", str(pdf))[0] == 0
    return {"key": key, "pdf": pdf, "folder": folder}


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another office's PC: an empty data folder, no database, no key of its own."""
    folder = tmp_path / "sanggau"
    folder.mkdir()
    monkeypatch.setenv("LOKET_DATA_DIR", str(folder))
    return folder


def test_a_permit_verifies_with_only_the_exported_key(
    landak: dict[str, Path], elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "verify", "--key", str(landak["key"]), str(landak["pdf"]))
    assert (code, err) == (0, "")
    assert "Izin asli: tanda tangan kantor cocok." in out
    assert "Pemegang" in out
    assert "Yohanes Dadi" in out
    assert list(elsewhere.iterdir()) == []  # no database, no key folder made
    payload = payload_from_pdf(landak["pdf"].read_bytes())
    assert payload is not None
    code, out, _err = run(capsys, "verify", "--key", str(landak["key"]), payload)  # the QR's text
    assert code == 0
    assert "Izin asli" in out


def test_a_foreign_key_and_a_tampered_payload_fail(
    landak: dict[str, Path], elsewhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = KeyStore(tmp_path / "other-office").init().public_path
    code, out, err = run(capsys, "verify", "--key", str(foreign), str(landak["pdf"]))
    assert code == 1
    assert out == ""
    assert "tidak dipercaya di sini" in err
    payload = payload_from_pdf(landak["pdf"].read_bytes())
    assert payload is not None
    forged = payload.replace('"h":"Yohanes Dadi"', '"h":"Yohanes Palsu"')
    assert forged != payload
    code, _out, err = run(capsys, "verify", "--key", str(landak["key"]), forged)
    assert code == 1
    assert "Tanda tangan tidak cocok" in err
    # Either of two offices' keys: the right one among them is enough.
    both = ("--key", str(foreign), "--key", str(landak["key"]))
    assert run(capsys, "verify", *both, str(landak["pdf"]))[0] == 0
    assert list(elsewhere.iterdir()) == []


def test_bad_key_files_and_inputs_are_refused_in_indonesian(
    landak: dict[str, Path], elsewhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = str(landak["pdf"])
    code, _out, err = run(capsys, "verify", "--key", str(tmp_path / "hilang.pem"), pdf)
    assert code == 1
    assert "Berkas kunci publik" in err
    assert "tidak ditemukan" in err
    code, _out, err = run(capsys, "verify", "--key", pdf, pdf)  # a PDF is not a key
    assert code == 1
    assert "bukan kunci publik Ed25519" in err
    assert "loket keys export" in err
    code, _out, err = run(capsys, "verify", "--key", str(landak["key"]), str(tmp_path / "x.pdf"))
    assert code == 1
    assert "tidak ada, dan teks itu bukan isi kode QR izin Loket" in err
    code, _out, err = run(capsys, "verify", "--key", str(landak["key"]), str(tmp_path))
    assert code == 1
    assert "itu sebuah folder" in err
    assert list(elsewhere.iterdir()) == []


def test_without_key_the_data_folder_is_still_needed(
    landak: dict[str, Path], elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "verify", str(landak["pdf"]))
    assert code == 1
    assert "loket init" in err  # today's behaviour: the empty folder has no database
    code, out, _err = run(capsys, "--data-dir", str(landak["folder"]), "verify", str(landak["pdf"]))
    assert code == 0
    assert "Izin asli" in out


def test_an_unreadable_trusted_key_is_skipped_with_an_indonesian_warning(
    landak: dict[str, Path], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    trusted = landak["folder"] / "keys" / "trusted"
    trusted.mkdir()
    (trusted / "rusak.pem").write_text("bukan kunci")
    with caplog.at_level(logging.WARNING, logger="loket.keys"):
        code, _out, _err = run(capsys, "verify", str(landak["pdf"]))
    assert code == 0  # the office's own key still verifies its permit
    assert "rusak.pem dilewati" in caplog.text


def test_the_register_takes_the_status_in_indonesian(
    landak: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def numbers(status: str) -> list[str]:
        target = tmp_path / f"register-{status}.csv"
        args = ("register", "--status", status, "--format", "csv", "--out", str(target))
        assert run(capsys, *args)[0] == 0
        text = target.read_text(encoding="utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row if "/FO1/" in cell]

    assert len(numbers("terbit")) == 1
    assert numbers("terbit") == numbers("issued")
    assert numbers("ditolak") == []
