"""Scans are stored once, by their SHA-256, and read back checked."""

from __future__ import annotations

import hashlib

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, NotFoundError
from loket.services.users import User
from tests.services.support import register

PDF = b"%PDF-1.4\n% a scan\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_attached_once_content_addressed(loket: Loket, staff: dict[Role, User]) -> None:
    office, user = loket.back_office, staff[Role.BACK_OFFICE]
    first = register(loket, staff, 68).record.number
    second = register(loket, staff, 68).record.number
    scan = office.attachments.attach(user, first, PDF, "C:\\scan\\ktp.pdf", "ktp")
    digest = hashlib.sha256(PDF).hexdigest()
    assert scan.sha256 == digest
    assert scan.filename == "ktp.pdf"
    assert scan.media_type == "application/pdf"
    again = office.attachments.attach(user, first, PDF, "lagi.pdf", "ktp")
    assert again.id == scan.id
    office.attachments.attach(user, second, PDF, "ktp.pdf", "ktp")
    office.attachments.attach(user, first, PNG, "foto.png", "foto")
    files = list((loket.data_dir / "attachments").rglob("*"))
    assert sorted(p.name for p in files if p.is_file()) == sorted(
        [digest, hashlib.sha256(PNG).hexdigest()]
    )
    assert [a.kind for a in office.attachments.list(user, first)] == ["ktp", "foto"]
    assert office.attachments.content(user, first, digest) == PDF
    office.attachments.path_of(digest).write_bytes(b"%PDF-tampered")
    with pytest.raises(NotFoundError, match="rusak"):
        office.attachments.content(user, first, digest)
    trail = [e["action"] for e in loket.dossiers.audit_trail(user, first)]
    assert trail.count("attach") == 2


def test_only_pdf_and_images(loket: Loket, staff: dict[Role, User]) -> None:
    number = register(loket, staff, 68).record.number
    with pytest.raises(InvalidInput, match="PDF atau gambar"):
        loket.back_office.attachments.attach(
            staff[Role.BACK_OFFICE], number, b"MZ\x90\x00", "virus.exe"
        )
    assert loket.back_office.attachments.list(staff[Role.BACK_OFFICE], number) == []
