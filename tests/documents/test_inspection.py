"""The Berita Acara Pemeriksaan: codes decode, fields print, long content stays on the page."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from loket.documents import (
    CodeKind,
    InspectionPhoto,
    InspectionReportData,
    Letterhead,
    TeamMember,
    inspection_report_pdf,
    load_texts,
    team_member,
)
from loket.documents.page import PageFormat
from loket.documents.paths import PLACEHOLDER_LOGO
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import WorkflowRefused
from loket.services.users import User
from tests.backoffice.support import walk_to
from tests.documents.support import (
    INSPECTION_STEP,
    assert_codes_decode,
    inspected,
    pdf_text,
    photo_bytes,
    reading_text,
    words_outside_frame,
    words_outside_page,
)
from tests.services.support import FakeClock, register


def pdf_images(pdf: bytes, folder: Path) -> int:
    """How many pictures the PDF embeds (poppler's pdfimages reads a file)."""
    path = folder / "images.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    rows = [line.split() for line in done.stdout.decode().splitlines()[2:]]
    return sum(1 for row in rows if row[2] == "image")  # not the logo's alpha mask


def test_bap_codes_decode_and_fields_print(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, tmp_path: Path
) -> None:
    number = inspected(loket, staff, clock)
    document = loket.documents.inspection_report_document(staff[Role.KASI_PERIZINAN], number)
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})
    assert {m.value for m in document.codes} == {number}
    text = " ".join(pdf_text(document.pdf).split())
    for expected in (
        "BERITA ACARA PEMERIKSAAN LAPANGAN",
        number,
        "Yohanes Dadi",
        "Bengkel Dadi Motor",
        "Senin, 2 Maret 2026",  # the fake clock's day, as the office writes it
        "Andi Saputra",
        "Dinas Perhubungan",
        "Budi Santoso",
        "NIP 19800101",
        "kapasitas 12 kendaraan",
        "Akses jalan memadai",
        "Layak diterbitkan",
        "halaman-pool.jpg",
        "Kepala Seksi Perizinan",
    ):
        assert expected in text, expected
    assert document.warnings == ()
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    # The logo and the photo's thumbnail are the PDF's two pictures.
    assert pdf_images(document.pdf, tmp_path) == 2
    trail = [e["action"] for e in loket.dossiers.audit_trail(staff[Role.KASI_PERIZINAN], number)]
    assert trail.count("print_inspection_report") == 1


def test_long_findings_and_ten_members_stay_on_the_page(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    finding = ("Bangunan pool semi permanen dengan atap seng; " * 10)[:300]
    assert len(finding) == 300
    team = [
        f"Anggota Tim Nomor {n} Dengan Nama Panjang (Staf Dinas Lingkungan Hidup {n})"
        for n in range(1, 11)
    ]
    number = inspected(loket, staff, clock, team=team, findings=finding)
    document = loket.documents.inspection_report_document(staff[Role.KASI_PERIZINAN], number)
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    text = reading_text(document.pdf)
    for n in range(1, 11):
        assert f"Anggota Tim Nomor {n} Dengan Nama Panjang" in text
        assert f"Staf Dinas Lingkungan Hidup {n}" in text
    assert finding.strip() in text
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})


def test_an_unbroken_300_character_word_wraps_inside_the_frame() -> None:
    """A pasted code or URL with no spaces must wrap too, not run off the page."""
    data = InspectionReportData(
        number="B-FO1-2026-000001",
        sop_number=76,
        sop_name="Izin Pool Kendaraan",
        applicant="CV Landak Jaya Transport",
        identity="9120001234567",
        business="Pool Landak Jaya",
        location="Jl. Raya Ngabang km 2, Kab. Landak",
        inspected_on=date(2026, 3, 5),
        team=tuple(TeamMember(f"Petugas {n}", "X" * 120) for n in range(10)),
        findings="K" * 300,
        recommendation="Layak",
        photos=(),
        city="Ngabang",
    )
    letterhead = Letterhead(
        "PEMERINTAH KABUPATEN LANDAK", "DPMPTSP-TK", "Ngabang", logo_path=str(PLACEHOLDER_LOGO)
    )
    document = inspection_report_pdf(data, letterhead, load_texts())
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    assert "Tidak ada foto" in reading_text(document.pdf)
    # Every letter prints, across the wrapped lines, and none of the ten details is cut.
    joined = reading_text(document.pdf).replace(" ", "")
    assert "K" * 300 in joined
    assert joined.count("X" * 120) == 10


