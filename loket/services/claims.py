"""Claiming a dossier, so that two users of one role never work the same one.

A claim names one user per dossier (the table's key), for the step the dossier
is at when claimed; once the dossier moves to another step the claim is stale and
counts as released. Claiming, releasing and an admin's reassignment are audited
and queued for the central server like every other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from loket.domain.dossier import Status
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.services.errors import InvalidInput, NotFoundError, WorkflowRefused
from loket.services.users import User, ensure_recorded, require, to_record
from loket.services.worklists import SopBook, role_of
from loket.storage.store import ClaimRecord, DossierHead, Storage, Store


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a dossier now."""

    number: str
    user_id: str
    username: str
    full_name: str
    role: Role
    step_no: int
    claimed_at: datetime


class ClaimService:
    def __init__(self, storage: Storage, sops: SopBook, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._sops = sops
        self._clock = clock

    def holder(self, actor: User, number: str) -> Holder | None:
        """The user holding dossier ``number`` at its current step, or None."""
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            head = _head(store, number)
            return _holder(head, store.claim_of(head.id))

    def mine(self, actor: User) -> list[str]:
        """Numbers of the dossiers ``actor`` holds, oldest claim first."""
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            return store.claimed_numbers(actor.id)

    def claim(self, actor: User, number: str) -> Holder:
        """Take dossier ``number`` for ``actor``; refused if someone else holds it."""
        require(actor, Permission.COMPLETE_STEP)
        now = self._clock()
        with self._storage.writing() as store:
            head = _head(store, number)
            self._check_actor(store, head, actor.role)
            held = _holder(head, store.claim_of(head.id))
            if held is not None and held.user_id == actor.id:
                return held
            if held is not None:
                raise WorkflowRefused(
                    _("Berkas {number} sedang dikerjakan oleh {name}.").format(
                        number=head.number, name=held.full_name
                    ),
                    "claim.taken",
                )
            self._write(store, head, actor, actor, "claim", now, None)
            found = _holder(head, store.claim_of(head.id))
        assert found is not None
        return found

    def release(self, actor: User, number: str) -> None:
        """Give dossier ``number`` back to the queue; only its holder (or an admin) may."""
        require(actor, Permission.VIEW_DOSSIERS)
        now = self._clock()
        with self._storage.writing() as store:
            head = _head(store, number)
            held = _holder(head, store.claim_of(head.id))
            if held is None:
                return
            if held.user_id != actor.id and actor.role is not Role.ADMIN:
                raise WorkflowRefused(
                    _("Hanya {name} atau Admin yang dapat melepas berkas ini.").format(
                        name=held.full_name
                    ),
                    "claim.not_holder",
                )
            ensure_recorded(store, actor, now)
            store.drop_claim(head.id)
            self._audit(store, head, actor, "release", now, held, None)

    def reassign(self, actor: User, number: str, to: User) -> Holder:
        """An admin hands dossier ``number`` to ``to``, who must work its current step."""
        require(actor, Permission.MANAGE_USERS)
        now = self._clock()
        with self._storage.writing() as store:
            head = _head(store, number)
            self._check_actor(store, head, to.role)
            held = _holder(head, store.claim_of(head.id))
            ensure_recorded(store, actor, now)
            self._write(store, head, to, actor, "reassign", now, held)
            found = _holder(head, store.claim_of(head.id))
        assert found is not None
        return found

    def release_after_step(self, store: Store, number: str) -> None:
        """Drop the claim of a dossier that just moved on (called inside the step's write)."""
        dossier_id = store.dossier_id(number)
        if dossier_id is not None:
            store.drop_claim(dossier_id)

    # --- helpers ----------------------------------------------------------------------

    def _check_actor(self, store: Store, head: DossierHead, role: Role) -> None:
        if head.status is not Status.IN_PROGRESS:
            raise WorkflowRefused(
                _("Berkas {number} tidak sedang diproses ({status}).").format(
                    number=head.number, status=head.status.label
                ),
                "claim.not_in_progress",
            )
        sop = self._sops.get(store, head.sop_number, head.sop_version)
        step_role = None if sop is None else role_of(sop.step(head.step_no))
        if step_role is not role:
            raise WorkflowRefused(
                _("Langkah {no} berkas {number} tidak dikerjakan oleh {role}.").format(
                    no=head.step_no, number=head.number, role=role.label
                ),
                "claim.wrong_role",
            )

    def _write(
        self,
        store: Store,
        head: DossierHead,
        holder: User,
        actor: User,
        action: str,
        now: datetime,
        before: Holder | None,
    ) -> None:
        store.put_claim(
            head.id, user_id=holder.id, role=holder.role.value, step_no=head.step_no, now=now
        )
        self._audit(store, head, actor, action, now, before, holder)

    @staticmethod
    def _audit(
        store: Store,
        head: DossierHead,
        actor: User,
        action: str,
        now: datetime,
        before: Holder | None,
        after: User | None,
    ) -> None:
        old = None if before is None else {"holder": before.username, "step": before.step_no}
        new = None if after is None else {"holder": after.username, "step": head.step_no}
        store.audit(
            at=now,
            user=to_record(actor),
            action=action,
            entity="dossier",
            entity_id=head.number,
            before=old,
            after=new,
        )
        store.enqueue(
            command=action,
            entity="claim",
            entity_id=head.id,
            base_version=head.version,
            payload={"holder": None if after is None else after.id, "step": head.step_no},
            now=now,
        )


def _head(store: Store, number: str) -> DossierHead:
    wanted = number.strip()
    if len(wanted) > 64:
        raise InvalidInput(_("Nomor berkas terlalu panjang."))
    for candidate in dict.fromkeys((wanted, wanted.upper())):
        head = store.dossier_head(candidate)
        if head is not None:
            return head
    raise NotFoundError(_("Berkas {number} tidak ditemukan.").format(number=wanted))


def _holder(head: DossierHead, claim: ClaimRecord | None) -> Holder | None:
    """A claim counts only while the dossier is in progress at the claimed step."""
    if claim is None or claim.step_no != head.step_no or head.status is not Status.IN_PROGRESS:
        return None
    return Holder(
        head.number,
        claim.user_id,
        claim.username,
        claim.full_name,
        Role(claim.role),
        claim.step_no,
        claim.claimed_at,
    )
