"""The monthly report (*laporan bulanan*) as a PDF with charts and as an XLSX workbook.

The documents layer knows nothing of services: it is given a :class:`MonthlySheet`
of ready texts and numbers, and lays it out. Charts are ReportLab graphics (bar
charts of the month's figures per SOP and of compliance per step).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from loket.documents.fonts import BOLD, REGULAR
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Letterhead
from loket.documents.styles import make_styles, text
from loket.domain.formatting import percent
from loket.domain.i18n import _

_PALETTE = (
    colors.HexColor("#1f77b4"),
    colors.HexColor("#2ca02c"),
    colors.HexColor("#ff7f0e"),
    colors.HexColor("#d62728"),
    colors.HexColor("#9467bd"),
    colors.HexColor("#8c564b"),
)

#: A step whose share of dossiers within its time standard (*mutu baku*) is at least
#: this many percent is shown green: nine dossiers in ten on time is what the office
#: reports as keeping its standard.
GOOD_SHARE = 90.0
#: At least this many percent (and below :data:`GOOD_SHARE`) is amber: one dossier in
#: four or fewer is late, a step to watch. Below it the bar is red: the step breaks its
#: standard often enough that the head of office should act on it.
FAIR_SHARE = 75.0

GOOD_COLOUR = colors.HexColor("#2e9e4f")
FAIR_COLOUR = colors.HexColor("#f0a81c")
POOR_COLOUR = colors.HexColor("#d0342c")

#: Space kept on each side of a table cell's text, in points.
CELL_PAD = 3.0
_BREAKS = re.compile(r"[ \t\n]+")


@dataclass(frozen=True, slots=True)
class MonthlySheet:
    title: str
    period: str
    sop_headers: tuple[str, ...]
    sop_rows: tuple[tuple[str, ...], ...]
    step_headers: tuple[str, ...]
    step_rows: tuple[tuple[str, ...], ...]
    ikm_lines: tuple[str, ...]
    chart_title: str
    chart_groups: tuple[str, ...]  # one group of bars per SOP
    chart_series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, value per SOP)
    compliance_title: str
    compliance: tuple[tuple[str, float], ...]  # (step label, % within standard)
    footer: str = ""
    notes: tuple[str, ...] = ()  # what a figure means, printed under the step table


def share_colour(share: float) -> colors.Color:
    """The colour of a compliance bar: green, amber or red by the thresholds above."""
    if share >= GOOD_SHARE:
        return GOOD_COLOUR
    if share >= FAIR_SHARE:
        return FAIR_COLOUR
    return POOR_COLOUR


def compliance_legend() -> tuple[tuple[colors.Color, str], ...]:
    """What each bar colour means, in the thresholds' own figures."""
    good, fair = _percent(GOOD_SHARE), _percent(FAIR_SHARE)
    return (
        (GOOD_COLOUR, _("≥ {good}: baik").format(good=good)),
        (FAIR_COLOUR, _("{fair} s.d. < {good}: perlu perhatian").format(fair=fair, good=good)),
        (POOR_COLOUR, _("< {fair}: di bawah sasaran").format(fair=fair)),
    )


def _percent(value: float) -> str:
    return f"{value:g}%"


def column_widths(
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    width: float,
    head: ParagraphStyle,
    body: ParagraphStyle,
) -> list[float]:
    """Widths that give every column room for its longest word, and the rest by need.

    A column narrower than its longest word makes a Paragraph cut that word in the
    middle ("Diterim/a"); so each column first gets its longest word (header or
    cell). What is left of ``width`` then goes first to the cells, so that each
    holds its text on one line, then to the headers, then evenly; at each stage in
    proportion to what a column still lacks, when there is not enough for all.
    """
    pad = 2 * CELL_PAD + 0.5

    def measure(value: str, style: ParagraphStyle) -> float:
        return float(stringWidth(value, style.fontName, style.fontSize))

    columns = [[row[index] for row in rows if index < len(row)] for index in range(len(headers))]
    shortest = [
        pad
        + max(
            (
                measure(word, style)
                for value, style in [(h, head)] + [(c, body) for c in cells]
                for word in _words(value)
            ),
            default=0.0,
        )
        for h, cells in zip(headers, columns, strict=True)
    ]
    cells_line = [pad + max((measure(c, body) for c in cells), default=0.0) for cells in columns]
    header_line = [pad + measure(h, head) for h in headers]
    widths, spare = list(shortest), width - sum(shortest)
    if spare < 0:  # cannot happen with the report's texts; never wider than the page
        return [w * width / sum(shortest) for w in shortest]
    for targets in (cells_line, header_line):
        lacking = [max(0.0, t - w) for t, w in zip(targets, widths, strict=True)]
        given = min(spare, sum(lacking))
        if given > 0:
            widths = [
                w + given * lack / sum(lacking) for w, lack in zip(widths, lacking, strict=True)
            ]
            spare -= given
    return [w + spare / len(widths) for w in widths]


def _words(value: str) -> list[str]:
    """The words a Paragraph may break between (a no-break space joins two words)."""
    return [w for w in _BREAKS.split(value) if w]


def _cell_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    """Header and body styles of the tables: words are never split across lines."""
    styles = make_styles(7)
    head = ParagraphStyle("monthly_head", parent=styles.bold, splitLongWords=0)
    body = ParagraphStyle("monthly_cell", parent=styles.small, splitLongWords=0)
    return head, body


