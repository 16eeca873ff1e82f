"""The audit log: append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, and the
head row remembers the last link, so an edited, deleted or truncated entry is
found by :func:`verify`, which names the first entry that is wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from loket.domain.i18n import _
from loket.storage.models import AuditEntry, AuditHead, table_of
from loket.storage.rows import DriverRows

GENESIS = "0" * 64


_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
).encode


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, non-ASCII kept: the hashed text must never vary.

    One encoder made once: ``json.dumps`` with options builds a new one per call.
    """
    return str(_CANONICAL(value))


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


_HEAD = table_of(AuditHead)
_SELECT_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)
_ENTRIES = AuditEntry.__tablename__


def _head(connection: Connection) -> tuple[int, str] | None:
    row = connection.execute(_SELECT_HEAD).first()
    return None if row is None else (int(row[0]), str(row[1]))


def _lock_head(rows: DriverRows) -> tuple[int, str]:
    """The chain's last link, locked until the caller's transaction ends.

    On SQLite the write transaction already holds the database lock. On
    PostgreSQL two writers would otherwise both read the same head and both
    append the same ``seq``: the head row is locked with FOR UPDATE, so the
    second writer waits and then reads the new head. The row is created on the
    first append ever; after that, finding it costs one statement.
    """
    row = rows.one(rows.sql.lock_audit_head)
    if row is None:
        rows.run(rows.sql.new_audit_head, (0, GENESIS))
        row = rows.one(rows.sql.lock_audit_head)
        if row is None:  # made just now, or by the writer we waited for
            raise RuntimeError("the audit head row is missing right after it was made")
    return int(row[0]), str(row[1])


def append(
    rows: DriverRows,
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
    last_seq, last_hash = _lock_head(rows)
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
    rows.insert(
        _ENTRIES,
        (
            record.seq,
            record.id,
            rows.codec.dt(record.at),
            user_id,
            username,
            role,
            action,
            entity,
            entity_id,
            record.before,
            record.after,
            last_hash,
            digest,
        ),
    )
    rows.run(rows.sql.move_audit_head, (record.seq, digest))
    return replace(record, hash=digest)


def entries(
    connection: Connection, entity_id: str | None = None
) -> Generator[AuditRecord, None, None]:
    """The entries in order, streamed (a server-side cursor on PostgreSQL).

    The cursor is closed when the iteration ends or the generator is closed, so
    a caller stopping early leaves no open cursor behind in the transaction.
    """
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with connection.execute(query.execution_options(yield_per=5000)) as result:
        yield from (_record(row) for row in result)


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
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
    """Walk the whole chain; stop at the first entry that is altered or missing.

    Run it in one read transaction (``Database.read()``), so the entries and the
    head row come from the same snapshot.
    """
    with closing(entries(connection)) as records:
        checked, previous, problem = _walk(records)
    if problem is None:
        problem = _head_problem(_head(connection), checked, previous)
    return AuditReport(checked, problem)


def _walk(records: Iterator[AuditRecord]) -> tuple[int, str, AuditProblem | None]:
    """(entries found sound, the last one's hash, the first problem)."""
    expected_seq, previous = 1, GENESIS
    for record in records:
        checked = expected_seq - 1
        if record.seq != expected_seq:
            message = _("Entri audit {seq} hilang (berikutnya yang ada: {found}).")
            problem = AuditProblem(expected_seq, message.format(seq=expected_seq, found=record.seq))
            return checked, previous, problem
        if record.prev_hash != previous:
            message = _("Entri audit {seq} tidak tersambung dengan entri sebelumnya.")
            return checked, previous, AuditProblem(record.seq, message.format(seq=record.seq))
        if record.compute_hash() != record.hash:
            message = _("Entri audit {seq} telah diubah ({action} {entity_id}).")
            text = message.format(seq=record.seq, action=record.action, entity_id=record.entity_id)
            return checked, previous, AuditProblem(record.seq, text)
        previous = record.hash
        expected_seq += 1
    return expected_seq - 1, previous, None


def _head_problem(
    head: tuple[int, str] | None, checked: int, last_hash: str
) -> AuditProblem | None:
    """Compare the head row with the chain just walked (``checked`` entries, all sound)."""
    if head is None:
        if checked == 0:
            return None  # nothing was ever audited
        return AuditProblem(
            checked,
            _("Kepala rantai audit hilang, padahal ada {last} entri audit.").format(last=checked),
        )
    head_seq, head_hash = head
    if head_seq > checked:
        missing = checked + 1
        if missing == head_seq:
            message = _(
                "Entri audit terakhir ({seq}) hilang (kepala rantai menunjuk entri {head})."
            )
        else:
            message = _(
                "Entri audit {seq} sampai {head} hilang (kepala rantai menunjuk entri {head})."
            )
        return AuditProblem(missing, message.format(seq=missing, head=head_seq))
    if head_seq < checked:
        return AuditProblem(
            head_seq + 1,
            _(
                "Kepala rantai audit menunjuk entri {head}, padahal rantai berisi {last} entri: "
                "kepala rantai telah diubah, atau entri sesudah {head} ditambahkan di luar Loket."
            ).format(head=head_seq, last=checked),
        )
    if head_hash != last_hash:
        return AuditProblem(
            checked,
            _(
                "Kepala rantai audit tidak cocok dengan entri {seq}: kepala rantai atau entri "
                "terakhir telah diubah."
            ).format(seq=checked),
        )
    return None
