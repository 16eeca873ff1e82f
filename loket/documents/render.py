"""Turning a story of flowables into PDF bytes, page formats and rolls alike.

A thermal roll has no page height: the story is laid out once on a very tall
page to find where it ends, then again on a page cut to that length.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from loket.documents.codes import CodeMark
from loket.documents.fonts import BOLD, REGULAR, register_fonts
from loket.documents.model import Document
from loket.documents.page import FRAME_PADDING, MAX_ROLL_HEIGHT, PageFormat, layout, page_size

StoryFactory = Callable[[list[CodeMark]], list[Flowable]]


@dataclass
class Meta:
    """The PDF's document information; ``keywords`` can carry machine-readable data."""

    title: str
    subject: str = ""
    keywords: str = ""
    author: str = "Loket"
    watermark: str = ""  # e.g. SALINAN, drawn faintly across every page
    warnings: list[str] = field(default_factory=list)


class _End(Flowable):  # type: ignore[misc]
    """Zero-size marker: records how far down the page the story reached."""

    def __init__(self, found: list[float]) -> None:
        super().__init__()
        self.found = found

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.found.append(self.canv.absolutePosition(0, 0)[1])


def _watermark(text: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColorRGB(0.82, 0.82, 0.82)
        size = min(width, height) / 6
        canvas.setFont(BOLD, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35 if height > width else 20)
        canvas.drawCentredString(0, -size / 3, text)
        canvas.restoreState()

    return draw


def _nothing(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    return None


def _build(
    story: list[Flowable], size: tuple[float, float], margin: float, meta: Meta
) -> tuple[bytes, int]:
    """The PDF and how many pages it took."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=meta.title,
        subject=meta.subject,
        keywords=meta.keywords,
        author=meta.author,
        creator="Loket",
        invariant=True,
        initialFontName=REGULAR,
    )
    # The watermark goes under the text: drawn when the page starts.
    hook = _watermark(meta.watermark) if meta.watermark else _nothing
    doc.build(story, onFirstPage=hook, onLaterPages=hook)
    return buffer.getvalue(), int(doc.page)


def render(factory: StoryFactory, page: PageFormat, meta: Meta) -> Document:
    register_fonts()
    spec = layout(page)
    if not page.is_roll:
        marks: list[CodeMark] = []
        size = page_size(page)
        pdf, pages = _build(factory(marks), size, spec.margin, meta)
        return Document(pdf, size, tuple(marks), tuple(dict.fromkeys(meta.warnings)), pages)
    found: list[float] = []
    _build([*factory([]), _End(found)], (spec.width, MAX_ROLL_HEIGHT), spec.margin, meta)
    used = MAX_ROLL_HEIGHT - (found[-1] if found else 0.0)
    height = used + spec.margin + FRAME_PADDING + 2 * mm
    marks = []
    size = page_size(page, height)
    pdf, pages = _build(factory(marks), size, spec.margin, meta)
    return Document(pdf, size, tuple(marks), tuple(dict.fromkeys(meta.warnings)), pages)
