"""The register: filtered rows, XLSX with real dates and a frozen header, CSV, paged PDF."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from loket.documents import ExportFormat
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
