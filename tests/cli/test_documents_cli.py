"""The documents' commands, run in-process on a real database as a person would type them."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.cli.main import main
from loket.documents.signing import payload_from_pdf, pdf_keywords
from loket.services.context import open_loket
from tests.backoffice.support import walk_to
from tests.documents.support import inspected, pdf_text, rejected
from tests.services.support import FakeClock, issue, make_staff, register


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    loket = open_loket(data_dir=tmp_path, create=True, clock=FakeClock())
    try:
        staff = make_staff(loket)
        issued = issue(loket, staff, register(loket, staff)).record.number
        returned = register(loket, staff, received=frozenset({"formulir"})).record.number
    finally:
        loket.close()
    return {"issued": issued, "returned": returned}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_document_from_the_command_line(
    demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("a5", "a4", "80mm", "58mm"):
        out = tmp_path / f"r-{fmt}.pdf"
        assert run(capsys, "receipt", demo["issued"], "--out", str(out), "--format", fmt)[0] == 0
        assert out.read_bytes().startswith(b"%PDF")
    slip = tmp_path / "slip.pdf"
    assert run(capsys, "return-slip", demo["returned"], "--out", str(slip))[0] == 0
    permit = tmp_path / "permit.pdf"
    code, _out, err = run(capsys, "permit", demo["issued"], "--out", str(permit))
    assert code == 1
    assert "loket keys init" in err
    assert run(capsys, "keys", "init")[0] == 0
    assert run(capsys, "permit", demo["issued"], "--out", str(permit))[0] == 0
    code, out, _err = run(capsys, "verify", str(permit))
    assert code == 0
    assert "Izin asli" in out
    assert demo["issued"] in out
    for fmt in ("pdf", "xlsx", "csv"):
        target = tmp_path / f"register.{fmt}"
        args = ("register", "--from", "2026-01-01", "--to", "2026-12-31")
        assert run(capsys, *args, "--format", fmt, "--out", str(target))[0] == 0
        assert target.stat().st_size > 0
    code, out, _err = run(capsys, "keys", "export")
    assert code == 0
    assert "BEGIN PUBLIC KEY" in out


def test_a_tampered_permit_fails_verify(
    demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keys", "init")
    permit = tmp_path / "permit.pdf"
    run(capsys, "permit", demo["issued"], "--out", str(permit))
    pdf = permit.read_bytes()
    payload = payload_from_pdf(pdf)
    assert payload is not None
    forged = payload.replace('"h":"Yohanes Dadi"', '"h":"Yohanes Palsu"')
    assert forged != payload
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf.replace(pdf_keywords(payload).encode(), pdf_keywords(forged).encode()))
    code, _out, err = run(capsys, "verify", str(tampered))
    assert code == 1
    assert "tidak cocok" in err
    code, _out, err = run(capsys, "verify", "bukan izin")
    assert code == 1


def test_bad_dates_are_refused_in_indonesian(
    demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["register", "--from", "kemarin", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    assert "tanggal harus berbentuk" in capsys.readouterr().err
    code, _out, err = run(
        capsys,
        "register",
        "--from",
        "2026-12-01",
        "--to",
        "2026-01-01",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert code == 1
    assert "jatuh setelah" in err


@pytest.fixture
def back_office_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Dossiers for the back office's documents: inspected, rejected, awaiting signature."""
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    clock = FakeClock()
    loket = open_loket(data_dir=tmp_path, create=True, clock=clock)
    try:
        staff = make_staff(loket)
        inspected_number = inspected(loket, staff, clock)
        rejected_number = rejected(loket, staff, clock)
        waiting = walk_to(loket, staff, register(loket, staff, 76), clock, 11).record.number
        issued = issue(loket, staff, register(loket, staff)).record.number
    finally:
        loket.close()
    return {
        "inspected": inspected_number,
        "rejected": rejected_number,
        "waiting": waiting,
        "issued": issued,
    }


def test_back_office_documents_from_the_command_line(
    back_office_demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = back_office_demo
    bap = tmp_path / "bap.pdf"
    code, out, _err = run(capsys, "bap", numbers["inspected"], "--out", str(bap))
    assert code == 0
    assert str(bap) in out
    assert "BERITA ACARA PEMERIKSAAN" in pdf_text(bap.read_bytes())
    letter = tmp_path / "tolak.pdf"
    assert run(capsys, "rejection-letter", numbers["rejected"], "--out", str(letter))[0] == 0
    assert "SURAT PENOLAKAN" in pdf_text(letter.read_bytes())
    draft = tmp_path / "draf.pdf"
    assert run(capsys, "permit", numbers["waiting"], "--draft", "--out", str(draft))[0] == 0
    assert "belum ditandatangani" in pdf_text(draft.read_bytes())
    # No signing key is needed for a draft: nothing is signed.
    code, _out, err = run(capsys, "verify", str(draft))
    assert code == 1
    assert "tidak memuat data izin" in err


def test_back_office_documents_refused_in_indonesian(
    back_office_demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = back_office_demo
    target = tmp_path / "x.pdf"
    code, _out, err = run(capsys, "rejection-letter", numbers["waiting"], "--out", str(target))
    assert code == 1
    assert "surat penolakan hanya dibuat untuk berkas yang ditolak" in err
    code, _out, err = run(capsys, "permit", numbers["issued"], "--draft", "--out", str(target))
    assert code == 1
    assert "sudah ditandatangani" in err
    code, _out, err = run(capsys, "bap", numbers["rejected"], "--out", str(target))
    assert code == 1
    assert "belum dicatat" in err
    assert not target.exists()  # nothing half-written


def test_a_bap_with_a_lost_photo_still_prints_with_a_warning(
    back_office_demo: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for photo in (tmp_path / "attachments").rglob("*"):
        if photo.is_file():
            photo.unlink()
    bap = tmp_path / "bap.pdf"
    code, _out, err = run(capsys, "bap", back_office_demo["inspected"], "--out", str(bap))
    assert code == 0
    assert "halaman-pool.jpg" in err
    assert "Berkas foto tidak ditemukan" in " ".join(pdf_text(bap.read_bytes()).split())
