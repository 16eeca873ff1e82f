"""Checking the audit chain: for the office's IT person and inspectors."""

from __future__ import annotations

import json
from collections.abc import Callable

from loket.domain.dossier import Status
from loket.domain.i18n import _
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


#: The audit's ``after`` keys in the office's words; the rest keep their own names.
_DETAIL_LABELS: dict[str, Callable[[], str]] = {
    "status": lambda: _("status"),
    "step": lambda: _("langkah"),
    "target_step": lambda: _("ke langkah"),
    "reason": lambda: _("alasan"),
    "received": lambda: _("persyaratan"),
    "number": lambda: _("nomor"),
    "sop": lambda: _("SOP"),
    "applicant": lambda: _("pemohon"),
    "receiver": lambda: _("penerima"),
    "id_number": lambda: _("nomor identitas"),
    "scores": lambda: _("nilai"),
    "data": lambda: _("isian"),
}
#: Kept in the entry for the record, not worth a clerk's reading.
_UNSHOWN = frozenset({"version", "sop_version"})


def details_text(after: str) -> str:
    """An audit entry's ``after`` (canonical JSON) as a line a clerk can read.

    Status codes read as their labels (``in_progress`` as *Diproses*), keys in
    Indonesian; text that is not a JSON object is shown as it is.
    """
    try:
        values = json.loads(after) if after else {}
    except ValueError:
        return after
    if not isinstance(values, dict):
        return after
    parts = []
    for key, value in values.items():
        if key in _UNSHOWN or value in ("", None, {}, []):
            continue
        label = _DETAIL_LABELS[key]() if key in _DETAIL_LABELS else key
        parts.append(f"{label}: {_value_text(key, value)}")
    return "; ".join(parts)


def _value_text(key: str, value: object) -> str:
    if key == "status" and value in set(Status):
        return Status(str(value)).label
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
