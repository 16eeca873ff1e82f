"""Simple bar and line charts drawn with QPainter (QtCharts is not in PySide6-Essentials).

A chart holds categories (the x axis) and one or more series of values; bars of
several series stand side by side, lines share the axis. Enough for a dashboard
read at a glance: a title, a legend, a scale with its maximum, labels that thin
out when there are many categories.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from loket.domain.formatting import decimal

MARGIN = 8
AXIS_WIDTH = 44
LABEL_HEIGHT = 18
LEGEND_HEIGHT = 18
MAX_LABELS = 16


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    color: str
    values: tuple[float, ...]


def nice_maximum(value: float) -> float:
    """A round top of the scale at or above ``value`` (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def number_text(value: float) -> str:
    """Axis and bar labels: whole numbers from ten up, one decimal (``2,5``) below."""
    return decimal(value, 0 if value >= 10 or value == int(value) else 1)


class Chart(QWidget):
    """The common frame: title, legend, scale; subclasses draw the data in the plot area."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 220)

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.update()

    def maximum(self) -> float:
        """The scale's top; whole numbers at each of its four grid lines from 4 up."""
        top = nice_maximum(max((v for s in self.series for v in s.values), default=0.0))
        return top if top < 4 or top % 4 == 0 else float(math.ceil(top / 4) * 4)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        text = QColor("#222222")
        painter.setPen(text)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        top = MARGIN
        painter.drawText(
            QRectF(MARGIN, top, self.width() - 2 * MARGIN, LABEL_HEIGHT),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        font.setBold(False)
        painter.setFont(font)
        top += LABEL_HEIGHT
        x = float(MARGIN)
        for series in self.series:
            painter.fillRect(QRectF(x, top + 5, 10, 10), QColor(series.color))
            painter.setPen(text)
            width = painter.fontMetrics().horizontalAdvance(series.name) + 24
            painter.drawText(QRectF(x + 14, top, width, LEGEND_HEIGHT), series.name)
            x += width
        top += LEGEND_HEIGHT
        plot = QRectF(
            MARGIN + AXIS_WIDTH,
            top + 4,
            self.width() - 2 * MARGIN - AXIS_WIDTH,
            self.height() - top - 4 - LABEL_HEIGHT - MARGIN,
        )
        if plot.height() < 10 or plot.width() < 10:
            painter.end()
            return
        top_value = self.maximum()
        grid = QPen(QColor("#dddddd"))
        for part in range(5):
            y = plot.bottom() - plot.height() * part / 4
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(MARGIN, y - 8, AXIS_WIDTH - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                number_text(top_value * part / 4),
            )
        if not self.categories:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "—")
            painter.end()
            return
        self.draw_data(painter, plot, top_value)
        self._labels(painter, plot, text)
        painter.end()

    def _labels(self, painter: QPainter, plot: QRectF, color: QColor) -> None:
        count = len(self.categories)
        slot = plot.width() / count
        every = max(1, -(-count // MAX_LABELS))
        painter.setPen(color)
        for index, label in enumerate(self.categories):
            if index % every:
                continue
            box = QRectF(
                plot.left() + slot * index - slot * (every - 1) / 2,
                plot.bottom() + 2,
                slot * every,
                LABEL_HEIGHT,
            )
            # A label wider than its slot is cut with "…", never drawn over its neighbour.
            shown = painter.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, max(0, int(box.width()) - 4)
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shown)

    def draw_data(self, painter: QPainter, plot: QRectF, top_value: float) -> None:
        raise NotImplementedError


class BarChart(Chart):
    """Grouped bars: one group per category, one bar per series."""

    def draw_data(self, painter: QPainter, plot: QRectF, top_value: float) -> None:
        count, kinds = len(self.categories), max(1, len(self.series))
        slot = plot.width() / count
        bar = slot * 0.8 / kinds
        painter.setPen(Qt.PenStyle.NoPen)
        for position, series in enumerate(self.series):
            painter.setBrush(QColor(series.color))
            for index, value in enumerate(series.values[:count]):
                height = plot.height() * value / top_value
                left = plot.left() + slot * index + slot * 0.1 + bar * position
                painter.drawRect(QRectF(left, plot.bottom() - height, bar, height))


class LineChart(Chart):
    """One line per series over the categories (days, usually)."""

    def draw_data(self, painter: QPainter, plot: QRectF, top_value: float) -> None:
        count = len(self.categories)
        slot = plot.width() / count
        for series in self.series:
            pen = QPen(QColor(series.color))
            pen.setWidthF(2)
            painter.setPen(pen)
            points = [
                QPointF(
                    plot.left() + slot * (index + 0.5),
                    plot.bottom() - plot.height() * value / top_value,
                )
                for index, value in enumerate(series.values[:count])
            ]
            if len(points) > 1:
                painter.drawPolyline(points)
