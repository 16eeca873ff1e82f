"""What the documents are made from: plain values gathered by the services.

The documents never read the database: the services fill these records from
the dossier, its SOP and the office settings, so the desktop, the CLI and a
server make identical documents from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from loket.documents.codes import CodeMark


@dataclass(frozen=True, slots=True)
class Letterhead:
    government: str
    office: str
    address: str
    phone: str = ""
    email: str = ""
    logo_path: str = ""  # "" : no logo; a missing file prints without it, with a warning


@dataclass(frozen=True, slots=True)
class Signer:
    title: str  # KEPALA DINAS
    name: str
    rank: str
    nip: str
    city: str  # place of signing (Ngabang)


@dataclass(frozen=True, slots=True)
class ReceiptData:
    number: str
    sop_number: int
    sop_name: str
    applicant: str
    identity: str  # NIK or NIB
    business: str
    business_address: str
    received_at: datetime
    service_days: int
    promised: datetime
    officer: str
    received_items: tuple[str, ...]
    missing_items: tuple[str, ...]
    copy: bool = False


@dataclass(frozen=True, slots=True)
class ReturnSlipData:
    number: str
    sop_number: int
    sop_name: str
    applicant: str
    business: str
    returned_at: datetime
    officer: str
    reason: str
    missing_items: tuple[str, ...]
    received_items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PermitData:
    sop_number: int
    title: str  # the SOP's permit title (Izin Usaha Perbengkelan)
    legal_basis: tuple[str, ...]
    number: str
    holder: str
    representative: str
    identity: str
    business: str
    kbli: str
    location: str
    issued_at: datetime
    valid_until: date | None
    reregistration_years: int | None
    dossier_number: str
    signer: Signer
    payload: str  # the signed payload carried by the QR code and the PDF metadata


@dataclass(frozen=True, slots=True)
class Document:
    """A finished PDF and what a caller may want to know about it."""

    pdf: bytes
    page_size: tuple[float, float]
    codes: tuple[CodeMark, ...] = ()
    warnings: tuple[str, ...] = ()
    pages: int = 1
