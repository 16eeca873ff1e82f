"""*Surat Penolakan*: the letter telling the applicant the application is refused, and why.

An official letter of the office: letterhead, number line, date, addressee,
the permit applied for, the reason recorded when the dossier was rejected, and
the Kepala Dinas's signature block. The letter's number is the dossier's own
(no second numbering to keep gapless), and the barcode at the foot opens the
dossier when the applicant brings the letter back to collect the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from loket.documents.blocks import PLAIN, code_block, field_table
from loket.documents.codes import CodeMark
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead, Signer
from loket.documents.page import PageFormat, layout
from loket.documents.render import Meta, render
from loket.documents.styles import Styles, make_styles, text
from loket.documents.texts import TextBook, Texts
from loket.domain.formatting import OFFICE_TZ, long_date


@dataclass(frozen=True, slots=True)
class RejectionData:
    number: str  # the dossier number, also the letter's number
    sop_number: int
    sop_name: str
    permit_title: str  # Izin Pool Kendaraan
    applicant: str
    applicant_address: str
    business: str
    location: str
    received_at: datetime
    rejected_at: datetime
    reason: str
    signer: Signer
    company: bool = False  # a company is addressed through its head (Pimpinan)


def _heading_rows(data: RejectionData, words: Texts, styles: Styles, width: float) -> Table:
    """Nomor / Lampiran / Perihal on the left, place and date on the right."""
    day = long_date(data.rejected_at.astimezone(OFFICE_TZ).date())
    rows = [
        (words["number"], words.fill("number_value", number=data.number)),
        (words["attachment"], words["attachment_value"]),
        (words["subject"], words.fill("subject_value", permit=data.permit_title)),
    ]
    left = field_table(rows, styles, width * 0.62, roll=False)
    right = Paragraph(text(words.fill("place_date", place=data.signer.city, date=day)), styles.body)
    return Table(
        [[left, right]],
        colWidths=[width * 0.64, width * 0.36],
        style=[*PLAIN, ("ALIGN", (1, 0), (1, 0), "RIGHT")],
    )


def _addressee(data: RejectionData, words: Texts, styles: Styles) -> list[Flowable]:
    lines = [
        words["to"],
        words["addressee_company" if data.company else "addressee_prefix"] + data.applicant,
        *([data.applicant_address] if data.applicant_address else []),
        words["at"],
        words["at_place"],
    ]
    return [Paragraph(text(line), styles.body) for line in lines]


def _signature(signer: Signer, words: Texts, styles: Styles, width: float) -> Flowable:
    name = signer.name or words["unsigned_name"]
    cell: list[Flowable] = [
        Paragraph(f"<b>{text(signer.title)}</b>", styles.center),
        Spacer(1, 20 * mm),
        Paragraph(f"<b><u>{text(name)}</u></b>", styles.center),
    ]
    if signer.rank:
        cell.append(Paragraph(text(signer.rank), styles.center))
    if signer.nip:
        cell.append(Paragraph(text(words.fill("nip", nip=signer.nip)), styles.center))
    return Table([["", cell]], colWidths=[width * 0.45, width * 0.55], style=PLAIN)


def rejection_letter_pdf(data: RejectionData, letterhead: Letterhead, texts: TextBook) -> Document:
    words = texts["rejection"]
    page = PageFormat.A4
    spec = layout(page)
    styles = make_styles(spec.base_size)
    width = spec.frame_width
    meta = Meta(title=f"{words['title']} {data.number}", subject=data.number)
    received = long_date(data.received_at.astimezone(OFFICE_TZ).date())
    decided = long_date(data.rejected_at.astimezone(OFFICE_TZ).date())

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = letterhead_flowables(
            letterhead, styles, width, meta.warnings, narrow=False
        )
        flow.append(_heading_rows(data, words, styles, width))
        flow.append(Spacer(1, 5 * mm))
        flow += _addressee(data, words, styles)
        flow.append(Spacer(1, 5 * mm))
        flow.append(Paragraph(text(words["title"]), styles.title))
        flow.append(Spacer(1, 3 * mm))
        opening = words.fill("opening", received=received, number=data.number)
        flow.append(Paragraph(text(opening), styles.justify))
        flow.append(Spacer(1, 2 * mm))
        rows = [
            (
                words["service"],
                words.fill("service_value", sop=data.sop_number, name=data.sop_name),
            ),
            (words["permit"], data.permit_title),
            (words["business"], data.business or "—"),
            (words["location"], data.location or "—"),
            (words["decided"], decided),
        ]
        flow.append(field_table(rows, styles, width, roll=False))
        flow.append(Spacer(1, 2 * mm))
        flow.append(Paragraph(text(words["statement"]), styles.justify))
        flow.append(Spacer(1, 2 * mm))
        reason = "<br/>".join(text(line) for line in data.reason.splitlines())
        box = Table(
            [[Paragraph(f"<b>{reason or text(words['no_reason'])}</b>", styles.body)]],
            colWidths=[width],
            style=[
                *PLAIN,
                ("BOX", (0, 0), (-1, -1), 0.6, "black"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )
        flow.append(box)
        flow.append(Spacer(1, 3 * mm))
        flow.append(Paragraph(text(words["closing"]), styles.justify))
        flow.append(Spacer(1, 6 * mm))
        flow.append(KeepTogether([_signature(data.signer, words, styles, width)]))
        flow.append(Spacer(1, 4 * mm))
        copies = [str(c) for c in words.values.get("copy_list", [])]
        if copies:
            flow.append(Paragraph(text(words["copy_to"]), styles.small))
            flow += [Paragraph(text(f"{no}. {c}"), styles.small) for no, c in enumerate(copies, 1)]
            flow.append(Spacer(1, 4 * mm))
        flow.append(KeepTogether(code_block(data.number, marks, styles, width, roll=False)))
        return flow

    return render(story, page, meta)
