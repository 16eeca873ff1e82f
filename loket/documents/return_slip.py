"""*Surat Pengembalian Berkas*: what the applicant must still bring, and who returned it.

It carries the dossier's number as barcode and QR code too, so that the files
brought back are found at once.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from loket.documents.blocks import code_block, field_table, item_list, signature_block
from loket.documents.codes import CodeMark
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead, ReturnSlipData
from loket.documents.page import PageFormat, layout
from loket.documents.receipt import MISSING_MARK, RECEIVED_MARK
from loket.documents.render import Meta, render
from loket.documents.styles import make_styles, text
from loket.documents.texts import TextBook
from loket.domain.formatting import long_datetime


def return_slip_pdf(
    data: ReturnSlipData, letterhead: Letterhead, texts: TextBook, page: PageFormat = PageFormat.A5
) -> Document:
    words = texts["return_slip"]
    spec = layout(page)
    styles = make_styles(spec.base_size)
    width = spec.frame_width
    roll = page.is_roll
    meta = Meta(title=f"{words['title']} {data.number}", subject=data.number)

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = letterhead_flowables(
            letterhead, styles, width, meta.warnings, narrow=roll
        )
        flow += [Paragraph(text(words["title"]), styles.title), Spacer(1, 2 * mm)]
        flow += code_block(data.number, marks, styles, width, roll=roll)
        flow.append(Spacer(1, 3 * mm))
        rows = [
            (words["number"], data.number),
            (
                words["service"],
                words.fill("service_value", sop=data.sop_number, name=data.sop_name),
            ),
            (words["applicant"], data.applicant),
            (words["business"], data.business or "—"),
            (words["returned"], long_datetime(data.returned_at)),
            (words["officer"], data.officer),
        ]
        if data.reason:
            rows.append((words["reason"], data.reason))
        flow.append(field_table(rows, styles, width, roll=roll))
        flow.append(Spacer(1, 3 * mm))
        flow.append(Paragraph(text(words["intro"]), styles.justify))
        flow.append(Spacer(1, 1.5 * mm))
        flow += item_list("", data.missing_items, MISSING_MARK, styles, width, "—")
        if data.received_items:
            flow += item_list(
                words["complete_intro"], data.received_items, RECEIVED_MARK, styles, width, "—"
            )
        flow.append(Paragraph(text(words["closing"]), styles.justify))
        flow.append(Spacer(1, 4 * mm))
        flow.append(
            signature_block(
                (words["sign_officer"], data.officer),
                (words["sign_applicant"], data.applicant),
                styles,
                width,
                roll=roll,
            )
        )
        return flow

    return render(story, page, meta)
