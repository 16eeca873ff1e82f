"""*Tanda Terima Berkas*: the receipt the applicant takes home.

Its barcode and QR code carry the dossier number, so any PC of the office opens
the dossier by scanning it. A reprint carries SALINAN (copy) in its title and
across the page.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from loket.documents.blocks import code_block, field_table, item_list, signature_block
from loket.documents.codes import CodeMark
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead, ReceiptData
from loket.documents.page import PageFormat, layout
from loket.documents.render import Meta, render
from loket.documents.styles import make_styles, text
from loket.documents.texts import TextBook
from loket.domain.formatting import OFFICE_TZ, long_date, long_datetime

RECEIVED_MARK = "✓"
MISSING_MARK = "✗"


#: Smaller type, in points below the page's own, tried in turn to keep a paper receipt
#: (with both signature spaces) on one sheet when the SOP lists many requirements.
TIGHTER = (0.0, 0.75, 1.5)


def receipt_pdf(
    data: ReceiptData, letterhead: Letterhead, texts: TextBook, page: PageFormat = PageFormat.A5
) -> Document:
    """The receipt, on one sheet where type a little smaller can make it fit."""
    base = layout(page).base_size
    for less in () if page.is_roll else TIGHTER:
        document = _receipt(data, letterhead, texts, page, base - less)
        if document.pages == 1:
            return document
    return _receipt(data, letterhead, texts, page, base)


def _receipt(
    data: ReceiptData, letterhead: Letterhead, texts: TextBook, page: PageFormat, size: float
) -> Document:
    words = texts["receipt"]
    spec = layout(page)
    styles = make_styles(size)
    width = spec.frame_width
    roll = page.is_roll
    title = words["title"]
    meta = Meta(
        title=f"{title} {data.number}",
        subject=data.number,
        watermark=words["copy_mark"] if data.copy else "",
    )

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = letterhead_flowables(
            letterhead, styles, width, meta.warnings, narrow=roll
        )
        flow.append(Paragraph(text(title), styles.title))
        if data.copy:
            flow.append(Paragraph(f"— {text(words['copy_mark'])} —", styles.center_bold))
        flow.append(Spacer(1, 2 * mm))
        flow += code_block(data.number, marks, styles, width, roll=roll)
        flow.append(Spacer(1, 3 * mm))
        rows = [
            (words["number"], data.number),
            (
                words["service"],
                words.fill("service_value", sop=data.sop_number, name=data.sop_name),
            ),
            (words["applicant"], data.applicant),
            (words["identity"], data.identity or words["none"]),
            (words["business"], data.business or words["none"]),
            (words["business_address"], data.business_address or words["none"]),
            (words["received"], long_datetime(data.received_at)),
            (words["standard"], words.fill("standard_value", days=data.service_days)),
            (words["promised"], long_date(data.promised.astimezone(OFFICE_TZ).date())),
            (words["officer"], data.officer),
        ]
        flow.append(field_table(rows, styles, width, roll=roll))
        flow.append(Spacer(1, 3 * mm))
        flow += item_list(
            words["received_items"],
            data.received_items,
            RECEIVED_MARK,
            styles,
            width,
            words["none"],
        )
        flow += item_list(
            words["missing_items"], data.missing_items, MISSING_MARK, styles, width, words["none"]
        )
        flow.append(Spacer(1, 2 * mm))
        # Signatures and the note stay together: never a sheet of footer alone.
        flow.append(
            KeepTogether(
                [
                    signature_block(
                        (words["sign_officer"], data.officer),
                        (words["sign_applicant"], data.applicant),
                        styles,
                        width,
                        roll=roll,
                    ),
                    Spacer(1, 3 * mm),
                    Paragraph(text(words["note"]), styles.small),
                ]
            )
        )
        return flow

    return render(story, page, meta)
