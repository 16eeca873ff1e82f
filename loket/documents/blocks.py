"""Pieces the documents share: the code block, field tables, lists, signature spaces."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from loket.documents.codes import CodeFlowable, CodeKind, CodeMark
from loket.documents.styles import Styles, text

PLAIN = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
]


def code_block(
    value: str, marks: list[CodeMark], styles: Styles, width: float, *, roll: bool
) -> list[Flowable]:
    """The number as a Code128 barcode with the number printed beneath, and as a QR code.

    On paper the barcode (0.33 mm modules) and the QR code sit side by side; on a
    thermal roll the barcode is turned along the roll, so its modules stay wide
    (0.33 mm, about 3 dots of a 203 dpi head) however narrow the roll is.
    """
    module = 0.33 * mm
    qr = CodeFlowable(CodeKind.QR, value, marks, module=0.6 * mm, height=0)
    number = Paragraph(f"<b>{text(value)}</b>", styles.center)
    if roll:
        barcode = CodeFlowable(
            CodeKind.CODE128, value, marks, module=module, height=min(18 * mm, width * 0.4)
        ).rotate()
        row = Table(
            [[barcode, qr]],
            colWidths=[width - qr.width - 2 * mm, qr.width + 2 * mm],
            style=[
                *PLAIN,
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (1, 0), (1, 0), "MIDDLE"),
            ],
        )
        return [row, Spacer(1, 1 * mm), number]
    barcode = CodeFlowable(CodeKind.CODE128, value, marks, module=module, height=11 * mm)
    left = [barcode, Spacer(1, 1 * mm), number]
    row = Table(
        [[left, qr]],
        colWidths=[width - qr.width, qr.width],
        style=[
            *PLAIN,
            ("ALIGN", (0, 0), (0, 0), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )
    return [row]


def field_table(
    rows: Sequence[tuple[str, str]], styles: Styles, width: float, *, roll: bool
) -> Flowable:
    """Label : value rows; long values wrap within their column, never past the page."""
    if roll:  # a narrow roll: the label above its value
        data = []
        for label, value in rows:
            data.append([Paragraph(f"<b>{text(label)}</b>", styles.small)])
            data.append([Paragraph(text(value), styles.body)])
        return Table(data, colWidths=[width], style=PLAIN, splitByRow=1)
    label_width = min(34 * mm, width * 0.3)
    data2 = [
        [
            Paragraph(text(label), styles.label),
            Paragraph(":", styles.label),
            Paragraph(text(value), styles.body),
        ]
        for label, value in rows
    ]
    return Table(
        data2,
        colWidths=[label_width, 3 * mm, width - label_width - 3 * mm],
        style=PLAIN,
        splitByRow=1,
    )


def item_list(
    heading: str, items: Sequence[str], mark: str, styles: Styles, width: float, empty: str
) -> list[Flowable]:
    """A heading and one row per item, numbered, with a mark (✓ received, ✗ missing)."""
    rows = [[Paragraph(f"<b>{text(heading)}</b>", styles.body), "", ""]]
    if not items:
        rows.append(["", "", Paragraph(text(empty), styles.body)])
    for no, item in enumerate(items, 1):
        rows.append(
            [
                Paragraph(mark, styles.body),
                Paragraph(f"{no}.", styles.body),
                Paragraph(text(item), styles.body),
            ]
        )
    table = Table(
        rows,
        colWidths=[4 * mm, 6 * mm, width - 10 * mm],
        style=[*PLAIN, ("SPAN", (0, 0), (-1, 0))],
        splitByRow=1,
        repeatRows=0,
    )
    return [table, Spacer(1, 2 * mm)]


def signature_block(
    left: tuple[str, str], right: tuple[str, str], styles: Styles, width: float, *, roll: bool
) -> Flowable:
    """Two signature spaces (role above, name in brackets below)."""
    space = 14 * mm  # room for a signature; the A5 receipt must stay on one sheet

    def name(who: str) -> Paragraph:
        return Paragraph(f"( {text(who) if who else '&nbsp;' * 30} )", styles.center)

    # Roles in one row, names in the next, each row aligned on its own: on a narrow
    # roll a role or a name that wraps to more lines no longer shifts the other side.
    return Table(
        [
            [Paragraph(text(left[0]), styles.center), Paragraph(text(right[0]), styles.center)],
            [name(left[1]), name(right[1])],
        ],
        colWidths=[width / 2, width / 2],
        style=[
            *PLAIN,
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 1), (-1, 1), "BOTTOM"),
            ("TOPPADDING", (0, 1), (-1, 1), space),
        ],
    )
