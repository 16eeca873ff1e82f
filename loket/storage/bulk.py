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
import os
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from loket.domain.dossier import ChecklistItem, StepVisit
from loket.storage import audit as audit_log
from loket.storage import models
from loket.storage.store import Storage, name_key

OUTBOX_COUNTER = "outbox"  # as Store.enqueue names it
#: Rows buffered before they are written with one ``executemany`` per table.
DEFAULT_BATCH_ROWS = 60_000
#: SQLite page cache during a bulk load, MiB.
BULK_CACHE_MIB = 256

_STR = json.encoder.encode_basestring
#: A string as canonical JSON writes it (quoted, escaped, non-ASCII kept).
json_string = _STR
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
).encode
_VISIT_DATA = json.JSONEncoder(ensure_ascii=False).encode
_RAND_MASK_48 = (1 << 48) - 1
_RAND_MASK_80 = 0x0FFF_3FFF_FFFF_FFFF_FFFF
_VERSION_VARIANT = 0x7000_8000_0000_0000_0000

Row = tuple[Any, ...]


def canonical(value: Any) -> str:
    """The same text as :func:`loket.storage.audit.canonical_json`, without its set-up cost."""
    return str(_CANONICAL(value))


# --- identifiers ----------------------------------------------------------------------


def uuid7_text(ms: int, rand74: int) -> str:
    """A UUIDv7 string for the Unix time ``ms`` (milliseconds) and 74 random bits."""
    return (
        f"{ms >> 16 & 0xFFFFFFFF:08x}-{ms & 0xFFFF:04x}-{0x7000 | (rand74 >> 62 & 0xFFF):04x}-"
        f"{0x8000 | (rand74 >> 48 & 0x3FFF):04x}-{rand74 & _RAND_MASK_48:012x}"
    )


class IdMaker:
    """UUIDv7 keys stamped with the time of the event they record, made quickly.

    :func:`loket.storage.ids.new_id` stamps the present instant and costs about
    ten microseconds; generated history wants its own instants, millions of
    times. The random bits come from a generator seeded from the OS unless a
    seed is given (tests), so two runs never share keys.
    """

    __slots__ = ("_bits", "_ms", "_prefix")

    def __init__(self, seed: int | None = None) -> None:
        if seed is None:
            seed = int.from_bytes(os.urandom(16), "big")
        self._bits = random.Random(seed).getrandbits
        self._ms = -1
        self._prefix = ""

    def at(self, ms: int) -> str:
        if ms != self._ms:  # keys of one action share their millisecond
            stamp = "%012x" % (ms & 0xFFFFFFFFFFFF)  # %-format: the fastest form here
            self._prefix = stamp[:8] + "-" + stamp[8:] + "-"
            self._ms = ms
        # Version 7 in the top nibble, variant 0b10 above the last 62 random bits.
        bits = "%020x" % (self._bits(80) & _RAND_MASK_80 | _VERSION_VARIANT)
        return self._prefix + bits[:4] + "-" + bits[4:8] + "-" + bits[8:]

    def at_time(self, moment: datetime) -> str:
        return self.at(int(moment.timestamp() * 1000))


# --- encoding rows -------------------------------------------------------------------


#: One user action's audit entry and outbox entry, encoded by :meth:`RowCodec.event`,
#: waiting for its place in the chain. A plain tuple, cheap to send between processes:
#: ``(head, middle, tail, audit_id, at, at_iso, user_id, username, role, action, entity,
#: entity_id, before, after, op_id, tx_id, outbox_entity_id, base_version, payload)``.
#: The audit hash covers the entry's sequence number and the previous hash, known only
#: when the event is written: ``head``, ``middle`` and ``tail`` are the canonical JSON
#: of the hashed body around those two values.
PreparedEvent = tuple[
    str, str, str, str, Any, str, str, str, str, str, str, str, str, str, str, str, str, int, str
]


