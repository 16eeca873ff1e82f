"""The printed documents of a dossier, made by the core's documents service."""

from __future__ import annotations

import enum

from loket.domain.i18n import _
from loket.services.context import Loket
from loket.services.documents import PageFormat
from loket.services.users import User

FORMATS = tuple(f.value for f in PageFormat)
DEFAULT_FORMAT = PageFormat.A5.value


class Kind(enum.StrEnum):
    RECEIPT = "receipt"  # tanda terima berkas
    RETURN_SLIP = "return_slip"  # slip pengembalian berkas
    PERMIT = "permit"  # izin

    @property
    def label(self) -> str:
        labels = {
            Kind.RECEIPT: _("Tanda terima berkas"),
            Kind.RETURN_SLIP: _("Slip pengembalian berkas"),
            Kind.PERMIT: _("Izin"),
        }
        return labels[self]


def make(loket: Loket, actor: User, kind: Kind, number: str, page: str = DEFAULT_FORMAT) -> bytes:
    """The PDF of ``kind`` for dossier ``number``; run off the UI thread (it renders).

    A receipt printed again is marked SALINAN by the service itself.
    """
    if kind is Kind.RECEIPT:
        chosen = PageFormat(page) if page in FORMATS else PageFormat.A5
        return loket.documents.receipt(actor, number, page=chosen)
    if kind is Kind.RETURN_SLIP:
        return loket.documents.return_slip(actor, number)
    return loket.documents.permit(actor, number)
