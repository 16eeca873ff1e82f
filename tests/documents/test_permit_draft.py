"""The permit draft: the permit's own template, watermarked, with no number and no QR."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PIL import Image

from loket.documents import Letterhead, PermitData, Signer, load_texts, permit_pdf
from loket.documents.page import PageFormat
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import WorkflowRefused
from loket.services.users import SYSTEM, User
from tests.backoffice.support import walk_to
from tests.documents.support import (
    reading_text,
    render_pages,
    words_outside_frame,
    words_outside_page,
)
from tests.services.support import T0, FakeClock, counts, forward, issue, register

PERMIT_NUMBER = re.compile(r"\d{3}/\d{4}/")


def test_draft_before_signing(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    view = walk_to(loket, staff, register(loket, staff, 76), clock, 11)  # at the signing step
    number = view.record.number
    document = loket.documents.permit_draft_document(staff[Role.BACK_OFFICE], number)
    assert document.codes == ()  # no signed QR code
    text = reading_text(document.pdf)
    for expected in (
        "IZIN POOL KENDARAAN",
        "DRAF — belum ditandatangani",
        "diberikan saat izin ditandatangani",
        "Yohanes Dadi",
        "Bengkel Dadi Motor",
        number,
        "sampai dengan 2 Maret 2031 (perkiraan bila ditandatangani hari ini)",
        "pada tanggal …",
        "Draf ini bukan izin",
    ):
        assert expected in text, expected
    assert not PERMIT_NUMBER.search(text)
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    assert not loket.documents.verify(document.pdf).authentic
    # The watermark is on the page: a large faint grey area across its middle.
    [page] = render_pages(document.pdf, dpi=50)
    assert faint_share(page) > 0.05
    # No permit number was taken: the gapless sequence is untouched until signing.
    assert counts(loket).permits == 0
    trail = [e["action"] for e in loket.dossiers.audit_trail(staff[Role.BACK_OFFICE], number)]
    assert trail.count("print_permit_draft") == 1
    loket.documents.init_key(SYSTEM)
    signed = forward(loket, staff, view)
    assert signed.record.permit is not None
    assert signed.record.permit.number.startswith("503/0001/")


def test_the_real_permit_carries_no_draft_mark(loket: Loket, staff: dict[Role, User]) -> None:
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    loket.documents.init_key(SYSTEM)
    text = reading_text(loket.documents.permit(SYSTEM, number))
    assert "DRAF" not in text
    assert "belum ditandatangani" not in text


def test_no_draft_after_signing(loket: Loket, staff: dict[Role, User]) -> None:
    view = issue(loket, staff, register(loket, staff, 68))
    assert view.record.permit is not None
    with pytest.raises(WorkflowRefused, match="sudah ditandatangani") as refused:
        loket.documents.permit_draft(staff[Role.BACK_OFFICE], view.record.number)
    assert view.record.permit.number in str(refused.value)
    assert "draf hanya dibuat sebelum penandatanganan" in str(refused.value)


def test_no_draft_for_a_rejected_dossier(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = walk_to(loket, staff, register(loket, staff, 68), clock, 8)
    kabid = staff[Role.KABID_PERIZINAN]
    loket.back_office.claims.claim(kabid, view.record.number)
    loket.back_office.steps.reject(kabid, view.record.number, "Tidak sesuai tata ruang")
    with pytest.raises(WorkflowRefused, match="berstatus ditolak; draf izin tidak dibuat"):
        loket.documents.permit_draft(staff[Role.BACK_OFFICE], view.record.number)


def faint_share(page: Image.Image) -> float:
    """How much of the page's middle is the watermark's light grey."""
    middle = page.crop(
        (page.width // 4, page.height // 3, 3 * page.width // 4, 2 * page.height // 3)
    )
    return sum(middle.histogram()[200:225]) / (middle.width * middle.height)


def test_every_page_of_a_long_draft_is_watermarked() -> None:
    basis = tuple(f"Peraturan Daerah Nomor {n} Tahun 2020 tentang Perizinan" for n in range(80))
    data = PermitData(
        sop_number=76,
        title="Izin Pool Kendaraan",
        legal_basis=basis,
        number="",
        holder="CV Landak Jaya Transport",
        representative="Maria Ani",
        identity="9120001234567",
        business="Pool Landak Jaya",
        kbli="",
        location="Ngabang",
        issued_at=T0,
        valid_until=None,
        reregistration_years=None,
        dossier_number="SOP76/2026/FO1/000009",
        signer=Signer("KEPALA DINAS", "", "", "", "Ngabang"),
        payload="",
    )
    document = permit_pdf(
        data, Letterhead("PEMERINTAH", "DPMPTSP-TK", "Ngabang"), load_texts(), draft=True
    )
    pages = render_pages(document.pdf, dpi=50)
    assert len(pages) >= 2
    assert all(faint_share(page) > 0.05 for page in pages)
    plain = permit_pdf(
        replace(data, number="1", payload="x"), Letterhead("P", "D", "N"), load_texts()
    )
    assert all(faint_share(page) < 0.05 for page in render_pages(plain.pdf, dpi=50))
