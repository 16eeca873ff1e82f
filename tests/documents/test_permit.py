"""The permit: its QR code carries a signed payload that verifies offline; tampering fails."""

from __future__ import annotations

import json
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from loket.documents import CodeKind, sign_fields
from loket.documents.signing import payload_from_pdf, pdf_keywords
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import ServiceError, WorkflowRefused
from loket.services.users import SYSTEM, User
from tests.documents.support import (
    decode_each_code,
    pdf_text,
    words_outside_page,
)
from tests.services.support import issue, register


def issued_permit(loket: Loket, staff: dict[Role, User], sop: int = 68) -> str:
    view = issue(loket, staff, register(loket, staff, sop))
    loket.documents.init_key(SYSTEM)
    return view.record.number


@pytest.mark.parametrize("sop", [68, 76])
def test_permit_qr_decodes_and_verifies(loket: Loket, staff: dict[Role, User], sop: int) -> None:
    number = issued_permit(loket, staff, sop)
    document = loket.documents.permit_document(staff[Role.KEPALA_DINAS], number)
    [decoded] = decode_each_code(document)
    assert decoded.kind is CodeKind.QR
    assert decoded.found == [("QRCode", decoded.expected)]
    result = loket.documents.verify(decoded.found[0][1])
    assert result.authentic, result.reason
    fields = result.named_fields()
    permit = loket.dossiers.show(SYSTEM, number).record.permit
    assert permit is not None
    assert fields["number"] == permit.number
    assert fields["dossier"] == number
    text = " ".join(pdf_text(document.pdf).split())
    assert permit.number in text
    assert ("IZIN USAHA PERBENGKELAN" if sop == 68 else "IZIN POOL KENDARAAN") in text
    assert words_outside_page(document.pdf) == []
    assert loket.documents.verify(document.pdf).authentic


def test_an_altered_field_fails(loket: Loket, staff: dict[Role, User]) -> None:
    number = issued_permit(loket, staff)
    pdf = loket.documents.permit(SYSTEM, number)
    payload = payload_from_pdf(pdf)
    assert payload is not None
    data = json.loads(payload)
    data["f"]["h"] = "Orang Lain"
    forged = json.dumps(data, separators=(",", ":"))
    result = loket.documents.verify(forged)
    assert not result.authentic
    assert "tidak cocok" in result.reason
    tampered_pdf = pdf.replace(pdf_keywords(payload).encode(), pdf_keywords(forged).encode())
    assert tampered_pdf != pdf
    assert not loket.documents.verify(tampered_pdf).authentic


def test_a_foreign_key_fails(loket: Loket, staff: dict[Role, User]) -> None:
    issued_permit(loket, staff)
    foreign = sign_fields({"n": "503/0001/IUP-BKL/DPMPTSP-TK/2026"}, Ed25519PrivateKey.generate())
    result = loket.documents.verify(foreign)
    assert not result.authentic
    assert "tidak dipercaya" in result.reason


def test_a_trusted_office_key_verifies(loket: Loket, staff: dict[Role, User]) -> None:
    other = Ed25519PrivateKey.generate()
    from loket.services.keys import public_pem

    trusted = loket.documents.keys.trusted_dir
    trusted.mkdir(parents=True)
    (trusted / "sanggau.pem").write_bytes(public_pem(other.public_key()))
    assert loket.documents.verify(sign_fields({"n": "X/1"}, other)).authentic


def test_no_permit_before_signing(loket: Loket, staff: dict[Role, User]) -> None:
    view = register(loket, staff)
    loket.documents.init_key(SYSTEM)
    with pytest.raises(WorkflowRefused, match="belum terbit"):
        loket.documents.permit(SYSTEM, view.record.number)


def test_no_key_is_a_clear_refusal(loket: Loket, staff: dict[Role, User]) -> None:
    view = issue(loket, staff, register(loket, staff))
    with pytest.raises(ServiceError, match="loket keys init"):
        loket.documents.permit(SYSTEM, view.record.number)


def test_the_key_file_is_private(loket: Loket) -> None:
    info = loket.documents.init_key(SYSTEM)
    assert info.private_path.stat().st_mode & 0o777 == 0o600
    assert info.private_path.parent.stat().st_mode & 0o777 == 0o700
    again = loket.documents.init_key(SYSTEM)
    assert not again.created
    assert again.key_id == info.key_id


def raw_text(pdf: bytes) -> str:
    """In content order: the only mode of pdftotext that keeps the watermark's turned text."""
    done = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_a_reprinted_permit_says_salinan_and_each_print_is_counted(
    loket: Loket, staff: dict[Role, User]
) -> None:
    number = issued_permit(loket, staff)
    head = staff[Role.KEPALA_DINAS]
    first = raw_text(loket.documents.permit(head, number))
    second = loket.documents.permit_document(head, number)
    assert "SALINAN" not in first
    assert "SALINAN" in raw_text(second.pdf)
    assert all(d.found == [("QRCode", d.expected)] for d in decode_each_code(second))
    prints = [
        json.loads(e["after"])["print"]
        for e in loket.dossiers.audit_trail(head, number)
        if e["action"] == "print_permit"
    ]
    assert prints == [1, 2]
