"""The permit (*Izin Usaha Perbengkelan*, *Izin Pool Kendaraan*, any SOP's permit).

One A4 template for every SOP: its heading comes from the texts (per SOP) or the
SOP's permit title. The QR code carries the signed payload (see
:mod:`loket.documents.signing`), and so does the PDF's metadata, so that
``loket verify FILE.pdf`` checks a permit without a scanner.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from loket.documents.blocks import PLAIN, field_table
from loket.documents.codes import CodeFlowable, CodeKind, CodeMark, qr_module_for
from loket.documents.letterhead import letterhead_flowables
from loket.documents.model import Document, Letterhead, PermitData
from loket.documents.page import PageFormat, layout
from loket.documents.render import Meta, render
from loket.documents.signing import pdf_keywords
from loket.documents.styles import Styles, make_styles, text
from loket.documents.texts import TextBook, Texts
from loket.domain.formatting import OFFICE_TZ, long_date


def permit_heading(data: PermitData, words: Texts) -> str:
    own = words.table("titles").get(str(data.sop_number))
    return str(own) if own else words.fill("title", title=data.title.upper())


def _validity(data: PermitData, words: Texts) -> str:
    if data.valid_until is None:
        value = words["valid_while_running"]
    else:
        value = words.fill("valid_until", date=long_date(data.valid_until))
    if data.reregistration_years:
        value += words.fill("reregistration", years=data.reregistration_years)
    return value


def _signature(data: PermitData, words: Texts, styles: Styles) -> list[Flowable]:
    signer = data.signer
    issued = data.issued_at.astimezone(OFFICE_TZ).date()
    name = signer.name or words["unsigned_name"]
    lines: list[Flowable] = [
        Paragraph(text(words.fill("place_date", place=signer.city)), styles.center),
        Paragraph(text(words.fill("on_date", date=long_date(issued))), styles.center),
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


def permit_pdf(data: PermitData, letterhead: Letterhead, texts: TextBook) -> Document:
    words = texts["permit"]
    page = PageFormat.A4
    spec = layout(page)
    styles = make_styles(spec.base_size)
    width = spec.frame_width
    heading = permit_heading(data, words)
    meta = Meta(
        title=f"{heading} {data.number}", subject=data.number, keywords=pdf_keywords(data.payload)
    )

    def story(marks: list[CodeMark]) -> list[Flowable]:
        flow: list[Flowable] = letterhead_flowables(
            letterhead, styles, width, meta.warnings, narrow=False
        )
        flow += [
            Paragraph(text(heading), styles.title),
            Paragraph(text(words.fill("number", number=data.number)), styles.center_bold),
            Spacer(1, 5 * mm),
        ]
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
            (words["validity"], _validity(data, words)),
            (words["dossier"], data.dossier_number),
        ]
        flow.append(field_table(rows, styles, width, roll=False))
        flow.append(Spacer(1, 4 * mm))
        flow.append(Paragraph(text(words["closing"]), styles.justify))
        flow.append(Spacer(1, 6 * mm))
        qr = CodeFlowable(
            CodeKind.QR, data.payload, marks, module=qr_module_for(data.payload), height=0
        )
        left = [qr, Spacer(1, 1.5 * mm), Paragraph(text(words["qr_note"]), styles.small)]
        qr_col = max(qr.width, 45 * mm)
        bottom = Table(
            [[left, _signature(data, words, styles)]],
            colWidths=[qr_col, width - qr_col],
            style=[*PLAIN, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")],
        )
        flow.append(KeepTogether([bottom]))
        return flow

    return render(story, page, meta)
