"""The rejection letter: only for a rejected dossier, with the reason given at rejection."""

from __future__ import annotations

import pytest

from loket.documents import CodeKind
from loket.documents.page import PageFormat
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import WorkflowRefused
from loket.services.users import User
from tests.backoffice.support import walk_to
from tests.documents.support import (
    REASON,
    assert_codes_decode,
    reading_text,
    rejected,
    render_pages,
    words_outside_frame,
    words_outside_page,
)
from tests.services.support import FakeClock, company, issue, register


def test_rejection_letter_codes_and_fields(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    number = rejected(loket, staff, clock)
    document = loket.documents.rejection_letter_document(staff[Role.BACK_OFFICE], number)
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})
    assert {m.value for m in document.codes} == {number}
    text = reading_text(document.pdf)
    for expected in (
        "SURAT PENOLAKAN PERMOHONAN IZIN",
        f"Nomor : {number}",
        "Ngabang, 3 Maret 2026",  # the day of the rejection, not of the intake
        "Kepada Yth. Sdr. Yohanes Dadi",
        "Jl. Pangsuma No. 7",
        "Penolakan permohonan Izin Usaha Perbengkelan",
        "2 Maret 2026",  # received
        "SOP 68 — Izin Usaha Perbengkelan",
        "Bengkel Dadi Motor",
        "DITOLAK",
        REASON,
        "KEPALA DINAS",
    ):
        assert expected in text, expected
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    assert len(render_pages(document.pdf, dpi=30)) == 1  # a letter on one sheet
    trail = [e["action"] for e in loket.dossiers.audit_trail(staff[Role.BACK_OFFICE], number)]
    assert trail.count("print_rejection_letter") == 1


def test_the_longest_reason_stays_within_the_page(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    reason = ("Tidak sesuai tata ruang; akses jalan sempit; " * 60)[:2000].strip()
    number = rejected(loket, staff, clock, reason)
    document = loket.documents.rejection_letter_document(staff[Role.BACK_OFFICE], number)
    assert words_outside_page(document.pdf) == []
    assert words_outside_frame(document.pdf, PageFormat.A4) == []
    assert reason in reading_text(document.pdf)
    assert_codes_decode(document, {CodeKind.CODE128, CodeKind.QR})


def test_no_rejection_letter_for_a_dossier_not_rejected(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    running = register(loket, staff, 68).record.number
    issued = issue(loket, staff, register(loket, staff, 68)).record.number
    for number, status in ((running, "diproses"), (issued, "izin terbit")):
        with pytest.raises(WorkflowRefused, match="surat penolakan hanya") as refused:
            loket.documents.rejection_letter(staff[Role.BACK_OFFICE], number)
        assert f"Berkas {number} tidak ditolak (status: {status})" in str(refused.value)
        trail = [e["action"] for e in loket.dossiers.audit_trail(staff[Role.BACK_OFFICE], number)]
        assert "print_rejection_letter" not in trail


def test_a_company_is_addressed_through_its_head(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = walk_to(loket, staff, register(loket, staff, 76, applicant=company()), clock, 9)
    kasi = staff[Role.KASI_PERIZINAN]
    loket.back_office.claims.claim(kasi, view.record.number)
    loket.back_office.steps.reject(kasi, view.record.number, "Daya tampung pool tidak memadai")
    document = loket.documents.rejection_letter_document(kasi, view.record.number)
    text = reading_text(document.pdf)
    assert "Kepada Yth. Pimpinan CV Landak Jaya Transport" in text
    assert "Daya tampung pool tidak memadai" in text
    assert "Izin Pool Kendaraan" in text
