"""The permit's seal: its key fields signed with the office's key, once, at issue.

A permit's QR code must prove what the Kepala Dinas signed. Signed at every
print, it would prove whatever the data said on the day of printing, and a PC
without the key could not print at all. So the payload is made when the permit
number is issued, in the same transaction, and kept with the permit; every
print carries that text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from loket.documents import sign_fields
from loket.domain.dossier import DossierRecord, Permit
from loket.domain.formatting import OFFICE_TZ
from loket.domain.i18n import _
from loket.services.keys import KeyStore, SigningKeyMissing, SigningKeyUnreadable
from loket.services.office import Office

LOG = logging.getLogger("loket.permits")


def permit_fields(record: DossierRecord, permit: Permit, office: Office) -> dict[str, str]:
    """The fields signed (short keys, see ``loket.documents.signing``), the signer's too."""
    business = record.business
    location = (business.address if business else record.applicant.address).one_line()
    return {
        "n": permit.number,
        "h": record.applicant.name,
        "b": business.name if business else "",
        "l": location,
        "s": str(record.sop_number),
        "i": permit.issued_at.astimezone(OFFICE_TZ).isoformat(timespec="seconds"),
        "u": permit.valid_until.isoformat() if permit.valid_until else "",
        "d": record.number,
        "g": office.head_name,
        "r": office.head_rank,
        "p": office.head_nip,
    }


class PermitSeal:
    """Signs permits with the key in this PC's data folder."""

    def __init__(self, keys: KeyStore, office: Callable[[], Office]) -> None:
        self.keys = keys
        self._office = office  # the head of office who signs, as the identity names them now

    def payload(self, record: DossierRecord, permit: Permit) -> str:
        """The signed text; raises :class:`SigningKeyMissing` when there is no key."""
        fields = permit_fields(record, permit, self._office())
        return sign_fields(fields, self.keys.private_key())

    def payload_if_possible(self, record: DossierRecord, permit: Permit) -> str:
        """The signed text, or "" when this PC has no usable key.

        Issuing a permit is the Kepala Dinas's decision and does not wait for a
        key file: without one (or with a damaged one) the permit is issued unsealed
        and its first print, on a PC that has a good key, seals it for good.
        """
        try:
            return self.payload(record, permit)
        except SigningKeyMissing:
            return ""
        except SigningKeyUnreadable as problem:
            LOG.warning(
                _("Izin {number} terbit tanpa segel QR: {problem}").format(
                    number=permit.number, problem=problem
                )
            )
            return ""
