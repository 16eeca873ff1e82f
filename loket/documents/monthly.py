"""The monthly report (*laporan bulanan*) as a PDF with charts and as an XLSX workbook.

The documents layer knows nothing of services: it is given a :class:`MonthlySheet`
of ready texts and numbers, and lays it out. Charts are ReportLab graphics (bar
charts of the month's figures per SOP and of compliance per step).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from loket.documents.fonts import BOLD, REGULAR
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Letterhead
from loket.documents.styles import make_styles, text

_PALETTE = (
    colors.HexColor("#1f77b4"),
    colors.HexColor("#2ca02c"),
    colors.HexColor("#ff7f0e"),
    colors.HexColor("#d62728"),
    colors.HexColor("#9467bd"),
)


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


def _table(
    headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], width: float, first: float
) -> Table:
    """A grid whose first column takes ``first`` of the width; cells wrap, never overflow."""
    styles = make_styles(7)
    data = [
        [Paragraph(text(h), styles.bold) for h in headers],
        *[[Paragraph(text(v), styles.small) for v in r] for r in rows],
    ]
    rest = (width * (1 - first)) / max(1, len(headers) - 1)
    table = Table(data, repeatRows=1, colWidths=[width * first] + [rest] * (len(headers) - 1))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
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
    rows = sheet.compliance or (("-", 0.0),)
    height = max(30 * mm, (len(rows) * 5 + 18) * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 40 * mm, 8 * mm
    chart.width, chart.height = width - 50 * mm, height - 18 * mm
    chart.data = [[share for _label, share in rows]]
    chart.categoryAxis.categoryNames = [label for label, _share in rows]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = _PALETTE[1]
    drawing.add(chart)
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
        _table(sheet.sop_headers, sheet.sop_rows, width, 0.28),
        Spacer(1, 4 * mm),
        _bars(sheet, width),
        Spacer(1, 3 * mm),
        *[Paragraph(text(line), styles.body) for line in sheet.ikm_lines],
        Spacer(1, 4 * mm),
        _compliance(sheet, width),
        Spacer(1, 4 * mm),
        _table(sheet.step_headers, sheet.step_rows, width, 0.1),
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
    _fill(first, sheet.title, sheet.period, sheet.sop_headers, sheet.sop_rows)
    for line in sheet.ikm_lines:
        first.append([line])
    steps = book.create_sheet("Langkah")
    _fill(steps, sheet.title, sheet.period, sheet.step_headers, sheet.step_rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def _number(value: str) -> object:
    """Figures go in as numbers (so the office can sum them); labels stay text."""
    plain = value.replace("%", "").replace(",", ".").strip()
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return value
