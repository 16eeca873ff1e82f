"""Which printed documents a dossier offers, by its status and its files.

The dossier screen shows one print button per document offered here, so it never
offers what the documents service would refuse (a receipt for files still incomplete,
a return slip for files complete, a permit not signed yet).
"""

from __future__ import annotations

import enum

from loket.domain.dossier import Status, missing_mandatory
from loket.services.dossiers import DossierView

__all__ = ["DossierDocument", "offered_documents"]


class DossierDocument(enum.StrEnum):
    """The documents printed from one dossier (the register is printed elsewhere)."""

    RECEIPT = "receipt"  # tanda terima berkas
    RETURN_SLIP = "return_slip"  # slip pengembalian berkas
    PERMIT = "permit"  # izin
    REJECTION_LETTER = "rejection_letter"  # surat penolakan


def offered_documents(view: DossierView) -> tuple[DossierDocument, ...]:
    """The documents to offer for ``view``, in the order the screen shows them.

    - the receipt once every required file was received, whatever happened next
      (a reprint is marked SALINAN by the service);
    - the return slip while the files wait at the applicant's for what is missing;
    - the permit once signed (issued or handed over);
    - the letter of refusal for a rejected dossier.
    """
    record = view.record
    status = record.state.status
    files_complete = not missing_mandatory(record.checklist)
    offered: list[DossierDocument] = []
    if files_complete:
        offered.append(DossierDocument.RECEIPT)
    elif status is Status.RETURNED:
        offered.append(DossierDocument.RETURN_SLIP)
    if record.permit is not None:
        offered.append(DossierDocument.PERMIT)
    if status is Status.REJECTED:
        offered.append(DossierDocument.REJECTION_LETTER)
    return tuple(offered)