def test_a_missing_photo_file_gives_a_note_not_a_failure(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, tmp_path: Path
) -> None:
    kept, lost = photo_bytes(), photo_bytes("PNG", (800, 600))
    number = inspected(loket, staff, clock, photos=(("depan.jpg", kept), ("samping.png", lost)))
    kasi = staff[Role.KASI_PERIZINAN]
    [_first, second] = loket.back_office.attachments.list(kasi, number)
    loket.back_office.attachments.path_of(second.sha256).unlink()
    document = loket.documents.inspection_report_document(kasi, number)
    text = " ".join(pdf_text(document.pdf).split())
    assert "samping.png" in text
    assert "Berkas foto tidak ditemukan di folder data" in text
    assert any("samping.png" in w for w in document.warnings)
    assert pdf_images(document.pdf, tmp_path) == 2  # the logo and the photo still there
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})


def test_a_pdf_attachment_is_listed_without_a_thumbnail() -> None:
    words = load_texts()["inspection"]
    base = InspectionReportData(
        number="B-FO1-2026-000002",
        sop_number=76,
        sop_name="Izin Pool Kendaraan",
        applicant="Maria Ani",
        identity="",
        business="",
        location="",
        inspected_on=date(2026, 3, 5),
        team=(TeamMember("Andi", ""),),
        findings="Sesuai",
        recommendation="Layak",
        photos=(
            InspectionPhoto("denah.pdf", "foto_lapangan", "application/pdf", b"%PDF-1.4"),
            InspectionPhoto("rusak.jpg", "foto_lapangan", "image/jpeg", b"\xff\xd8\xffrusak"),
        ),
        city="Ngabang",
    )
    letterhead = Letterhead("PEMERINTAH KABUPATEN LANDAK", "DPMPTSP-TK", "Ngabang")
    document = inspection_report_pdf(base, letterhead, load_texts())
    text = " ".join(pdf_text(document.pdf).split())
    assert words["photo_not_image"] in text
    assert words["photo_unreadable"] in text
    assert "rusak.jpg" in text
    empty = inspection_report_pdf(replace(base, photos=()), letterhead, load_texts())
    assert words["no_photos"] in " ".join(pdf_text(empty.pdf).split())


def test_team_members_are_read_as_name_and_detail() -> None:
    assert team_member("Budi Santoso (Dishub, NIP 198001012005011001)") == TeamMember(
        "Budi Santoso", "Dishub, NIP 198001012005011001"
    )
    assert team_member("  Andi   Saputra ") == TeamMember("Andi Saputra", "")
    assert team_member("(Dishub)") == TeamMember("(Dishub)", "")


def test_no_bap_before_the_inspection_is_recorded(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    kasi = staff[Role.KASI_PERIZINAN]
    workshop = register(loket, staff, 68).record.number  # SOP 68 has no field inspection
    with pytest.raises(WorkflowRefused, match="hasil pemeriksaan lapangan belum dicatat"):
        loket.documents.inspection_report(kasi, workshop)
    view = walk_to(loket, staff, register(loket, staff, 76), clock, INSPECTION_STEP)
    loket.back_office.inspections.schedule(
        staff[Role.TIM_TEKNIS], view.record.number, clock.now.date(), ["Andi"]
    )
    with pytest.raises(WorkflowRefused, match="Belum ada Berita Acara Pemeriksaan"):
        loket.documents.inspection_report(kasi, view.record.number)
    trail = [e["action"] for e in loket.dossiers.audit_trail(kasi, view.record.number)]
    assert "print_inspection_report" not in trail
