"""*Buku Register*: one row per dossier, as PDF (A4 landscape), XLSX and CSV.

Rows arrive as an iterable and are written as they come, so a register of a
hundred thousand dossiers is never held as a whole: the XLSX is written with
openpyxl's write-only mode, the PDF is drawn row by row on the canvas (no table
object of the whole register), with the column header repeated on every page
and "Halaman N dari M" whose M is a form filled in when the last page is done.
"""

from __future__ import annotations

import csv
import enum
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from loket.documents.fonts import BOLD, REGULAR, register_fonts
from loket.documents.texts import TextBook, Texts
from loket.domain.formatting import OFFICE_TZ, long_date, long_datetime, short_datetime


class ExportFormat(enum.StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One dossier in the register (what the monthly report will aggregate too)."""

    number: str
    received_at: datetime
    applicant: str
    business: str
    sop_number: int
    sop_name: str
    step_no: int
    step_activity: str
    step_dates: tuple[tuple[int, datetime], ...]  # (step, when it was finished)
    permit_number: str
    status: str  # the status's label
    status_code: str = ""


@dataclass(frozen=True, slots=True)
class RegisterHeading:
    """What the register shows above its rows: the period and the filters."""

    start: date | None
    end: date | None
    sop: str  # "" : every SOP
    status: str  # "" : every status
    printed_at: datetime
    step_columns: int  # how many "Langkah N" columns the spreadsheet gets


def _local(moment: datetime) -> datetime:
    """A naive local (WIB) time: spreadsheets have no time zones."""
    return moment.astimezone(OFFICE_TZ).replace(tzinfo=None)


def _short_date(moment: datetime) -> str:
    return _local(moment).strftime("%d-%m-%y")


def step_dates_text(row: RegisterRow) -> str:
    return "; ".join(f"{no}: {_short_date(when)}" for no, when in row.step_dates)


def _columns(words: Texts, heading: RegisterHeading) -> list[str]:
    return [
        words["col_no"],
        words["col_number"],
        words["col_received"],
        words["col_applicant"],
        words["col_business"],
        words["col_sop"],
        words["col_step"],
        *(words.fill("col_step_n", no=n) for n in range(1, heading.step_columns + 1)),
        words["col_permit"],
        words["col_status"],
    ]


def _cells(no: int, row: RegisterRow, heading: RegisterHeading) -> list[object]:
    by_step = dict(row.step_dates)
    return [
        no,
        row.number,
        _local(row.received_at),
        row.applicant,
        row.business,
        row.sop_number,
        f"{row.step_no}. {row.step_activity}",
        *(_local(by_step[n]) if n in by_step else None for n in range(1, heading.step_columns + 1)),
        row.permit_number,
        row.status,
    ]


# --- XLSX ----------------------------------------------------------------------------------


def register_xlsx(rows: Iterable[RegisterRow], heading: RegisterHeading, texts: TextBook) -> bytes:
    words = texts["register"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Register")
    sheet.freeze_panes = "A2"
    names = _columns(words, heading)
    widths = [6, 24, 17, 30, 30, 6, 28, *([15] * heading.step_columns), 32, 20]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for no, row in enumerate(rows, 1):
        out = []
        for value in _cells(no, row, heading):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd-mm-yyyy hh:mm"
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- CSV -----------------------------------------------------------------------------------


def register_csv(rows: Iterable[RegisterRow], heading: RegisterHeading, texts: TextBook) -> bytes:
    """UTF-8 with a byte-order mark, so that a spreadsheet opens the diacritics right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(texts["register"], heading))
    for no, row in enumerate(rows, 1):
        writer.writerow(
            v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else ("" if v is None else v)
            for v in _cells(no, row, heading)
        )
    return buffer.getvalue().encode("utf-8-sig")


# --- PDF -----------------------------------------------------------------------------------

