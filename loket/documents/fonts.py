"""The embedded font: DejaVu Sans, shipped in ``resources/fonts``.

Every document draws with it and ReportLab embeds the glyphs it used, so
Indonesian names with diacritics (Dé, Ñ, ā) print the same on every viewer and
printer; nothing falls back to the viewer's fonts.
"""

from __future__ import annotations

import functools

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from loket.documents.paths import FONTS_DIR

REGULAR = "LoketSans"
BOLD = "LoketSans-Bold"


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces once per process; returns their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    # <b> inside a Paragraph picks the bold face; there is no italic face shipped.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
