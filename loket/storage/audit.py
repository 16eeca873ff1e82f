"""The audit log: append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, and the
head row remembers the last link, so an edited, deleted or truncated entry is
found by :func:`verify`, which names the first entry that is wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from loket.domain.i18n import _
from loket.storage.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    id: str
    at: datetime
    user_id: str
    username: str
    role: str
    action: str
    entity: str
    entity_id: str
    before: str
    after: str
    prev_hash: str
    hash: str = ""

    def compute_hash(self) -> str:
        body = {
            "seq": self.seq,
            "id": self.id,
            "at": self.at.astimezone(UTC).isoformat(),
            "user_id": self.user_id,
            "username": self.username,
            "role": self.role,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
        }
        return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _head(connection: Connection) -> tuple[int, str]:
    row = connection.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    connection: Connection,
    *,
    entry_id: str,
    at: datetime,
    user_id: str,
    username: str,
    role: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> AuditRecord:
    """Add one entry inside the caller's write transaction (never on its own)."""
    last_seq, last_hash = _head(connection)
    record = AuditRecord(
        seq=last_seq + 1,
        id=entry_id,
        at=at.astimezone(UTC),
        user_id=user_id,
        username=username,
        role=role,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=canonical_json(before or {}),
        after=canonical_json(after or {}),
        prev_hash=last_hash,
    )
    digest = record.compute_hash()
    values = {name: getattr(record, name) for name in AuditRecord.__slots__ if name != "hash"}
    connection.execute(insert(AuditEntry).values(**values, hash=digest))
    if last_seq == 0:
        connection.execute(insert(AuditHead).values(id=1, seq=record.seq, hash=digest))
    else:
        connection.execute(
            update(AuditHead).where(AuditHead.id == 1).values(seq=record.seq, hash=digest)
        )
    return AuditRecord(**{**values, "hash": digest})


def entries(connection: Connection, entity_id: str | None = None) -> Iterator[AuditRecord]:
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    for row in connection.execute(query.execution_options(yield_per=5000)):
        yield AuditRecord(
            seq=row.seq,
            id=row.id,
            at=row.at,
            user_id=row.user_id,
            username=row.username,
            role=row.role,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            before=row.before,
            after=row.after,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int
    message: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    checked: int
    problem: AuditProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(connection: Connection) -> AuditReport:
    """Walk the whole chain; stop at the first entry that is altered or missing."""
    expected_seq, previous = 1, GENESIS
    checked = 0
    for record in entries(connection):
        if record.seq != expected_seq:
            return AuditReport(
                checked,
                AuditProblem(
                    expected_seq,
                    _("Entri audit {seq} hilang (berikutnya yang ada: {found}).").format(
                        seq=expected_seq, found=record.seq
                    ),
                ),
            )
        if record.prev_hash != previous:
            return AuditReport(
                checked,
                AuditProblem(
                    record.seq,
                    _("Entri audit {seq} tidak tersambung dengan entri sebelumnya.").format(
                        seq=record.seq
                    ),
                ),
            )
        if record.compute_hash() != record.hash:
            return AuditReport(
                checked,
                AuditProblem(
                    record.seq,
                    _("Entri audit {seq} telah diubah ({action} {entity_id}).").format(
                        seq=record.seq, action=record.action, entity_id=record.entity_id
                    ),
                ),
            )
        previous = record.hash
        expected_seq += 1
        checked += 1
    head_seq, head_hash = _head(connection)
    if head_seq != checked or head_hash != previous:
        missing = checked + 1
        return AuditReport(
            checked,
            AuditProblem(
                missing,
                _("Entri audit {seq} dan sesudahnya hilang (kepala rantai: {head}).").format(
                    seq=missing, head=head_seq
                ),
            ),
        )
    return AuditReport(checked, None)
