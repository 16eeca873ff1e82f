"""The letterhead (*kop surat*): logo, government, office, address, and a rule below."""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Image, Paragraph, Table, TableStyle

from loket.documents.model import Letterhead
from loket.documents.styles import Styles, text
from loket.domain.i18n import _

LOG = logging.getLogger("loket.documents")


def _read_logo(path: Path) -> Image | None:
    try:
        image = Image(str(path))
        if float(image.imageWidth) <= 0 or float(image.imageHeight) <= 0:
            return None
    except (OSError, ValueError):
        return None
    return image


def logo_is_readable(path: Path) -> bool:
    """Whether documents can print ``path`` as the office's logo (an image file we can read)."""
    return path.is_file() and _read_logo(path) is not None


def logo_image(letterhead: Letterhead, side: float, warnings: list[str]) -> Image | None:
    """The office's logo scaled into a ``side`` square, or None (with a warning) if missing."""
    if not letterhead.logo_path:
        return None
    path = Path(letterhead.logo_path)
    image = _read_logo(path)
    if image is None:
        message = _("Logo {path} tidak ditemukan atau tidak terbaca; dicetak tanpa logo.").format(
            path=path
        )
        LOG.warning(message)
        warnings.append(message)
        return None
    width, height = float(image.imageWidth), float(image.imageHeight)
    scale = side / max(width, height)
    image.drawWidth, image.drawHeight = width * scale, height * scale
    return image


def letterhead_flowables(
    letterhead: Letterhead, styles: Styles, width: float, warnings: list[str], *, narrow: bool
) -> list[Flowable]:
    """The letterhead across ``width``; on a narrow roll the logo sits above the text."""
    lines: list[Flowable] = [
        Paragraph(text(letterhead.government), styles.head_big),
        Paragraph(text(letterhead.office), styles.head_big),
        Paragraph(text(letterhead.address), styles.head),
    ]
    contact = " · ".join(p for p in (letterhead.phone, letterhead.email) if p)
    if contact:
        lines.append(Paragraph(text(contact), styles.head))
    logo = logo_image(letterhead, (12 if narrow else 20) * mm, warnings)
    rule = HRFlowable(width="100%", thickness=1.4, spaceBefore=3, spaceAfter=6, color="black")
    if narrow:
        return [*([logo] if logo else []), *lines, rule]
    if logo is None:
        return [*lines, rule]
    side = 22 * mm
    table = Table([[logo, lines]], colWidths=[side, width - side])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (1, 0), (1, 0), side * 0.5),
            ]
        )
    )
    return [table, rule]