def _table(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], width: float) -> Table:
    """A grid sized to its texts (see :func:`column_widths`); cells wrap between words."""
    head, body = _cell_styles()
    data = [
        [Paragraph(text(h), head) for h in headers],
        *[[Paragraph(text(v), body) for v in r] for r in rows],
    ]
    widths = column_widths(headers, rows, width, head, body)
    table = Table(data, repeatRows=1, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ]
        )
    )
    return table


def _bars(sheet: MonthlySheet, width: float) -> Drawing:
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 12 * mm
    chart.width, chart.height = width - 60 * mm, height - 22 * mm
    chart.data = [list(values) or [0] for _name, values in sheet.chart_series] or [[0]]
    chart.categoryAxis.categoryNames = list(sheet.chart_groups) or ["-"]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = _PALETTE[i % len(_PALETTE)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 44 * mm, height - 14 * mm
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.columnMaximum = len(sheet.chart_series) or 1
    legend.colorNamePairs = [
        (_PALETTE[i % len(_PALETTE)], name) for i, (name, _v) in enumerate(sheet.chart_series)
    ]
    drawing.add(legend)
    drawing.add(String(0, height - 6, sheet.chart_title, fontName=BOLD, fontSize=8))
    return drawing


def _compliance(sheet: MonthlySheet, width: float) -> Drawing:
    """One bar per step, coloured by :func:`share_colour`, with its legend on top."""
    rows = sheet.compliance or (("-", 0.0),)
    height = max(34 * mm, (len(rows) * 4.5 + 22) * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 40 * mm, 8 * mm
    chart.width, chart.height = width - 52 * mm, height - 22 * mm
    chart.data = [[share for _label, share in rows]]
    chart.categoryAxis.categoryNames = [label for label, _share in rows]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.bars.strokeWidth = 0.3
    for index, (_label, share) in enumerate(rows):
        chart.bars[(0, index)].fillColor = share_colour(share)
    chart.barLabelFormat = lambda share: percent(share / 100)
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 10 * mm
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx, legend.dy = 8, 6
    legend.deltax = 48 * mm
    legend.colorNamePairs = list(compliance_legend())
    drawing.add(legend)
    drawing.add(String(0, height - 6, sheet.compliance_title, fontName=BOLD, fontSize=8))
    return drawing


def monthly_pdf(sheet: MonthlySheet, letterhead: Letterhead) -> bytes:
    """The report on A4: letterhead, figures per SOP, two charts, steps, the IKM."""
    styles = make_styles(9)
    out = io.BytesIO()
    margin = 15 * mm
    width = A4[0] - 2 * margin
    warnings: list[str] = []
    story: list[Flowable] = [
        *letterhead_flowables(letterhead, styles, width, warnings, narrow=False),
        Paragraph(text(sheet.title), styles.title),
        Paragraph(text(sheet.period), styles.center),
        Spacer(1, 4 * mm),
        _table(sheet.sop_headers, sheet.sop_rows, width),
        Spacer(1, 4 * mm),
        _bars(sheet, width),
        Spacer(1, 3 * mm),
        *[Paragraph(text(line), styles.body) for line in sheet.ikm_lines],
        Spacer(1, 4 * mm),
        _compliance(sheet, width),
        Spacer(1, 4 * mm),
        _table(sheet.step_headers, sheet.step_rows, width),
        Spacer(1, 2 * mm),
        *[Paragraph(text(note), styles.small) for note in sheet.notes],
    ]
    if sheet.footer:
        story += [Spacer(1, 3 * mm), Paragraph(text(sheet.footer), styles.small)]
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=sheet.title,
        author=letterhead.office,
        invariant=True,
    )
    document.build(story)
    return out.getvalue()


def monthly_xlsx(sheet: MonthlySheet) -> bytes:
    """The same figures as a workbook: one sheet per table, numbers as numbers."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "SOP"
    _fill(first, sheet.title, sheet.period, *_grade_apart(sheet.sop_headers, sheet.sop_rows))
    for line in sheet.ikm_lines:
        first.append([line])
    steps = book.create_sheet("Langkah")
    _fill(steps, sheet.title, sheet.period, sheet.step_headers, sheet.step_rows)
    for note in sheet.notes:
        steps.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_SCORE_AND_GRADE = re.compile(r"(\S+) ([A-D])")


def _grade_apart(
    headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The last column, the IKM as the page prints it (``74,44 C``), as a score and a grade.

    On paper one cell reads well; in the workbook the score must be a number the
    office can average, with the grade (*mutu*) beside it.
    """
    split = []
    for row in rows:
        found = _SCORE_AND_GRADE.fullmatch(row[-1])
        split.append((*row[:-1], *(found.groups() if found else (row[-1], ""))))
    return (*headers, _("Mutu")), tuple(split)


def _fill(
    ws: Worksheet,
    title: str,
    period: str,
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append([period])
    ws.append([])
    ws.append(list(headers))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_number(v) for v in row])


INDONESIAN_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")


def _number(value: str) -> object:
    """Figures go in as numbers (so the office can sum them); labels stay text.

    The sheet's figures are written the Indonesian way (``4.792``, ``2,99``,
    ``88,1%``): dots group thousands, the comma marks decimals.
    """
    plain = value.replace("%", "").strip()
    if INDONESIAN_NUMBER.fullmatch(plain):
        plain = plain.replace(".", "").replace(",", ".")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return value
