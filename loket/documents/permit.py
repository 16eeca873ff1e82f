"""The permit (*Izin Usaha Perbengkelan*, *Izin Pool Kendaraan*, any SOP's permit).

One A4 template for every SOP: its heading comes from the texts (per SOP) or the
SOP's permit title. The QR code carries the signed payload (see
:mod:`loket.documents.signing`), and so does the PDF's metadata, so that
``loket verify FILE.pdf`` checks a permit without a scanner.

The same template makes the *draft* the Back Office previews before the Kepala
Dinas signs: no permit number yet (a placeholder), no signed QR code, and
"DRAF — belum ditandatangani" across every page, so it can never pass for a permit.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.flowables import SetPageTopFlowables

from loket.documents.blocks import PLAIN, field_table
from loket.documents.codes import CodeFlowable, CodeKind, CodeMark, qr_module_for
from loket.documents.fonts import BOLD
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead, PermitData
from loket.documents.page import PageFormat, layout, page_size
from loket.documents.render import Meta, render
from loket.documents.signing import pdf_keywords
from loket.documents.styles import Styles, make_styles, text
from loket.documents.texts import TextBook, Texts
from loket.domain.formatting import OFFICE_TZ, long_date


def permit_heading(data: PermitData, words: Texts) -> str:
    own = words.table("titles").get(str(data.sop_number))
    return str(own) if own else words.fill("title", title=data.title.upper())


class DraftMark(Flowable):  # type: ignore[misc]
    """The draft's watermark: two faint diagonal lines across the whole page.

    Zero-size and placed at the top of every page (``SetPageTopFlowables``), so it
    is drawn before, hence under, the page's text; a single line of the phrase
    at watermark size would not fit across A4.
    """

    def __init__(self, mark: str, note: str, page: tuple[float, float]) -> None:
        super().__init__()
        self.mark = mark
        self.note = note
        self.page = page

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 0)
        width, height = self.page
        big = min(width, height) / 4.5
        small = big / 4
        canvas.saveState()
        canvas.translate(width / 2 - x, height / 2 - y)
        canvas.rotate(35)
        canvas.setFillColorRGB(0.85, 0.85, 0.85)
        canvas.setFont(BOLD, big)
        canvas.drawCentredString(0, small * 0.2, self.mark)
        canvas.setFont(BOLD, small)
        canvas.drawCentredString(0, -small * 1.3, self.note)
        canvas.restoreState()


def _validity(data: PermitData, words: Texts, *, draft: bool = False) -> str:
    if data.valid_until is None:
        value = words["valid_while_running"]
    else:
        value = words.fill("valid_until", date=long_date(data.valid_until))
        if draft:  # the real date counts from the day of signing
            value += words["draft_estimate"]
    if data.reregistration_years:
        value += words.fill("reregistration", years=data.reregistration_years)
    return value


def _signature(data: PermitData, words: Texts, styles: Styles, *, draft: bool) -> list[Flowable]:
    signer = data.signer
    issued = data.issued_at.astimezone(OFFICE_TZ).date()
    name = signer.name or words["unsigned_name"]
    on_date = words["draft_date"] if draft else words.fill("on_date", date=long_date(issued))
    lines: list[Flowable] = [
        Paragraph(text(words.fill("place_date", place=signer.city)), styles.center),
        Paragraph(text(on_date), styles.center),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>{text(signer.title)}</b>", styles.center),
        Spacer(1, 20 * mm),
        Paragraph(f"<b><u>{text(name)}</u></b>", styles.center),
    ]
    if signer.rank:
        lines.append(Paragraph(text(signer.rank), styles.center))
    if signer.nip:
        lines.append(Paragraph(text(words.fill("nip", nip=signer.nip)), styles.center))
    return lines


def _draft_meta(heading: str, data: PermitData, words: Texts) -> Meta:
    """A draft's metadata carries no signed payload: ``loket verify`` finds nothing."""
    subject = data.dossier_number
    return Meta(title=f"{words['draft_banner']} {heading} {subject}", subject=subject)


def permit_pdf(
    data: PermitData,
    letterhead: Letterhead,
    texts: TextBook,
    *,
    draft: bool = False,
    copy_mark: str = "",
) -> Document:
    """The permit; with ``draft`` the unsigned preview (``data.number`` and
    ``data.payload`` are then ignored); ``copy_mark`` across a reprint."""
    words = texts["permit"]
    page = PageFormat.A4
    spec = layout(page)
    styles = make_styles(spec.base_size)
    width = spec.frame_width
    heading = permit_heading(data, words)
    if draft:
        meta = _draft_meta(heading, data, words)
        number_line = words["draft_number"]
    else:
        meta = Meta(
            title=f"{heading} {data.number}",
            subject=data.number,
            keywords=pdf_keywords(data.payload),
            watermark=copy_mark,
        )
        number_line = words.fill("number", number=data.number)

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = []
        if draft:
            mark = DraftMark(words["draft_mark"], words["draft_note"], page_size(page))
            flow.append(SetPageTopFlowables([mark], show=True))
        flow += letterhead_flowables(letterhead, styles, width, meta.warnings, narrow=False)
        flow.append(Paragraph(text(heading), styles.title))
        if draft:
            flow.append(Paragraph(f"— {text(words['draft_banner'])} —", styles.center_bold))
        flow += [Paragraph(text(number_line), styles.center_bold), Spacer(1, 5 * mm)]
        if data.legal_basis:
            flow.append(Paragraph(f"<b>{text(words['legal_basis'])}</b>", styles.body))
            basis = [
                [Paragraph(f"{no}.", styles.small), Paragraph(text(item), styles.small)]
                for no, item in enumerate(data.legal_basis, 1)
            ]
            flow.append(Table(basis, colWidths=[6 * mm, width - 6 * mm], style=PLAIN))
            flow.append(Spacer(1, 4 * mm))
        flow.append(Paragraph(text(words["grant"]), styles.body))
        flow.append(Spacer(1, 2 * mm))
        rows = [(words["holder"], data.holder)]
        if data.representative:
            rows.append((words["representative"], data.representative))
        rows += [
            (words["identity"], data.identity or "—"),
            (words["business"], data.business or "—"),
            (words["kbli"], data.kbli or "—"),
            (words["location"], data.location or "—"),
            (words["validity"], _validity(data, words, draft=draft)),
            (words["dossier"], data.dossier_number),
        ]
        flow.append(field_table(rows, styles, width, roll=False))
        flow.append(Spacer(1, 4 * mm))
        flow.append(Paragraph(text(words["closing"]), styles.justify))
        flow.append(Spacer(1, 6 * mm))
        left: list[Flowable]
        if draft:  # no signature yet, so nothing to sign into a QR code
            left = [Paragraph(text(words["draft_qr_note"]), styles.small)]
            qr_col = 45 * mm
        else:
            qr = CodeFlowable(
                CodeKind.QR, data.payload, marks, module=qr_module_for(data.payload), height=0
            )
            left = [qr, Spacer(1, 1.5 * mm), Paragraph(text(words["qr_note"]), styles.small)]
            qr_col = max(qr.width, 45 * mm)
        bottom = Table(
            [[left, _signature(data, words, styles, draft=draft)]],
            colWidths=[qr_col, width - qr_col],
            style=[*PLAIN, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")],
        )
        flow.append(KeepTogether([bottom]))
        return flow

    return render(story, page, meta)
