"""The back office's actions on a dossier, as the step screens call them.

Each call checks the claim (nobody else may hold the dossier), lets
:class:`~loket.services.dossiers.DossierService` apply the workflow action, and
releases the claim once the dossier has moved on. Sending back and rejecting
need a reason; the Kepala Dinas's signature goes through a :class:`Signer`, the
extension point for the national certificate authority's electronic signature
(out of scope: :class:`HandSigner` records that the paper permit is signed by hand).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from loket.domain.dossier import DossierRecord
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.dossiers import DossierService, DossierView
from loket.services.errors import InvalidInput
from loket.services.users import User, require, to_record
from loket.storage.store import Storage, Store
from loket.workflow import Action, Command

MAX_RECEIVER = 200
_ID_NUMBER = re.compile(r"[0-9A-Za-z./-]{4,32}")


@dataclass(frozen=True, slots=True)
class SignatureRequest:
    """What a signer is asked to sign: the issued permit, as the office printed it."""

    dossier_number: str
    permit_number: str
    signer_id: str
    pdf: bytes


@dataclass(frozen=True, slots=True)
class SignatureResult:
    """A signer's answer: the signed PDF (unchanged for a hand signature) and how."""

    pdf: bytes
    method: str  # "hand" here; e.g. "bsre" for the national CA's electronic signature


class Signer(Protocol):
    """Signs an issued permit on behalf of the Kepala Dinas.

    The national certificate authority's electronic signature (BSrE) plugs in
    here: an implementation sends ``request.pdf`` to the signing service and
    returns the signed PDF. Loket's own verifiable QR (Ed25519) is independent of it.
    """

    def sign(self, request: SignatureRequest) -> SignatureResult: ...


class HandSigner:
    """No electronic signature: the printed permit is signed by hand and stamped."""

    def sign(self, request: SignatureRequest) -> SignatureResult:
        return SignatureResult(request.pdf, "hand")


@dataclass(frozen=True, slots=True)
class HandoverRecord:
    number: str
    receiver_name: str
    receiver_id_number: str
    handed_at: datetime


class StepService:
    def __init__(
        self,
        storage: Storage,
        dossiers: DossierService,
        signer: Signer | None = None,
    ) -> None:
        self._storage = storage
        self._dossiers = dossiers
        self.signer: Signer = signer or HandSigner()

    def act(
        self,
        actor: User,
        number: str,
        command: Command,
        *,
        seen_version: int | None = None,
    ) -> DossierView:
        """Apply ``command``; a dossier another user holds is refused and the claim ends
        with the step (both inside :meth:`DossierService.act`'s transaction)."""
        return self._dossiers.act(actor, number, command, seen_version=seen_version)

    def approve(
        self, actor: User, number: str, data: tuple[tuple[str, str], ...] = ()
    ) -> DossierView:
        """Finish the step (*disetujui*, *ditetapkan*) with the step's fields."""
        return self.act(actor, number, Command(Action.COMPLETE_STEP, data=data))

    def send_back(self, actor: User, number: str, target_step: int, reason: str) -> DossierView:
        """Return the dossier to an earlier step; the reason is required."""
        return self.act(
            actor, number, Command(Action.SEND_BACK, target_step=target_step, reason=reason)
        )

    def reject(self, actor: User, number: str, reason: str) -> DossierView:
        """Refuse the application for good; the reason goes on the rejection letter."""
        return self.act(actor, number, Command(Action.REJECT, reason=reason))

    def sign(
        self,
        actor: User,
        number: str,
        render_permit: Callable[[str], bytes] | None = None,
        data: tuple[tuple[str, str], ...] = (),
    ) -> tuple[DossierView, SignatureResult | None]:
        """The Kepala Dinas signs: the permit number is issued, then the signer signs the PDF.

        ``render_permit`` makes the permit PDF of a dossier number (the documents
        service's); without it only the number is issued.
        """
        view = self.act(actor, number, Command(Action.SIGN, data=data))
        permit = view.record.permit
        if render_permit is None or permit is None:
            return view, None
        request = SignatureRequest(
            view.record.number, permit.number, actor.id, render_permit(number)
        )
        return view, self.signer.sign(request)

    def hand_over(
        self, actor: User, number: str, receiver_name: str, receiver_id_number: str
    ) -> HandoverRecord:
        """*Penyerahan*: the permit is handed over and who received it is recorded."""
        require(actor, Permission.HAND_OVER)
        name = " ".join(receiver_name.split()) if len(receiver_name) <= 2 * MAX_RECEIVER else ""
        if not name or len(name) > MAX_RECEIVER:
            raise InvalidInput(
                _("Nama penerima izin wajib diisi (paling banyak {limit} karakter).").format(
                    limit=MAX_RECEIVER
                )
            )
        id_number = receiver_id_number.strip()
        if not _ID_NUMBER.fullmatch(id_number):
            raise InvalidInput(_("Nomor identitas penerima (NIK/KTP) wajib diisi dengan benar."))
        handed: list[datetime] = []

        def record_receiver(store: Store, record: DossierRecord, now: datetime) -> None:
            store.add_handover(
                {
                    "dossier_id": record.id,
                    "receiver_name": name,
                    "receiver_id_number": id_number,
                    "handed_at": now,
                    "user_id": actor.id,
                }
            )
            store.audit(
                at=now,
                user=to_record(actor),
                action="handover_receiver",
                entity="dossier",
                entity_id=record.number,
                before=None,
                after={"receiver": name, "id_number": id_number},
            )
            handed.append(now)

        view = self._dossiers.act(actor, number, Command(Action.HAND_OVER), also=record_receiver)
        now = handed[0]
        return HandoverRecord(view.record.number, name, id_number, now)

    def handover(self, actor: User, number: str) -> HandoverRecord | None:
        """Who received the permit of dossier ``number``, if it was handed over."""
        view = self._dossiers.show(actor, number)
        with self._storage.reading() as store:
            row = store.handover(view.record.id)
        if row is None:
            return None
        return HandoverRecord(
            view.record.number, row["receiver_name"], row["receiver_id_number"], row["handed_at"]
        )