class RowCodec:
    """Domain values to the parameters one engine stores, in this module's column orders.

    Picklable (it holds only the dialect's name), so that rows can be prepared in
    worker processes. Datetimes must be aware; they are stored as UTC exactly as
    :class:`loket.storage.models.UTCDateTime` stores them.
    """

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self._sqlite = dialect == "sqlite"
        self._instants: dict[datetime, tuple[Any, str]] = {}
        self._days: dict[int, tuple[str, datetime]] = {}

    def __getstate__(self) -> str:
        return self.dialect

    def __setstate__(self, state: str) -> None:
        self.__init__(state)  # type: ignore[misc]

    def instant(self, moment: datetime) -> tuple[Any, str]:
        """``moment`` as stored, and as the audit hash reads it back (ISO 8601, UTC)."""
        found = self._instants.get(moment)
        if found is None:
            if moment.tzinfo is None:
                raise ValueError("naive datetime given to the database; pass an aware one")
            utc = moment.astimezone(UTC)
            naive = utc.replace(tzinfo=None)
            stored: Any = naive
            if self._sqlite:
                stored = naive.isoformat(" ")
                if not naive.microsecond:
                    stored += ".000000"
            found = (stored, utc.isoformat())
            if len(self._instants) > 200_000:
                self._instants.clear()
            self._instants[moment] = found
        return found

    def at_second(self, epoch: int) -> tuple[datetime, Any, str]:
        """The whole Unix second ``epoch`` as an aware UTC datetime, stored, and hashed.

        For generated times, which are whole seconds: the text is assembled from
        a per-day prefix instead of formatting a datetime, and remembered, so that
        :meth:`instant` of the same moment costs one dictionary look-up.
        """
        days, second = divmod(epoch, 86_400)
        day = self._days.get(days)
        if day is None:
            when = datetime.fromtimestamp(days * 86_400, UTC)
            day = (when.date().isoformat(), when)
            self._days[days] = day
        hour, rest = divmod(second, 3600)
        clock = f"{hour:02d}:{rest // 60:02d}:{rest % 60:02d}"
        moment = day[1] + timedelta(seconds=second)
        stored: Any = f"{day[0]} {clock}.000000" if self._sqlite else moment.replace(tzinfo=None)
        found = (stored, f"{day[0]}T{clock}+00:00")
        if len(self._instants) > 200_000:
            self._instants.clear()
        self._instants[moment] = found
        return moment, stored, found[1]

    def dt(self, moment: datetime | None) -> Any:
        return None if moment is None else self.instant(moment)[0]

    def day(self, value: date | None) -> Any:
        if value is None or not self._sqlite:
            return value
        return value.isoformat()

    # Column orders: see the INSERT statements in _INSERTS.

    @staticmethod
    def applicant_row(
        applicant_id: str,
        *,
        kind: str,
        name: str,
        nik: str,
        nib: str,
        npwp: str,
        phone: str,
        email: str,
        street: str,
        desa: str,
        kecamatan: str,
        kabupaten: str,
        province: str,
        representative: str,
    ) -> Row:
        """An applicant without its ``created_at``, which :meth:`BulkWriter.add_applicant` adds."""
        return (
            applicant_id,
            kind,
            name,
            name_key(name),
            nik,
            nib,
            npwp,
            phone,
            email,
            street,
            desa,
            kecamatan,
            kabupaten,
            province,
            representative,
        )

    @staticmethod
    def business_row(
        business_id: str,
        applicant_id: str,
        *,
        name: str,
        kbli: str,
        kbli_edition: str,
        street: str,
        desa: str,
        kecamatan: str,
        kabupaten: str,
        province: str,
    ) -> Row:
        return (
            business_id,
            applicant_id,
            name,
            kbli,
            kbli_edition,
            street,
            desa,
            kecamatan,
            kabupaten,
            province,
        )

    def dossier_row(
        self,
        dossier_id: str,
        *,
        number: str,
        sop_number: int,
        sop_version: int,
        applicant_id: str,
        business_id: str | None,
        status: str,
        step_no: int,
        received_at: datetime,
        station_code: str,
        sicantik_no: str,
        oss_nib: str,
        version: int,
        created_by: str,
        updated_at: datetime,
    ) -> Row:
        """A dossier without its ``permit_number``, which :meth:`BulkWriter.add_dossier` adds."""
        return (
            dossier_id,
            number,
            sop_number,
            sop_version,
            applicant_id,
            business_id,
            status,
            step_no,
            self.dt(received_at),
            station_code,
            sicantik_no,
            oss_nib,
            version,
            created_by,
            self.dt(updated_at),
        )

    @staticmethod
    def checklist_rows(dossier_id: str, checklist: Iterable[ChecklistItem]) -> list[Row]:
        return [
            (dossier_id, item.key, position, item.name, item.mandatory, item.received, item.note)
            for position, item in enumerate(checklist)
        ]

    @staticmethod
    def checklist_rows_of(
        dossier_id: str, items: Iterable[tuple[str, str, bool, bool]]
    ) -> list[Row]:
        """As :meth:`checklist_rows`, from (key, name, mandatory, received) without notes."""
        return [
            (dossier_id, key, position, name, mandatory, received, "")
            for position, (key, name, mandatory, received) in enumerate(items)
        ]

    def visit_rows(
        self, dossier_id: str, visits: Sequence[StepVisit], ids: Sequence[str]
    ) -> list[Row]:
        """Step visits numbered from 1, as :meth:`Store.insert_dossier` and ``save_state`` do."""
        return [
            (
                visit_id,
                dossier_id,
                seq,
                visit.step_no,
                self.dt(visit.started_at),
                self.dt(visit.finished_at),
                visit.user_id,
                visit.role,
                visit.outcome.value if visit.outcome else None,
                visit.reason,
                _VISIT_DATA(dict(visit.data)) if visit.data else "{}",
            )
            for seq, (visit, visit_id) in enumerate(zip(visits, ids, strict=True), start=1)
        ]

    def permit_row(
        self,
        permit_id: str,
        dossier_id: str,
        *,
        number: str,
        issued_at: datetime,
        valid_until: date | None,
        signed_by: str,
    ) -> Row:
        return (permit_id, dossier_id, number, self.dt(issued_at), self.day(valid_until), signed_by)

    @staticmethod
    def event(
        *,
        audit_id: str,
        at: tuple[Any, str],
        user: tuple[str, str, str],
        action: str,
        entity: str,
        entity_id: str,
        before: str,
        after: str,
        op_id: str,
        tx_id: str,
        outbox_entity_id: str,
        base_version: int,
        payload: str,
    ) -> PreparedEvent:
        """An action's audit and outbox entries, as ``Store.audit`` and ``Store.enqueue`` do.

        ``at`` is :meth:`instant` of the action's time; ``user`` is (id, username,
        role); ``before``, ``after`` and ``payload`` are already canonical JSON
        (:func:`canonical`; ``"{}"`` for none). The audit entry is
        ``entity``/``entity_id``; the outbox entry names the same entity by
        ``outbox_entity_id`` (a dossier's id rather than its number).
        """
        stored, at_iso = at
        user_id, username, role = user
        before_json, after_json = before, after
        # The keys of AuditRecord.compute_hash's body, in canonical (sorted) order.
        head = (
            f'{{"action":{_STR(action)},"after":{_STR(after_json)},"at":{_STR(at_iso)},'
            f'"before":{_STR(before_json)},"entity":{_STR(entity)},'
            f'"entity_id":{_STR(entity_id)},"id":{_STR(audit_id)},"prev_hash":"'
        )
        middle = f'","role":{_STR(role)},"seq":'
        tail = f',"user_id":{_STR(user_id)},"username":{_STR(username)}}}'
        return (
            head,
            middle,
            tail,
            audit_id,
            stored,
            at_iso,
            user_id,
            username,
            role,
            action,
            entity,
            entity_id,
            before_json,
            after_json,
            op_id,
            tx_id,
            outbox_entity_id,
            base_version,
            payload,
        )