PAGE = landscape(A4)
MARGIN = 12 * mm
FONT_SIZE = 7.0
#: The smallest size a number may shrink to so as to stay on one line: still read
#: without a magnifier on a laser print.
MIN_FONT_SIZE = 5.5
LEADING = 8.6
PAD = 1.6
TOTAL_FORM = "register_page_total"
#: Column widths in mm (273 mm between the margins of A4 landscape). The permit
#: number column holds ``503/0001/IUP-BKL/DPMPTSP-TK/2026`` at full size, the
#: dossier number column ``SOP68/2026/FO1/000123``.
WIDTHS_MM = (11, 36, 24, 30, 30, 9, 30, 36, 47, 20)
#: Columns holding a number (dossier, permit) that must not be cut mid-token.
NUMBER_COLUMNS = frozenset({1, 8})
#: The column of the steps' dates, whose "step: date" pairs stay whole.
DATES_COLUMN = 7
_DATES_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's lines and the font size they are drawn at."""

    lines: tuple[str, ...]
    size: float = FONT_SIZE


def _pdf_values(no: int, row: RegisterRow) -> list[str]:
    return [
        str(no),
        row.number,
        short_datetime(row.received_at),
        row.applicant,
        row.business or "—",
        str(row.sop_number),
        f"{row.step_no}. {row.step_activity}",
        step_dates_text(row) or "—",
        row.permit_number or "—",
        row.status,
    ]


