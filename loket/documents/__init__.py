"""Documents as PDF bytes and exports: receipt, return slip, permit (and its draft),
inspection report (BAP), rejection letter, register. No Qt.

Everything here is pure: it is given plain values (``loket.documents.model``)
and the texts (``resources/templates``) and returns bytes. The services gather
the values from the database; the desktop, the CLI and a server therefore make
identical documents.
"""

from loket.documents.codes import CodeKind, CodeMark
from loket.documents.inspection import (
    InspectionPhoto,
    InspectionReportData,
    TeamMember,
    inspection_report_pdf,
    team_member,
)
from loket.documents.letterhead import logo_is_readable
from loket.documents.model import (
    Document,
    Letterhead,
    PermitData,
    ReceiptData,
    ReturnSlipData,
    Signer,
)
from loket.documents.page import PageFormat, page_size
from loket.documents.permit import permit_pdf
from loket.documents.receipt import receipt_pdf
from loket.documents.register import (
    ExportFormat,
    RegisterHeading,
    RegisterRow,
    export_register,
)
from loket.documents.rejection import RejectionData, rejection_letter_pdf
from loket.documents.return_slip import return_slip_pdf
from loket.documents.signing import Verification, sign_fields, signed_fields, verify_payload
from loket.documents.texts import TemplateError, TextBook, load_texts

__all__ = [
    "CodeKind",
    "CodeMark",
    "Document",
    "ExportFormat",
    "InspectionPhoto",
    "InspectionReportData",
    "Letterhead",
    "PageFormat",
    "PermitData",
    "ReceiptData",
    "RegisterHeading",
    "RegisterRow",
    "RejectionData",
    "ReturnSlipData",
    "Signer",
    "TeamMember",
    "TemplateError",
    "TextBook",
    "Verification",
    "export_register",
    "inspection_report_pdf",
    "load_texts",
    "logo_is_readable",
    "page_size",
    "permit_pdf",
    "receipt_pdf",
    "rejection_letter_pdf",
    "return_slip_pdf",
    "sign_fields",
    "signed_fields",
    "team_member",
    "verify_payload",
]