# --- writing ---------------------------------------------------------------------------

_COLUMNS: dict[str, tuple[str, ...]] = {
    models.Applicant.__tablename__: (
        "id",
        "kind",
        "name",
        "name_key",
        "nik",
        "nib",
        "npwp",
        "phone",
        "email",
        "street",
        "desa",
        "kecamatan",
        "kabupaten",
        "province",
        "representative",
        "created_at",
    ),
    models.Business.__tablename__: (
        "id",
        "applicant_id",
        "name",
        "kbli",
        "kbli_edition",
        "street",
        "desa",
        "kecamatan",
        "kabupaten",
        "province",
    ),
    models.Dossier.__tablename__: (
        "id",
        "number",
        "sop_number",
        "sop_version",
        "applicant_id",
        "business_id",
        "status",
        "step_no",
        "received_at",
        "station_code",
        "sicantik_no",
        "oss_nib",
        "version",
        "created_by",
        "updated_at",
        "permit_number",
    ),
    models.ChecklistItem.__tablename__: (
        "dossier_id",
        "requirement_key",
        "position",
        "name",
        "mandatory",
        "received",
        "note",
    ),
    models.StepVisit.__tablename__: (
        "id",
        "dossier_id",
        "seq",
        "step_no",
        "started_at",
        "finished_at",
        "user_id",
        "role",
        "outcome",
        "reason",
        "data",
    ),
    models.Permit.__tablename__: (
        "id",
        "dossier_id",
        "number",
        "issued_at",
        "valid_until",
        "signed_by",
    ),
    models.AuditEntry.__tablename__: (
        "seq",
        "id",
        "at",
        "user_id",
        "username",
        "role",
        "action",
        "entity",
        "entity_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ),
    models.OutboxEntry.__tablename__: (
        "op_id",
        "client_seq",
        "tx_id",
        "command",
        "entity",
        "entity_id",
        "base_version",
        "payload",
        "created_at",
    ),
}
#: Parents before children, so that foreign keys hold at every statement.
TABLE_ORDER = tuple(_COLUMNS)


def _insert_sql(table: str, marker: str) -> str:
    columns = _COLUMNS[table]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join([marker] * len(columns))})'


