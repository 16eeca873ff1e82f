"""Rows as each engine stores them, and the driver-level statements that write them.

Two paths write the same rows: a user's action (:class:`~loket.storage.store.Store`,
one small transaction) and a bulk load (:mod:`loket.storage.bulk`, demo data and
benchmark databases). Both encode values with :class:`RowCodec` (SQLite's
datetime text, PostgreSQL's native types, exactly as the models' types store
them) and insert with the SQL made here once per engine from :data:`COLUMNS`.

They run on the database driver's own cursor (:class:`DriverRows`), inside the
caller's SQLAlchemy transaction. SQLAlchemy's ``execute`` costs about 30 µs of
Python per statement (cache key, bind processing, result set-up, events): for a
registration's dozen fixed-shape statements that was a third of its time beyond
the database's own work (bench/bench_core.py). Queries, updates and everything
else keep using SQLAlchemy Core.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from loket.domain.dossier import ChecklistItem, StepVisit
from loket.storage import models

Row = tuple[Any, ...]


def name_key(name: str) -> str:
    """Case- and space-folded name, indexed for prefix search on any engine."""
    return " ".join(name.casefold().split())


_STR = json.encoder.encode_basestring
#: A string as canonical JSON writes it (quoted, escaped, non-ASCII kept).
json_string = _STR
_VISIT_DATA = json.JSONEncoder(ensure_ascii=False).encode
_RAND_MASK_48 = (1 << 48) - 1
_RAND_MASK_80 = 0x0FFF_3FFF_FFFF_FFFF_FFFF
_VERSION_VARIANT = 0x7000_8000_0000_0000_0000


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

    def __init__(self, dialect: str, *, remember: bool = True) -> None:
        self.dialect = dialect
        self._sqlite = dialect == "sqlite"
        # A bulk load meets the same generated instants again and again; a user's
        # action meets each of its few instants once, in a process that runs for
        # days: there, remembering them would only hold memory.
        self._remember = remember
        self._instants: dict[datetime, tuple[Any, str]] = {}
        self._days: dict[int, tuple[str, datetime]] = {}

    def __getstate__(self) -> tuple[str, bool]:
        return self.dialect, self._remember

    def __setstate__(self, state: tuple[str, bool]) -> None:
        self.__init__(state[0], remember=state[1])  # type: ignore[misc]

    def instant(self, moment: datetime) -> tuple[Any, str]:
        """``moment`` as stored, and as the audit hash reads it back (ISO 8601, UTC)."""
        found = self._instants.get(moment)
        if found is None:
            found = (self._stored(moment), moment.astimezone(UTC).isoformat())
            if self._remember:
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
        if moment is None:
            return None
        return self.instant(moment)[0] if self._remember else self._stored(moment)

    def _stored(self, moment: datetime) -> Any:
        if moment.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        naive = moment.astimezone(UTC).replace(tzinfo=None)
        if not self._sqlite:
            return naive
        stored = naive.isoformat(" ")
        return stored if naive.microsecond else stored + ".000000"

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
        self,
        dossier_id: str,
        visits: Sequence[StepVisit],
        ids: Sequence[str],
        first_seq: int = 1,
    ) -> list[Row]:
        """Step visits numbered on from ``first_seq`` (a dossier's first visit is 1)."""
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
            for seq, (visit, visit_id) in enumerate(zip(visits, ids, strict=True), start=first_seq)
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

COLUMNS: dict[str, tuple[str, ...]] = {
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
TABLE_ORDER = tuple(COLUMNS)


def insert_sql(table: str, marker: str) -> str:
    columns = COLUMNS[table]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join([marker] * len(columns))})'


# --- the driver's cursor -----------------------------------------------------------------

#: The counter's next value in one statement, created at 1 (SQLite >= 3.35, PostgreSQL).
_INCREMENT = (
    'INSERT INTO "counters" ("name", "value") VALUES ({m}, 1) '
    'ON CONFLICT ("name") DO UPDATE SET "value" = "counters"."value" + 1 RETURNING "value"'
)
_AUDIT_HEAD = 'SELECT "seq", "hash" FROM "audit_head" WHERE "id" = 1'
_SETTING = 'SELECT "value" FROM "settings" WHERE "key" = {m}'
_COUNTER = 'SELECT "value" FROM "counters" WHERE "name" = {m}'
_SET_COUNTER = (
    'INSERT INTO "counters" ("name", "value") VALUES ({m}, {m}) '
    'ON CONFLICT ("name") DO UPDATE SET "value" = excluded."value"'
)
_MOVE_AUDIT_HEAD = 'UPDATE "audit_head" SET "seq" = {m}, "hash" = {m} WHERE "id" = 1'
_NEW_AUDIT_HEAD = (
    'INSERT INTO "audit_head" ("id", "seq", "hash") VALUES (1, {m}, {m}) '
    'ON CONFLICT ("id") DO NOTHING'
)


