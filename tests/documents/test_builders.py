"""The pure builders with hard inputs: 40 requirements, a missing logo, every format."""

from __future__ import annotations

import logging
import subprocess
from datetime import datetime

import pytest

from loket.documents import (
    CodeKind,
    Letterhead,
    PageFormat,
    ReceiptData,
    load_texts,
    receipt_pdf,
)
from loket.documents.paths import PLACEHOLDER_LOGO
from loket.domain.calendar import WIB
from tests.documents.support import assert_codes_decode, pdf_text, words_outside_page

LETTERHEAD = Letterhead(
    "PEMERINTAH KABUPATEN LANDAK",
    "DINAS PENANAMAN MODAL, PELAYANAN TERPADU SATU PINTU DAN TENAGA KERJA",
    "Jl. Ngabang–Sanggau, Desa Tebedak, Kecamatan Ngabang",
    "(0563) 21618",
    "dpmptsptk@landakkab.go.id",
    str(PLACEHOLDER_LOGO),
)


def data(**changes: object) -> ReceiptData:
    base = {
        "number": "SOP68/2026/FO1/000123",
        "sop_number": 68,
        "sop_name": "Izin Usaha Perbengkelan",
        "applicant": "Yohanes Dadi",
        "identity": "6108011203850001",
        "business": "Bengkel Dadi Motor",
        "business_address": "Jl. Pangsuma No. 7, Desa Hilir Kantor, Kec. Ngabang",
        "received_at": datetime(2026, 11, 23, 9, 15, tzinfo=WIB),
        "service_days": 5,
        "promised": datetime(2026, 11, 30, 9, 15, tzinfo=WIB),
        "officer": "Petugas Front Office",
        "received_items": ("Formulir",),
        "missing_items": (),
    }
    base.update(changes)
    return ReceiptData(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("page", list(PageFormat))
def test_forty_requirements_flow_onto_further_pages_not_off_them(page: PageFormat) -> None:
    items = tuple(f"Persyaratan nomor {n} yang cukup panjang untuk dibungkus" for n in range(40))
    document = receipt_pdf(
        data(received_items=items[:20], missing_items=items[20:]), LETTERHEAD, load_texts(), page
    )
    assert words_outside_page(document.pdf) == []
    text = " ".join(pdf_text(document.pdf).split())
    assert "Persyaratan nomor 39" in text
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})


def test_the_receipt_says_the_date_in_indonesian() -> None:
    document = receipt_pdf(data(), LETTERHEAD, load_texts(), PageFormat.A5)
    assert "Senin, 23 November 2026 09.15 WIB" in " ".join(pdf_text(document.pdf).split())


def test_a_missing_logo_is_a_warning_not_a_failure(
    tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    letterhead = Letterhead("PEMERINTAH", "KANTOR", "Alamat", logo_path="/nowhere/logo.png")
    with caplog.at_level(logging.WARNING, logger="loket.documents"):
        document = receipt_pdf(data(), letterhead, load_texts(), PageFormat.A5)
    assert document.pdf.startswith(b"%PDF")
    assert len(document.warnings) == 1
    assert "/nowhere/logo.png" in document.warnings[0]
    assert "tanpa logo" in caplog.text
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})


def test_the_font_is_embedded() -> None:
    document = receipt_pdf(data(applicant="Ñoël Dé"), LETTERHEAD, load_texts(), PageFormat.A4)
    fonts = subprocess.run(
        ["pdffonts", "-"], input=document.pdf, capture_output=True, check=True
    ).stdout.decode()
    dejavu = [line.split() for line in fonts.splitlines() if "DejaVuSans" in line]
    assert len(dejavu) == 2  # regular and bold, each embedded as a subset
    assert all(row[-5:-3] == ["yes", "yes"] for row in dejavu)
