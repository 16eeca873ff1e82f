"""The register: filtered rows, XLSX with real dates and a frozen header, CSV, paged PDF."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from loket.documents import ExportFormat, load_texts
from loket.documents.fonts import REGULAR, register_fonts
from loket.documents.register import (
    FONT_SIZE,
    MIN_FONT_SIZE,
    PAD,
    WIDTHS_MM,
    RegisterHeading,
    RegisterRow,
    fit_number,
    register_pdf,
    step_dates_text,
    wrap_dates,
)
from loket.domain.calendar import WIB
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.reports import RegisterQuery
from loket.services.users import SYSTEM, User
from tests.documents.support import pdf_text, words_outside_page
from tests.services.support import FakeClock, issue, register


def three_dossiers(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> list[str]:
    numbers = [issue(loket, staff, register(loket, staff)).record.number]
    clock.advance(days=7)
    numbers.append(register(loket, staff, 76).record.number)
    clock.advance(days=7)
    numbers.append(register(loket, staff).record.number)
    return numbers


def test_rows_are_filtered_by_period_and_sop(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    numbers = three_dossiers(loket, staff, clock)
    every = list(loket.documents.register_rows(SYSTEM, RegisterQuery()))
    assert [r.number for r in every] == numbers  # oldest first
    first_week = RegisterQuery(start=date(2026, 3, 2), end=date(2026, 3, 8))
    assert [r.number for r in loket.documents.register_rows(SYSTEM, first_week)] == numbers[:1]
    sop76 = RegisterQuery(sop=76)
    assert [r.number for r in loket.documents.register_rows(SYSTEM, sop76)] == [numbers[1]]
    issued = every[0]
    assert issued.permit_number
    assert len(issued.step_dates) == 9


def test_xlsx_has_real_dates_and_a_frozen_header(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    numbers = three_dossiers(loket, staff, clock)
    data = loket.documents.register(SYSTEM, RegisterQuery(), ExportFormat.XLSX)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Nomor berkas"
    assert [r[1] for r in rows[1:]] == numbers
    assert isinstance(rows[1][2], datetime)
    assert rows[1][2] == datetime(2026, 3, 2, 9, 0)


def test_csv_lists_the_same_rows(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    numbers = three_dossiers(loket, staff, clock)
    data = loket.documents.register(SYSTEM, RegisterQuery(), ExportFormat.CSV)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == numbers
    assert rows[1][2] == "2026-03-02 09:00"


def test_pdf_repeats_its_header_and_numbers_its_pages(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    for _ in range(45):
        register(loket, staff)
        clock.advance(hours=1)
    clock.advance(days=1) - timedelta(0)
    data = loket.documents.register(SYSTEM, RegisterQuery(), ExportFormat.PDF)
    text = pdf_text(data)
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for no, page in enumerate(pages, 1):
        assert "Nomor berkas" in page
        assert f"Halaman {no} dari {len(pages)}" in " ".join(page.split())
    assert words_outside_page(data) == []


def test_a_long_unbroken_value_is_cut_within_its_column() -> None:
    from loket.documents.fonts import REGULAR, register_fonts
    from loket.documents.register import FONT_SIZE, wrap

    register_fonts()
    lines = wrap("503/0005/IPK/DPMPTSP-TK/2025/LANJUTAN", REGULAR, 60)
    assert len(lines) > 1
    assert "".join(lines) == "503/0005/IPK/DPMPTSP-TK/2025/LANJUTAN"
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert all(stringWidth(line, REGULAR, FONT_SIZE) <= 60 for line in lines)


def test_dossier_and_permit_numbers_stay_whole_in_the_pdf(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    issued = [issue(loket, staff, register(loket, staff, sop)).record for sop in (68, 76, 68)]
    clock.advance(days=1)
    data = loket.documents.register(SYSTEM, RegisterQuery(), ExportFormat.PDF)
    words = pdf_text(data).split()
    assert issued[0].permit is not None
    assert issued[0].permit.number == "503/0001/IUP-BKL/DPMPTSP-TK/2026"
    for record in issued:
        assert record.permit is not None
        assert record.number in words
        assert record.permit.number in words


def synthetic_row(number: str, permit_number: str) -> RegisterRow:
    when = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
    return RegisterRow(
        number=number,
        received_at=when,
        applicant="Yohanes Dadi",
        business="Bengkel Dadi Motor",
        sop_number=68,
        sop_name="Izin Usaha Perbengkelan",
        step_no=9,
        step_activity="Penetapan Izin",
        step_dates=tuple((no, when) for no in range(1, 12)),
        permit_number=permit_number,
        status="Izin diserahkan",
    )


def test_long_numbers_shrink_and_break_only_after_a_slash() -> None:
    heading = RegisterHeading(None, None, "", "", datetime(2026, 3, 2, 9, tzinfo=WIB), 0)
    shrunk = "503/0112/IUP-BKL/DPMPTSP-TK/XII/2026"
    broken = "503/000001/IZIN-USAHA-PERBENGKELAN-RODA-EMPAT/DPMPTSP-TK/XII/2026"
    rows = [
        synthetic_row("SOP68/2026/FO1/000123", "503/0001/IUP-BKL/DPMPTSP-TK/2026"),
        synthetic_row("SOP68/2026/FO12/1000000", shrunk),
        synthetic_row("SOP68/2026/FO1/000124", broken),
    ]
    data = register_pdf(rows, heading, load_texts())
    words = pdf_text(data).split()
    for whole in ("SOP68/2026/FO1/000123", "SOP68/2026/FO12/1000000", shrunk):
        assert whole in words
    assert "503/0001/IUP-BKL/DPMPTSP-TK/2026" in words
    assert words_outside_page(data) == []

    register_fonts()
    width = WIDTHS_MM[8] * mm - 2 * PAD
    cell = fit_number(shrunk, REGULAR, width)
    assert len(cell.lines) == 1 and MIN_FONT_SIZE <= cell.size < FONT_SIZE
    cell = fit_number(broken, REGULAR, width)
    assert cell.size == MIN_FONT_SIZE and len(cell.lines) > 1
    assert "".join(cell.lines) == broken
    assert all(line.endswith("/") for line in cell.lines[:-1])
    assert all(stringWidth(line, REGULAR, cell.size) <= width for line in cell.lines)
    # The broken number's lines, as printed: each ends after a slash.
    assert cell.lines[0] in words


def test_step_dates_break_between_pairs_only() -> None:
    register_fonts()
    text = step_dates_text(synthetic_row("SOP68/2026/FO1/000123", ""))
    lines = wrap_dates(text, REGULAR, WIDTHS_MM[7] * mm - 2 * PAD)
    assert len(lines) > 1
    assert " ".join(lines) == text
    for line in lines:
        assert all(": " in pair for pair in line.rstrip(";").split("; "))