class _Statements:
    """Every statement of :class:`DriverRows` in one parameter style, made once."""

    def __init__(self, marker: str, postgresql: bool) -> None:
        self.insert = {table: insert_sql(table, marker) for table in TABLE_ORDER}
        self.increment = _INCREMENT.format(m=marker)
        self.counter = _COUNTER.format(m=marker)
        self.set_counter = _SET_COUNTER.format(m=marker)
        self.setting = _SETTING.format(m=marker)
        self.audit_head = _AUDIT_HEAD
        # On PostgreSQL two writers would both read the same head: the row is locked
        # until commit. SQLite's write transaction already holds the database lock.
        self.lock_audit_head = _AUDIT_HEAD + (" FOR UPDATE" if postgresql else "")
        self.move_audit_head = _MOVE_AUDIT_HEAD.format(m=marker)
        self.new_audit_head = _NEW_AUDIT_HEAD.format(m=marker)


#: By dialect and parameter style (two drivers of one engine may differ).
_STATEMENTS: dict[tuple[str, str], _Statements] = {}
_CODECS: dict[str, RowCodec] = {}


class DriverRows:
    """Fixed-shape rows written on the driver's cursor, in the caller's transaction.

    Errors are raised as SQLAlchemy's own exception classes (``IntegrityError``,
    ``OperationalError``…), as if the statement had gone through SQLAlchemy, so
    callers and :class:`~loket.storage.database.Database` handle them as before.
    """

    __slots__ = ("_connection", "_cursor", "_dbapi_error", "_dialect", "codec", "sql")

    def __init__(self, connection: Connection) -> None:
        dialect = connection.dialect
        self._connection = connection
        self._cursor: Any = None  # the driver's cursor, opened at the first statement
        self._dialect = dialect
        self._dbapi_error: type[Exception] = dialect.loaded_dbapi.Error
        name, style = dialect.name, dialect.paramstyle
        sql = _STATEMENTS.get((name, style))
        if sql is None:
            if style not in ("qmark", "format", "pyformat"):
                raise NotImplementedError(f"parameter style {style} of {name}")
            marker = "?" if style == "qmark" else "%s"
            sql = _STATEMENTS[name, style] = _Statements(marker, name == "postgresql")
        self.sql = sql
        codec = _CODECS.get(name)
        if codec is None:
            codec = _CODECS[name] = RowCodec(name, remember=False)
        self.codec = codec

    def insert(self, table: str, row: Row) -> None:
        self.run(self.sql.insert[table], row)

    def insert_many(self, table: str, rows: Sequence[Row]) -> None:
        if rows:
            self.run(self.sql.insert[table], rows, many=True)

    def one(self, sql: str, params: Row = ()) -> Row | None:
        """The first row ``sql`` returns, if any."""
        return self.run(sql, params, fetch=True)

    def run(
        self, sql: str, params: Row | Sequence[Row], *, many: bool = False, fetch: bool = False
    ) -> Row | None:
        cursor = self._cursor
        if cursor is None:
            # Outside a transaction SQLite would commit each statement by itself.
            if not self._connection.in_transaction():
                raise RuntimeError("DriverRows writes only inside a begun transaction")
            # One cursor on the transaction's own connection, for as long as the
            # transaction: a Store (and its DriverRows) lives inside one transaction.
            cursor = self._cursor = self._connection.connection.cursor()
        try:
            if many:
                cursor.executemany(sql, params)
                return None
            cursor.execute(sql, params)
            return tuple(found) if fetch and (found := cursor.fetchone()) else None
        except self._dbapi_error as exc:
            raise DBAPIError.instance(
                sql, params, exc, self._dbapi_error, dialect=self._dialect, ismulti=many
            ) from exc

    def close(self) -> None:
        """The cursor closed, at the end of the transaction."""
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
