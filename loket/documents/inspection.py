"""*Berita Acara Pemeriksaan* (BAP): the Tim Teknis's report of a field inspection.

The Kasi reads it before approving, and the office files it with the dossier,
so it carries the dossier number as barcode and QR code like the receipt. The
team signs in the table that names them; the photos are listed, and printed
as thumbnails at the end when they are images. A photo whose file is gone from
the data folder is named with a note instead: the report still prints.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from PIL import Image as PilImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table

from loket.documents.blocks import PLAIN, code_block, field_table
from loket.documents.codes import CodeMark
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead
from loket.documents.page import PageFormat, layout
from loket.documents.render import Meta, render
from loket.documents.styles import Styles, make_styles, text
from loket.documents.texts import TextBook, Texts
from loket.domain.formatting import long_date
from loket.domain.i18n import _, language

LOG = logging.getLogger("loket.documents")

#: Pixels of a thumbnail's longer side: sharp at its printed size, small in the PDF.
THUMB_PIXELS = 900
THUMB_COLUMNS = 3
SIGN_ROW = 13 * mm


@dataclass(frozen=True, slots=True)
class TeamMember:
    name: str
    detail: str  # role, NIP or agency as the team wrote it; "" when not given


@dataclass(frozen=True, slots=True)
class InspectionPhoto:
    filename: str
    kind: str  # the attachment's kind, e.g. foto_lapangan
    media_type: str
    content: bytes | None  # None: the file is missing from the data folder


@dataclass(frozen=True, slots=True)
class InspectionReportData:
    number: str
    sop_number: int
    sop_name: str
    applicant: str
    identity: str
    business: str
    location: str
    inspected_on: date
    team: tuple[TeamMember, ...]
    findings: str
    recommendation: str
    photos: tuple[InspectionPhoto, ...]
    city: str  # where the report is made (Ngabang)


def team_member(entry: str) -> TeamMember:
    """``"Budi Santoso (Dishub, NIP 1980…)"`` → name and detail.

    The inspection records each member as one line of text; a trailing part in
    brackets is what the office writes after a name (role, NIP, agency).
    """
    entry = " ".join(entry.split())
    if entry.endswith(")") and " (" in entry:
        name, detail = entry[:-1].rsplit(" (", 1)
        if name.strip() and detail.strip():
            return TeamMember(name.strip(), detail.strip())
    return TeamMember(entry, "")


def _multiline(value: str) -> str:
    """Plain text with its line breaks kept (findings are often a list of lines)."""
    return "<br/>".join(text(line) for line in value.splitlines())


def _weekday(day: date) -> str:
    return format_date(day, "EEEE", locale="id" if language() == "id" else "en")


def thumbnail(content: bytes, side: float) -> Image | None:
    """A photo scaled into a ``side`` square, or None when it is not a readable image.

    Scaled down before embedding, so a 12-megapixel phone photo does not make a
    many-megabyte BAP; turned upright by its EXIF orientation.
    """
    try:
        with PilImage.open(io.BytesIO(content)) as opened:
            picture = ImageOps.exif_transpose(opened).convert("RGB")
            picture.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=80)
    except (OSError, ValueError, PilImage.DecompressionBombError):
        return None
    buffer.seek(0)
    width, height = picture.size
    scale = side / max(width, height)
    return Image(buffer, width=width * scale, height=height * scale)


@dataclass(frozen=True, slots=True)
class _Photo:
    line: str
    note: str
    image: Image | None


def _photos(
    data: InspectionReportData, words: Texts, side: float, warnings: list[str]
) -> list[_Photo]:
    found = []
    for photo in data.photos:
        line = words.fill("photo_line", name=photo.filename, kind=photo.kind)
        image = None
        if photo.content is None:
            note = words["photo_missing"]
            warnings.append(
                _("Foto {name} tidak ditemukan di folder data; BAP dicetak tanpa foto itu.").format(
                    name=photo.filename
                )
            )
        elif not photo.media_type.startswith("image/"):
            note = words["photo_not_image"]
        else:
            image = thumbnail(photo.content, side)
            note = "" if image else words["photo_unreadable"]
            if image is None:
                LOG.warning("BAP %s: photo %s is not a readable image", data.number, photo.filename)
        found.append(_Photo(line, note, image))
    return found


def _photo_list(photos: list[_Photo], words: Texts, styles: Styles, width: float) -> Flowable:
    rows: list[list[Flowable | str]] = [
        [Paragraph(f"<b>{text(words['photos'])}</b>", styles.body), ""]
    ]
    if not photos:
        rows.append(["", Paragraph(text(words["no_photos"]), styles.body)])
    for no, photo in enumerate(photos, 1):
        cell: list[Flowable] = [Paragraph(text(photo.line), styles.body)]
        if photo.note:
            cell.append(Paragraph(f"<i>{text(photo.note)}</i>", styles.small))
        rows.append([Paragraph(f"{no}.", styles.body), cell])
    return Table(
        rows,
        colWidths=[6 * mm, width - 6 * mm],
        style=[*PLAIN, ("SPAN", (0, 0), (-1, 0))],
        splitByRow=1,
    )


def _thumbnails(photos: list[_Photo], heading: str, styles: Styles, width: float) -> list[Flowable]:
    """The image photos in a grid, each numbered as in the list above.

    The heading is the table's repeated first row, so it never stands alone at
    the foot of a page while the pictures start on the next.
    """
    cells: list[list[Flowable]] = [
        [photo.image, Paragraph(f"{no}. {text(photo.line)}", styles.center_small)]
        for no, photo in enumerate(photos, 1)
        if photo.image is not None
    ]
    if not cells:
        return []
    empty: list[Flowable] = []
    rows: list[Sequence[object]] = [[Paragraph(f"<b>{text(heading)}</b>", styles.body), "", ""]]
    rows += [
        (cells[i : i + THUMB_COLUMNS] + [empty] * THUMB_COLUMNS)[:THUMB_COLUMNS]
        for i in range(0, len(cells), THUMB_COLUMNS)
    ]
    column = width / THUMB_COLUMNS
    return [
        Spacer(1, 4 * mm),
        Table(
            rows,
            colWidths=[column] * THUMB_COLUMNS,
            style=[
                *PLAIN,
                ("SPAN", (0, 0), (-1, 0)),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 2 * mm),
                ("ALIGN", (0, 1), (-1, -1), "CENTER"),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ],
            repeatRows=1,
            splitByRow=1,
        ),
    ]


def _team_table(data: InspectionReportData, words: Texts, styles: Styles, width: float) -> Table:
    """Who inspected, with room for each to sign: signing on alternate sides, as is usual."""
    no_w, sign_w = 8 * mm, 42 * mm
    name_w = (width - no_w - sign_w) * 0.5
    rows: list[list[Flowable | str]] = [
        [
            Paragraph(f"<b>{text(words[key])}</b>", styles.small)
            for key in ("col_no", "col_name", "col_detail", "col_sign")
        ]
    ]
    for no, member in enumerate(data.team, 1):
        mark = f"{no}. ........................"
        rows.append(
            [
                Paragraph(f"{no}.", styles.body),
                Paragraph(text(member.name), styles.body),
                Paragraph(text(member.detail or words["no_detail"]), styles.body),
                Paragraph(mark, styles.body if no % 2 else styles.center),
            ]
        )
    return Table(
        rows,
        colWidths=[no_w, name_w, width - no_w - sign_w - name_w, sign_w],
        style=[
            *PLAIN,
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 1), (-1, -1), SIGN_ROW / 2),
            ("BOTTOMPADDING", (0, 1), (-1, -1), SIGN_ROW / 2 - 3),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8"),
        ],
        repeatRows=1,
        splitByRow=1,
    )


def _acknowledged(words: Texts, styles: Styles, width: float) -> Flowable:
    """The Kasi acknowledges the BAP (*mengetahui*); the name is written by hand."""
    cell = [
        Paragraph(text(words["acknowledged"]), styles.center),
        Paragraph(text(words["acknowledged_by"]), styles.center),
        Spacer(1, 18 * mm),
        Paragraph(f"( {'&nbsp;' * 40} )", styles.center),
    ]
    return Table([["", cell]], colWidths=[width / 2, width / 2], style=PLAIN)


def inspection_report_pdf(
    data: InspectionReportData, letterhead: Letterhead, texts: TextBook
) -> Document:
    words = texts["inspection"]
    page = PageFormat.A4
    spec = layout(page)
    styles = make_styles(spec.base_size)
    width = spec.frame_width
    meta = Meta(title=f"{words['title']} {data.number}", subject=data.number)
    photos = _photos(data, words, width / THUMB_COLUMNS - 4 * mm, meta.warnings)
    weekday, day = _weekday(data.inspected_on), long_date(data.inspected_on)

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = letterhead_flowables(
            letterhead, styles, width, meta.warnings, narrow=False
        )
        flow += [
            Paragraph(text(words["title"]), styles.title),
            Paragraph(text(words["subtitle"]), styles.center_bold),
            Spacer(1, 2 * mm),
        ]
        flow += code_block(data.number, marks, styles, width, roll=False)
        flow.append(Spacer(1, 3 * mm))
        rows = [
            (words["number"], data.number),
            (
                words["service"],
                words.fill("service_value", sop=data.sop_number, name=data.sop_name),
            ),
            (words["applicant"], data.applicant),
            (words["identity"], data.identity or "—"),
            (words["business"], data.business or "—"),
            (words["location"], data.location or "—"),
            (words["inspected"], words.fill("inspected_value", weekday=weekday, date=day)),
        ]
        flow.append(field_table(rows, styles, width, roll=False))
        flow.append(Spacer(1, 3 * mm))
        flow.append(
            Paragraph(text(words.fill("opening", weekday=weekday, date=day)), styles.justify)
        )
        flow.append(Spacer(1, 3 * mm))
        for key, value in (("findings", data.findings), ("recommendation", data.recommendation)):
            flow.append(Paragraph(f"<b>{text(words[key])}</b>", styles.body))
            flow.append(Paragraph(_multiline(value) or "—", styles.justify))
            flow.append(Spacer(1, 3 * mm))
        flow.append(_photo_list(photos, words, styles, width))
        flow.append(Spacer(1, 3 * mm))
        flow.append(Paragraph(text(words["closing"]), styles.justify))
        flow.append(Spacer(1, 3 * mm))
        place = words.fill("place_date", place=data.city, date=day)
        flow.append(
            KeepTogether(
                [
                    Paragraph(text(place), styles.body),
                    Paragraph(f"<b>{text(words['sign_heading'])}</b>", styles.body),
                    Spacer(1, 1.5 * mm),
                ]
            )
        )
        flow.append(_team_table(data, words, styles, width))
        flow.append(Spacer(1, 4 * mm))
        flow.append(KeepTogether([_acknowledged(words, styles, width)]))
        flow += _thumbnails(photos, words["photos"], styles, width)
        return flow

    return render(story, page, meta)