def wrap(value: str, font: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """Lines of ``value`` within ``width``; a word longer than the column is cut by letters."""
    lines: list[str] = []
    for split in simpleSplit(value, font, size, width) or [""]:
        rest = split
        while stringWidth(rest, font, size) > width and len(rest) > 1:
            cut = len(rest) - 1
            while cut > 1 and stringWidth(rest[:cut], font, size) > width:
                cut -= 1
            lines.append(rest[:cut])
            rest = rest[cut:]
        lines.append(rest)
    return lines


def fit_number(value: str, font: str, width: float) -> Cell:
    """A number on one line, in a smaller font if need be, split after a "/" if it must.

    A permit or dossier number is read and typed back as one token; cut in the
    middle of a part ("DPMPTSP-TK/2" / "026") it reads as two other numbers. So
    only when even :data:`MIN_FONT_SIZE` is too wide is it split, after a "/" (and
    by letters only within a part that alone is wider than the column).
    """
    natural = stringWidth(value, font, FONT_SIZE)
    if natural <= width:
        return Cell((value,))
    size = math.floor(FONT_SIZE * width / natural * 10) / 10
    if size >= MIN_FONT_SIZE:
        return Cell((value,), size)
    parts = [part + "/" for part in value.split("/")]
    parts[-1] = parts[-1][:-1]
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and stringWidth(line + part, font, MIN_FONT_SIZE) > width:
            lines.append(line)
            line = ""
        line += part
    lines.append(line)
    cut = [piece for line in lines for piece in wrap(line, font, width, MIN_FONT_SIZE)]
    return Cell(tuple(cut), MIN_FONT_SIZE)


def wrap_dates(value: str, font: str, width: float) -> list[str]:
    """The steps' dates, a line breaking only between "step: date" pairs."""
    pairs = value.split(_DATES_SEPARATOR)
    lines: list[str] = []
    line = ""
    for index, pair in enumerate(pairs):
        piece = pair + (";" if index < len(pairs) - 1 else "")
        joined = f"{line} {piece}" if line else piece
        if line and stringWidth(joined, font, FONT_SIZE) > width:
            lines.append(line)
            joined = piece
        line = joined
    lines.append(line)
    return [part for line in lines for part in wrap(line, font, width)]


def _cell(column: int, value: str, font: str, width: float) -> Cell:
    if column in NUMBER_COLUMNS:
        return fit_number(value, font, width)
    if column == DATES_COLUMN:
        return Cell(tuple(wrap_dates(value, font, width)))
    return Cell(tuple(wrap(value, font, width)))


class _RegisterCanvas:
    """Draws the register row by row: header on each page, a row never split."""

    def __init__(self, heading: RegisterHeading, words: Texts) -> None:
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=PAGE, invariant=True, initialFontName=REGULAR)
        self.canvas.setTitle(words["title"])
        self.canvas.setAuthor("Loket")
        self.words = words
        self.heading = heading
        self.widths = [w * mm for w in WIDTHS_MM]
        self.titles = [
            words["col_no"],
            words["col_number"],
            words["col_received"],
            words["col_applicant"],
            words["col_business"],
            words["col_sop"],
            words["col_step"],
            words["col_steps"],
            words["col_permit"],
            words["col_status"],
        ]
        self.page = 0
        self.y = 0.0
        self.bottom = MARGIN + 8 * mm

    def _cells(self, values: list[str], font: str) -> list[Cell]:
        return [
            _cell(column, value, font, width - 2 * PAD)
            for column, (value, width) in enumerate(zip(values, self.widths, strict=True))
        ]

    def _titles(self) -> list[Cell]:
        """The column titles, wrapped between words only."""
        return [
            Cell(tuple(wrap(title, BOLD, width - 2 * PAD)))
            for title, width in zip(self.titles, self.widths, strict=True)
        ]

    def _draw_row(self, cells: list[Cell], font: str, shade: bool) -> None:
        height = _height(cells)
        canvas = self.canvas
        if shade:
            canvas.setFillColorRGB(0.88, 0.88, 0.88)
            canvas.rect(MARGIN, self.y - height, sum(self.widths), height, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
        canvas.setLineWidth(0.3)
        x = MARGIN
        for cell, width in zip(cells, self.widths, strict=True):
            text = canvas.beginText(x + PAD, self.y - PAD - FONT_SIZE)
            text.setFont(font, cell.size, LEADING)
            for line in cell.lines:
                text.textLine(line)
            canvas.drawText(text)
            x += width
        canvas.line(MARGIN, self.y - height, MARGIN + sum(self.widths), self.y - height)
        self.y -= height

    def start_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        canvas = self.canvas
        width, height = PAGE
        top = height - MARGIN
        canvas.setFont(BOLD, 12)
        canvas.drawCentredString(width / 2, top - 10, self.words["title"])
        canvas.setFont(REGULAR, 8)
        canvas.drawCentredString(width / 2, top - 22, self._filters())
        # Footer: "Halaman N dari " and the total, a form drawn once the count is known.
        label = self.words.fill("page", page=self.page)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(
            MARGIN, MARGIN, self.words.fill("printed", when=long_datetime(self.heading.printed_at))
        )
        label_width = canvas.stringWidth(label, REGULAR, 7.5)
        right = width - MARGIN - 14 * mm
        canvas.drawString(right - label_width, MARGIN, label)
        canvas.saveState()
        canvas.translate(right, MARGIN)
        canvas.doForm(TOTAL_FORM)
        canvas.restoreState()
        self.y = top - 30
        self._draw_row(self._titles(), BOLD, shade=True)

    def _filters(self) -> str:
        heading, words = self.heading, self.words
        start = long_date(heading.start) if heading.start else "…"
        end = long_date(heading.end) if heading.end else "…"
        parts = [
            words.fill("period", start=start, end=end),
            words.fill("filter_sop", sop=heading.sop or words["all"]),
            words.fill("filter_status", status=heading.status or words["all"]),
        ]
        return "   ·   ".join(parts)

    def add(self, no: int, row: RegisterRow) -> None:
        cells = self._cells(_pdf_values(no, row), REGULAR)
        if self.y - _height(cells) < self.bottom:
            self.start_page()
        self._draw_row(cells, REGULAR, shade=False)

    def finish(self, count: int) -> bytes:
        if count == 0:
            self.canvas.setFont(REGULAR, 9)
            self.canvas.drawString(MARGIN, self.y - 14, self.words["empty"])
        self.canvas.showPage()
        self.canvas.beginForm(TOTAL_FORM)
        self.canvas.setFont(REGULAR, 7.5)
        self.canvas.drawString(0, 0, str(self.page))
        self.canvas.endForm()
        self.canvas.save()
        return self.buffer.getvalue()


def _height(cells: list[Cell]) -> float:
    return max(len(cell.lines) for cell in cells) * LEADING + 2 * PAD


def register_pdf(rows: Iterable[RegisterRow], heading: RegisterHeading, texts: TextBook) -> bytes:
    drawer = _RegisterCanvas(heading, texts["register"])
    drawer.start_page()
    count = 0
    for row in rows:
        count += 1
        drawer.add(count, row)
    return drawer.finish(count)


def export_register(
    rows: Iterable[RegisterRow], heading: RegisterHeading, texts: TextBook, fmt: ExportFormat
) -> bytes:
    writers = {
        ExportFormat.PDF: register_pdf,
        ExportFormat.XLSX: register_xlsx,
        ExportFormat.CSV: register_csv,
    }
    return writers[fmt](rows, heading, texts)
