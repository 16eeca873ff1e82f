"""Machine-readable codes drawn as vectors: Code128 (ReportLab's own) and QR (segno).

Vectors stay sharp at any printer resolution. Each code is drawn by a
:class:`CodeFlowable`, which also records where on which page it landed, so that
tests (and a preview) can crop each code and decode it on its own.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

QUIET_MODULES = 4  # the QR code's own quiet zone, in modules


class CodeKind(enum.StrEnum):
    CODE128 = "code128"
    QR = "qr"


@dataclass(frozen=True, slots=True)
class CodeMark:
    """Where a code was drawn: page index (0-based) and box in points from bottom-left."""

    kind: CodeKind
    value: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


class CodeFlowable(Flowable):  # type: ignore[misc]
    """A code of ``width`` x ``height`` points that notes its place in ``marks``."""

    def __init__(
        self, kind: CodeKind, value: str, marks: list[CodeMark], *, module: float, height: float
    ) -> None:
        super().__init__()
        self.kind = kind
        self.value = value
        self.marks = marks
        self.module = module
        self.bar_height = height
        self.rotated = False
        if kind is CodeKind.CODE128:
            self._barcode = Code128(
                value, barWidth=module, barHeight=height, humanReadable=False, quiet=True
            )
            self.width = float(self._barcode.width)
            self.height = height
        else:
            self._qr = _qr(value)
            self.modules = self._qr.symbol_size(border=QUIET_MODULES)[0]
            self.width = self.height = self.modules * module

    def rotate(self) -> CodeFlowable:
        """Draw a Code128 turned a quarter: bars across a narrow roll, length along it."""
        self.rotated = True
        self.width, self.height = self.height, self.width
        return self

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.width, self.height)
        self.marks.append(
            CodeMark(
                self.kind,
                self.value,
                canvas.getPageNumber() - 1,
                min(x0, x1),
                min(y0, y1),
                max(x0, x1),
                max(y0, y1),
            )
        )
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        if self.kind is CodeKind.QR:
            self._draw_qr()
        elif self.rotated:
            canvas.translate(self.width, 0)
            canvas.rotate(90)
            self._barcode.drawOn(canvas, 0, 0)
        else:
            self._barcode.drawOn(canvas, 0, 0)
        canvas.restoreState()

    def _draw_qr(self) -> None:
        """Dark modules as rectangles, one per horizontal run, top row first."""
        canvas = self.canv
        size = self.module
        rows = [list(row) for row in self._qr.matrix_iter(scale=1, border=QUIET_MODULES)]
        path = canvas.beginPath()
        for r, row in enumerate(rows):
            y = self.height - (r + 1) * size
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(start * size, y, (c - start) * size, size)
        canvas.drawPath(path, stroke=0, fill=1)


@functools.lru_cache(maxsize=16)
def _qr(value: str) -> segno.QRCode:
    """One encoding per value: sizing a document's QR and drawing it encode it once.

    Always a full QR (never Micro QR, which many scanners cannot read), level M.
    """
    return segno.make_qr(value, error="m")


def qr_version(value: str) -> int:
    """The QR version (1-40) a value needs: larger versions need larger prints."""
    return int(_qr(value).version)


def qr_module_for(value: str, min_module: float = 0.5 * mm, max_side: float = 45 * mm) -> float:
    """A module size keeping the symbol within ``max_side`` but never below ``min_module``."""
    modules = int(_qr(value).symbol_size(border=QUIET_MODULES)[0])
    return float(max(min_module, min(1.0 * mm, max_side / modules)))
