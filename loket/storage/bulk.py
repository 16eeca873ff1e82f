"""Bulk writes of prepared rows: demo data and benchmark databases.

The normal path (:class:`~loket.storage.store.Store`) writes one user action
per transaction, which is right for people and far too slow for a million
generated dossiers. Here rows are prepared in memory (by a generator that ran
the real workflow engine), encoded by a :class:`RowCodec`, and written with
``executemany`` in large batches inside a few big transactions, keeping every
invariant of the normal path:

- the audit chain continues from the current head, each entry hashed exactly
  as :meth:`loket.storage.audit.AuditRecord.compute_hash` does (the first entry
  of every transaction is checked against it), and the head row is moved on;
- outbox entries continue the ``outbox`` counter, one transaction id per action;
- counters (dossier numbers per SOP/year/station, permit numbers per year) end
  where the normal path continues them without collision.

Nothing here decides *what* is written; callers pass rows, this module only
knows how each is stored on each engine (SQLite's datetime text, PostgreSQL's
native types) and in what order the tables must be filled.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from loket.storage import audit as audit_log
from loket.storage import models
from loket.storage.rows import TABLE_ORDER, DriverRows, PreparedEvent, Row, RowCodec
from loket.storage.store import Storage

OUTBOX_COUNTER = "outbox"  # as Store.enqueue names it
#: Rows buffered before they are written with one ``executemany`` per table.
DEFAULT_BATCH_ROWS = 60_000
#: SQLite page cache during a bulk load, MiB.
BULK_CACHE_MIB = 256


class BulkWriter:
    """Buffers rows and writes them, table by table, inside the caller's transaction.

    Made by :func:`bulk_writing`; :meth:`close` (called by it) writes what is
    still buffered, the counters taken and the audit head.
    """

    def __init__(self, connection: Connection, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        self._driver = driver = DriverRows(connection)
        self.codec = RowCodec(connection.dialect.name)  # remembers: instants recur here
        self._rows: dict[str, list[Row]] = {table: [] for table in TABLE_ORDER}
        self._buffered = 0
        self._batch_rows = batch_rows
        self.written: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
        self._counters: dict[str, int] = {}
        self._touched: set[str] = set()
        head = driver.one(driver.sql.audit_head)
        self._seq: int = 0 if head is None else int(head[0])
        self._prev: str = audit_log.GENESIS if head is None else str(head[1])
        self._checked = False
        self._outbox_seq = self.counter(OUTBOX_COUNTER)
        self._audit = self._rows[models.AuditEntry.__tablename__]
        self._outbox = self._rows[models.OutboxEntry.__tablename__]

    # --- reads ------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        row = self._driver.one(self._driver.sql.setting, (key,))
        return None if row is None else json.loads(row[0])

    def counter(self, name: str) -> int:
        """A counter's value as this transaction sees it (0 when it never ran)."""
        value = self._counters.get(name)
        if value is None:
            row = self._driver.one(self._driver.sql.counter, (name,))
            value = 0 if row is None else int(row[0])
            self._counters[name] = value
        return value

    def take(self, name: str) -> int:
        """The counter's next value, as ``Store.next_counter`` would give it."""
        value = self.counter(name) + 1
        self._counters[name] = value
        self._touched.add(name)
        return value

    @property
    def audit_seq(self) -> int:
        return self._seq

    # --- rows -------------------------------------------------------------------------

    def _add(self, table: str, row: Row) -> None:
        self._rows[table].append(row)
        self._buffered += 1

    def add_applicant(self, row: Row, created_at: Any) -> None:
        """``created_at`` as the codec stores it (``codec.dt``, or an event's ``at``)."""
        self._add(models.Applicant.__tablename__, (*row, created_at))

    def add_business(self, row: Row) -> None:
        self._add(models.Business.__tablename__, row)

    def add_dossier(
        self,
        row: Row,
        permit_number: str | None,
        checklist: Sequence[Row],
        visits: Sequence[Row],
    ) -> None:
        self._rows[models.Dossier.__tablename__].append((*row, permit_number))
        self._rows[models.ChecklistItem.__tablename__].extend(checklist)
        self._rows[models.StepVisit.__tablename__].extend(visits)
        self._buffered += 1 + len(checklist) + len(visits)
        if self._buffered >= self._batch_rows:
            self.flush()

    def add_permit(self, row: Row) -> None:
        self._add(models.Permit.__tablename__, row)

    def add_event(self, event: PreparedEvent) -> None:
        """Append the audit entry to the chain and queue the outbox entry."""
        self.add_audit(event)
        self._outbox_seq += 1
        self._outbox.append(
            (
                event[14],  # op_id
                self._outbox_seq,
                event[15],  # tx_id
                event[9],  # the action is the command
                event[10],  # entity
                event[16],  # outbox_entity_id
                event[17],  # base_version
                event[18],  # payload
                event[4],  # at, as stored
            )
        )
        self._buffered += 1

    def add_audit(self, event: PreparedEvent) -> None:
        """Append the audit entry alone: a record beside the workflow, never synced."""
        (
            head,
            middle,
            tail,
            audit_id,
            at,
            _iso,
            user_id,
            username,
            role,
            action,
            entity,
            entity_id,
            before,
            after,
            *_outbox,
        ) = event
        seq = self._seq + 1
        prev = self._prev
        digest = hashlib.sha256(f"{head}{prev}{middle}{seq}{tail}".encode()).hexdigest()
        if not self._checked:
            self._check(event, seq, prev, digest)
            self._checked = True
        self._audit.append(
            (
                seq,
                audit_id,
                at,
                user_id,
                username,
                role,
                action,
                entity,
                entity_id,
                before,
                after,
                prev,
                digest,
            )
        )
        self._seq, self._prev = seq, digest
        self._buffered += 1

    @staticmethod
    def _check(event: PreparedEvent, seq: int, prev: str, digest: str) -> None:
        """The fast hash must be the audit module's own: a mismatch would break the chain."""
        record = audit_log.AuditRecord(
            seq=seq,
            id=event[3],
            at=datetime.fromisoformat(event[5]),
            user_id=event[6],
            username=event[7],
            role=event[8],
            action=event[9],
            entity=event[10],
            entity_id=event[11],
            before=event[12],
            after=event[13],
            prev_hash=prev,
        )
        if record.compute_hash() != digest:
            raise RuntimeError("bulk audit hash differs from AuditRecord.compute_hash")

    # --- writing ----------------------------------------------------------------------

    def flush(self) -> None:
        for table in TABLE_ORDER:
            rows = self._rows[table]
            if rows:
                self._driver.insert_many(table, rows)
                self.written[table] += len(rows)
                rows.clear()
        self._buffered = 0

    def close(self) -> None:
        self.flush()
        if self._outbox_seq != self.counter(OUTBOX_COUNTER):
            self._counters[OUTBOX_COUNTER] = self._outbox_seq
            self._touched.add(OUTBOX_COUNTER)
        driver = self._driver
        for name in sorted(self._touched):
            driver.run(driver.sql.set_counter, (name, self._counters[name]))
        self._touched.clear()
        if self._seq:
            driver.run(driver.sql.new_audit_head, (0, audit_log.GENESIS))
            driver.run(driver.sql.move_audit_head, (self._seq, self._prev))

    def release(self) -> None:
        """The driver's cursor closed, whether the load was written or not."""
        self._driver.close()


