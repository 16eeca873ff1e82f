"""Page formats: A5 (the receipt's default), A4, and 80 mm and 58 mm thermal rolls.

The UI reads the sizes here to print at the right size. A roll has a width and
no fixed height: its page is as tall as what is printed on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm


class PageFormat(enum.StrEnum):
    A5 = "a5"
    A4 = "a4"
    ROLL_80 = "80mm"
    ROLL_58 = "58mm"

    @property
    def is_roll(self) -> bool:
        return self in (PageFormat.ROLL_80, PageFormat.ROLL_58)


FRAME_PADDING = 6.0  # platypus frames pad their content by 6 points on each side
#: The tallest roll page made (a PDF page may not exceed 200 inches).
MAX_ROLL_HEIGHT = 5000 * mm


@dataclass(frozen=True, slots=True)
class Layout:
    """The printable frame of a format, in points."""

    width: float
    height: float | None  # None: a roll, as tall as its content
    margin: float
    base_size: float  # body text size

    @property
    def frame_width(self) -> float:
        """What the story may fill: inside the margins and the frame's own padding."""
        return self.width - 2 * self.margin - 2 * FRAME_PADDING


LAYOUTS = {
    PageFormat.A4: Layout(A4[0], A4[1], 18 * mm, 10),
    PageFormat.A5: Layout(A5[0], A5[1], 11 * mm, 8.5),
    # Thermal heads print about 72 mm of an 80 mm roll and 48 mm of a 58 mm roll.
    PageFormat.ROLL_80: Layout(80 * mm, None, 4 * mm, 8),
    PageFormat.ROLL_58: Layout(58 * mm, None, 5 * mm, 7),
}


def layout(page: PageFormat) -> Layout:
    return LAYOUTS[page]


def page_size(page: PageFormat, content_height: float | None = None) -> tuple[float, float]:
    """(width, height) in points; a roll's height is its content's (or one A5 length)."""
    spec = LAYOUTS[page]
    if spec.height is not None:
        return spec.width, spec.height
    return spec.width, content_height if content_height is not None else A5[1]
