"""The receipt (and return slip) from a real database: codes decode, fields read, copies marked."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest

from loket.documents import CodeKind, PageFormat, page_size
from loket.domain.dossier import Business
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput
from loket.services.users import User
from tests.documents.support import (
    assert_codes_decode,
    pdf_text,
    render_pages,
    words_outside_page,
)
from tests.services.support import every_requirement, register

BOTH = {CodeKind.CODE128, CodeKind.QR}


@pytest.mark.parametrize("page", list(PageFormat))
def test_receipt_codes_decode_and_fields_read(
    loket: Loket, staff: dict[Role, User], page: PageFormat
) -> None:
    view = register(loket, staff)
    number = view.record.number
    document = loket.documents.receipt_document(staff[Role.FRONT_OFFICE], number, page)
    assert_codes_decode(document, BOTH)
    text = " ".join(pdf_text(document.pdf).split())
    for expected in (
        number,
        "TANDA TERIMA BERKAS",
        "Yohanes Dadi",
        "Bengkel Dadi Motor",
        "Senin, 2 Maret 2026 09.00 WIB",
        "5 hari kerja",
        "9 Maret 2026",  # five working days after Monday 2 March
        "Petugas Front Office",
    ):
        assert expected in text, expected
    assert "SALINAN" not in text
    assert words_outside_page(document.pdf) == []
    width, _height = document.page_size
    assert width == pytest.approx(page_size(page)[0])


def test_a_reprint_is_marked_salinan_and_every_print_is_audited(
    loket: Loket, staff: dict[Role, User]
) -> None:
    clerk = staff[Role.FRONT_OFFICE]
    number = register(loket, staff).record.number
    first = pdf_text(loket.documents.receipt(clerk, number))
    second = pdf_text(loket.documents.receipt(clerk, number, PageFormat.ROLL_58))
    assert "SALINAN" not in first
    assert "SALINAN" in second
    prints = [
        e for e in loket.dossiers.audit_trail(clerk, number) if e["action"] == "print_receipt"
    ]
    assert [p["after"] for p in prints] == [
        '{"copy":false,"format":"a5","print":1}',
        '{"copy":true,"format":"58mm","print":2}',
    ]


def test_return_slip_names_what_is_missing(loket: Loket, staff: dict[Role, User]) -> None:
    received = every_requirement(loket, 68) - {"ktp"}
    view = register(loket, staff, received=received)
    document = loket.documents.return_slip_document(staff[Role.FRONT_OFFICE], view.record.number)
    assert_codes_decode(document, BOTH)
    text = " ".join(pdf_text(document.pdf).split())
    assert "SURAT PENGEMBALIAN BERKAS" in text
    assert "Fotokopi KTP pemohon / penanggung jawab" in text
    assert "Petugas Front Office" in text


def test_a_complete_dossier_has_no_return_slip(loket: Loket, staff: dict[Role, User]) -> None:
    view = register(loket, staff)
    with pytest.raises(InvalidInput, match="sudah lengkap"):
        loket.documents.return_slip(staff[Role.FRONT_OFFICE], view.record.number)


def test_long_names_and_diacritics_stay_on_the_page(loket: Loket, staff: dict[Role, User]) -> None:
    long_name = ("Bengkel Las dan Servis Kendaraan Bermotor Sejahtera Abadi " * 6)[:300]
    view = register(
        loket,
        staff,
        business=Business(long_name.strip(), kbli="45405"),
        applicant=replace(register.__globals__["person"](), name="Dédé Ñoviantï Śaputra Ăgustinus"),
    )
    for page in PageFormat:
        document = loket.documents.receipt_document(
            staff[Role.FRONT_OFFICE], view.record.number, page
        )
        assert words_outside_page(document.pdf) == [], page
        text = " ".join(pdf_text(document.pdf).split())
        assert "Dédé Ñoviantï Śaputra Ăgustinus" in text
        assert "Sejahtera Abadi" in text
        assert_codes_decode(document, BOTH)


def test_an_incomplete_dossier_gets_no_receipt(loket: Loket, staff: dict[Role, User]) -> None:
    received = every_requirement(loket, 68) - {"ktp"}
    view = register(loket, staff, received=received)
    with pytest.raises(InvalidInput, match="surat pengembalian"):
        loket.documents.receipt(staff[Role.FRONT_OFFICE], view.record.number)


@pytest.mark.parametrize(
    ("sop_number", "page", "most"),
    [
        (68, PageFormat.A5, 1),
        (68, PageFormat.A4, 1),
        (76, PageFormat.A4, 1),
        (76, PageFormat.A5, 2),
    ],
)
@pytest.mark.parametrize("applicant", ["person", "company"])
def test_a_receipt_fits_its_sheet_and_keeps_the_signatures_with_the_note(
    loket: Loket,
    staff: dict[Role, User],
    sop_number: int,
    page: PageFormat,
    most: int,
    applicant: str,
) -> None:
    """SOP 68's receipt is one A5 sheet; SOP 76's thirteen requirements need A4 for one.

    Where a receipt does take a second A5 sheet, the signatures go over with the note.
    """
    maker = register.__globals__[applicant]
    view = register(loket, staff, sop_number, applicant=maker(), business=Business("Bengkel A"))
    document = loket.documents.receipt_document(staff[Role.FRONT_OFFICE], view.record.number, page)
    assert document.pages <= most
    assert len(render_pages(document.pdf, dpi=20)) == document.pages
    last = subprocess.run(
        ["pdftotext", "-f", str(document.pages), "-l", str(document.pages), "-", "-"],
        input=document.pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Petugas penerima" in last and "Simpan tanda terima ini" in last
