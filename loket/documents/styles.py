"""Paragraph styles of the documents, sized from the page format's body size."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from loket.documents.fonts import BOLD, REGULAR, register_fonts


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    center: ParagraphStyle
    center_small: ParagraphStyle
    center_bold: ParagraphStyle
    justify: ParagraphStyle
    head_big: ParagraphStyle
    head: ParagraphStyle


def make_styles(size: float) -> Styles:
    register_fonts()

    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": REGULAR,
            "fontSize": size,
            "leading": size * 1.25,
            "alignment": TA_LEFT,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        body=style("body"),
        small=style("small", fontSize=size * 0.85, leading=size * 1.05),
        bold=style("bold", fontName=BOLD),
        label=style("label", fontSize=size * 0.95),
        title=style(
            "title", fontName=BOLD, fontSize=size * 1.45, leading=size * 1.8, alignment=TA_CENTER
        ),
        center=style("center", alignment=TA_CENTER),
        center_small=style(
            "center_small", alignment=TA_CENTER, fontSize=size * 0.85, leading=size * 1.05
        ),
        center_bold=style("center_bold", fontName=BOLD, alignment=TA_CENTER),
        justify=style("justify", alignment=TA_JUSTIFY),
        head_big=style(
            "head_big", fontName=BOLD, fontSize=size * 1.15, leading=size * 1.4, alignment=TA_CENTER
        ),
        head=style("head", fontSize=size * 0.9, leading=size * 1.1, alignment=TA_CENTER),
    )


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML)."""
    return escape(value)