@contextmanager
def bulk_writing(
    storage: Storage,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    cache_mib: int = BULK_CACHE_MIB,
) -> Iterator[BulkWriter]:
    """One write transaction for a bulk load: committed whole at the end, or not at all.

    Other writers wait while it runs (SQLite holds the database lock), so
    callers keep each one to a few seconds of work and open the next. On SQLite
    the connection's page cache is raised to ``cache_mib`` meanwhile, so that
    indexes with keys in no particular order (names, NIKs) stay in memory.
    """
    with storage.database.write() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{int(cache_mib) * 1024}")
        writer = BulkWriter(connection, batch_rows=batch_rows)
        try:
            yield writer
            writer.close()
        finally:
            writer.release()
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def reserve_counters(storage: Storage, amounts: Mapping[str, int]) -> dict[str, int]:
    """Move each named counter on by ``amounts[name]``; return the values before.

    Numbers ``before + 1 .. before + amount`` then belong to the caller, whatever
    anyone registers meanwhile: a bulk load takes its dossier numbers up front.
    """
    starts: dict[str, int] = {}
    with storage.database.write() as connection:
        driver = DriverRows(connection)
        try:
            for name in sorted(amounts):
                row = driver.one(driver.sql.counter, (name,))
                before = 0 if row is None else int(row[0])
                driver.run(driver.sql.set_counter, (name, before + amounts[name]))
                starts[name] = before
        finally:
            driver.close()
    return starts


def table_counts(storage: Storage) -> dict[str, int]:
    """Rows per table written by bulk loads (for reports and benchmarks)."""
    with storage.database.read() as connection:
        return {
            table: int(connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one())
            for table in TABLE_ORDER
        }


def codec_for(storage: Storage) -> RowCodec:
    """The row codec of the database behind ``storage``."""
    return RowCodec(storage.database.engine.dialect.name)