class BulkWriter:
    """Buffers rows and writes them, table by table, inside the caller's transaction.

    Made by :func:`bulk_writing`; :meth:`close` (called by it) writes what is
    still buffered, the counters taken and the audit head.
    """

    def __init__(self, connection: Connection, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        self._c = connection
        self.codec = RowCodec(connection.dialect.name)
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self._sql = {table: _insert_sql(table, marker) for table in TABLE_ORDER}
        self._rows: dict[str, list[Row]] = {table: [] for table in TABLE_ORDER}
        self._buffered = 0
        self._batch_rows = batch_rows
        self.written: dict[str, int] = dict.fromkeys(TABLE_ORDER, 0)
        self._counters: dict[str, int] = {}
        self._touched: set[str] = set()
        head = connection.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
        self._seq: int = 0 if head is None else int(head[0])
        self._prev: str = audit_log.GENESIS if head is None else str(head[1])
        self._head_exists = head is not None
        self._checked = False
        self._outbox_seq = self.counter(OUTBOX_COUNTER)
        self._audit = self._rows[models.AuditEntry.__tablename__]
        self._outbox = self._rows[models.OutboxEntry.__tablename__]

    # --- reads ------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        row = self._c.execute(
            text("SELECT value FROM settings WHERE key = :key"), {"key": key}
        ).first()
        return None if row is None else json.loads(row[0])

    def counter(self, name: str) -> int:
        """A counter's value as this transaction sees it (0 when it never ran)."""
        value = self._counters.get(name)
        if value is None:
            row = self._c.execute(
                text("SELECT value FROM counters WHERE name = :name"), {"name": name}
            ).first()
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
            op_id,
            tx_id,
            outbox_entity_id,
            base_version,
            payload,
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
        self._outbox_seq += 1
        self._outbox.append(
            (
                op_id,
                self._outbox_seq,
                tx_id,
                action,
                entity,
                outbox_entity_id,
                base_version,
                payload,
                at,
            )
        )
        self._buffered += 2

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
                self._c.exec_driver_sql(self._sql[table], rows)
                self.written[table] += len(rows)
                rows.clear()
        self._buffered = 0

    def close(self) -> None:
        self.flush()
        if self._outbox_seq != self.counter(OUTBOX_COUNTER):
            self._counters[OUTBOX_COUNTER] = self._outbox_seq
            self._touched.add(OUTBOX_COUNTER)
        for name in sorted(self._touched):
            self._store_counter(name, self._counters[name])
        self._touched.clear()
        if self._head_exists:
            self._c.execute(
                text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
                {"seq": self._seq, "hash": self._prev},
            )
        elif self._seq:
            self._c.execute(
                text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                {"seq": self._seq, "hash": self._prev},
            )
            self._head_exists = True

    def _store_counter(self, name: str, value: int) -> None:
        done = self._c.execute(
            text("UPDATE counters SET value = :value WHERE name = :name"),
            {"name": name, "value": value},
        )
        if done.rowcount == 0:
            self._c.execute(
                text("INSERT INTO counters (name, value) VALUES (:name, :value)"),
                {"name": name, "value": value},
            )


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
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def reserve_counters(storage: Storage, amounts: Mapping[str, int]) -> dict[str, int]:
    """Move each named counter on by ``amounts[name]``; return the values before.

    Numbers ``before + 1 .. before + amount`` then belong to the caller, whatever
    anyone registers meanwhile: a bulk load takes its dossier numbers up front.
    """
    starts: dict[str, int] = {}
    with storage.database.write() as connection:
        for name in sorted(amounts):
            row = connection.execute(
                text("SELECT value FROM counters WHERE name = :name"), {"name": name}
            ).first()
            before = 0 if row is None else int(row[0])
            if row is None:
                connection.execute(
                    text("INSERT INTO counters (name, value) VALUES (:name, :value)"),
                    {"name": name, "value": before + amounts[name]},
                )
            else:
                connection.execute(
                    text("UPDATE counters SET value = :value WHERE name = :name"),
                    {"name": name, "value": before + amounts[name]},
                )
            starts[name] = before
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
