"""The monthly report's PDF as a reader sees it: whole header words, coloured compliance bars."""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from loket.documents import Letterhead
from loket.documents.monthly import (
    FAIR_COLOUR,
    FAIR_SHARE,
    GOOD_COLOUR,
    GOOD_SHARE,
    POOR_COLOUR,
    MonthlySheet,
    column_widths,
    compliance_legend,
    monthly_pdf,
    monthly_xlsx,
    share_colour,
)
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.monthly import monthly_document, monthly_sheet
from loket.services.users import User
from tests.documents.support import pdf_text, words_outside_page
from tests.services.support import FakeClock, drive, issue, register

LETTERHEAD = Letterhead("PEMERINTAH KABUPATEN LANDAK", "DPMPTSP-TK", "Ngabang")


def a_month_of_work(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    """Both SOPs: issued, in progress, returned to the applicant."""
    issue(loket, staff, register(loket, staff, 68))
    issue(loket, staff, register(loket, staff, 76))
    drive(loket, staff, register(loket, staff, 76), 7)
    register(loket, staff, 68, received=frozenset({"nib"}))
    clock.advance(days=2)


def test_no_header_word_is_split_across_lines(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    a_month_of_work(loket, staff, clock)
    report = loket.back_office.monthly.report(staff[Role.KEPALA_DINAS], date(2026, 3, 1))
    sheet = monthly_sheet(report)
    pdf = monthly_document(report, loket.office.office(), "pdf")
    words = set(pdf_text(pdf).split())
    headers = sheet.sop_headers + sheet.step_headers
    assert "Dikembalikan" in headers and "Rata-rata hari kerja" in headers
    for header in headers:
        for word in header.split():
            assert word in words, (header, word)
    assert words_outside_page(pdf) == []


def test_every_column_is_as_wide_as_its_longest_word() -> None:
    from loket.documents.monthly import _cell_styles

    head, body = _cell_styles()
    headers = ("Jenis izin", "Diterima", "Dikembalikan", "Rata-rata hari kerja")
    rows = (("SOP 68 Izin Usaha Perbengkelan", "16", "1", "2.85"),)
    widths = column_widths(headers, rows, 100 * mm, head, body)
    assert sum(widths) == pytest.approx(100 * mm)
    for header, width in zip(headers, widths, strict=True):
        longest = max(stringWidth(w, head.fontName, head.fontSize) for w in header.split())
        assert width > longest + 6


def test_thresholds_decide_the_colour() -> None:
    assert (GOOD_SHARE, FAIR_SHARE) == (90.0, 75.0)
    assert share_colour(100.0) == share_colour(GOOD_SHARE) == GOOD_COLOUR
    assert share_colour(89.9) == share_colour(FAIR_SHARE) == FAIR_COLOUR
    assert share_colour(74.9) == share_colour(0.0) == POOR_COLOUR
    assert [c for c, _label in compliance_legend()] == [GOOD_COLOUR, FAIR_COLOUR, POOR_COLOUR]


def sheet_with(compliance: tuple[tuple[str, float], ...]) -> MonthlySheet:
    return MonthlySheet(
        title="Laporan Bulanan 03/2026",
        period="Periode 01-03-2026 s.d. 31-03-2026",
        sop_headers=("Jenis izin", "Diterima"),
        sop_rows=(("SOP 68", "3"),),
        step_headers=("SOP", "Langkah"),
        step_rows=(("68", "1"),),
        ikm_lines=(),
        chart_title="Berkas per jenis izin",
        chart_groups=("SOP 68",),
        chart_series=(("Diterima", (3,)),),
        compliance_title="Kepatuhan mutu baku per langkah (%)",
        compliance=compliance,
    )


def colour_pixels(pdf: bytes) -> dict[str, int]:
    """How many pixels of page 1, rendered at 100 dpi, have each bar colour."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(source), f"{folder}/p"],
            check=True,
        )
        (page,) = Path(folder).glob("p-*.png")
        image = Image.open(page).convert("RGB")
    wanted = {"good": GOOD_COLOUR, "fair": FAIR_COLOUR, "poor": POOR_COLOUR}
    targets = {name: _rgb(colour) for name, colour in wanted.items()}
    found = dict.fromkeys(targets, 0)
    for pixel, count in _histogram(image).items():
        for name, target in targets.items():
            if all(abs(a - b) <= 6 for a, b in zip(pixel, target, strict=True)):
                found[name] += count
    return found


def _rgb(colour: colors.Color) -> tuple[int, int, int]:
    red, green, blue = colour.rgb()
    return round(red * 255), round(green * 255), round(blue * 255)


def _histogram(image: Image.Image) -> dict[tuple[int, int, int], int]:
    counted = image.getcolors(maxcolors=image.width * image.height) or []
    return {tuple(pixel): count for count, pixel in counted}  # type: ignore[misc]


#: A bar of 40 % or more is several thousand pixels at 100 dpi; a legend swatch is
#: about a hundred.
BAR_PIXELS = 1500


def test_compliance_bars_take_the_colour_of_their_threshold() -> None:
    mixed = sheet_with((("SOP 68 / 1", 96.0), ("SOP 68 / 2", 80.0), ("SOP 68 / 3", 45.0)))
    pdf = monthly_pdf(mixed, LETTERHEAD)
    found = colour_pixels(pdf)
    assert all(n > BAR_PIXELS for n in found.values()), found
    text = " ".join(pdf_text(pdf).split())
    for _colour, label in compliance_legend():
        assert " ".join(label.split()) in text
    assert "96,0%" in text and "45,0%" in text  # Indonesian decimals

    all_good = sheet_with((("SOP 68 / 1", 96.0), ("SOP 68 / 2", 91.0), ("SOP 68 / 3", 100.0)))
    found = colour_pixels(monthly_pdf(all_good, LETTERHEAD))
    assert found["good"] > 3 * BAR_PIXELS
    assert 0 < found["fair"] < BAR_PIXELS  # the legend's swatch only
    assert 0 < found["poor"] < BAR_PIXELS


def test_the_workbook_keeps_the_ikm_score_a_number_and_its_grade_beside_it() -> None:
    sheet = replace(
        sheet_with(()),
        sop_headers=("Jenis izin", "Diterima", "IKM"),
        sop_rows=(("SOP 68", "3", "74,44 C"), ("SOP 76", "1", "-")),
    )
    rows = list(load_workbook(io.BytesIO(monthly_xlsx(sheet)))["SOP"].iter_rows(values_only=True))
    assert rows[3] == ("Jenis izin", "Diterima", "IKM", "Mutu")
    assert rows[4] == ("SOP 68", 3, 74.44, "C")
    assert rows[5][:3] == ("SOP 76", 1, "-")  # no answers: no score, no grade
