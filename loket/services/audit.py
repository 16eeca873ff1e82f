"""Checking the audit chain: for the office's IT person and inspectors."""

from __future__ import annotations

from loket.domain.roles import Permission
from loket.services.users import User, require
from loket.storage.audit import AuditReport
from loket.storage.store import Storage


class AuditService:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def verify(self, actor: User) -> AuditReport:
        require(actor, Permission.VERIFY_AUDIT)
        with self._storage.reading() as store:
            return store.verify_audit()
