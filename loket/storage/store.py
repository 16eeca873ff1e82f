"""Reads and writes of one unit of work, in domain terms.

Services open a :class:`Store` per user action (``Storage.writing()``), call
its methods, and never see a Session, a Connection or a row: what goes in and
comes out are the domain's frozen objects. Every state change is written with
its audit entry and its outbox entry in the same transaction, so a crash
leaves all three or none.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from loket.domain.dossier import (
    Address,
    Applicant,
    Business,
    ChecklistItem,
    DossierRecord,
    DossierState,
    DossierSummary,
    Outcome,
    Permit,
    Status,
    StepVisit,
)
from loket.domain.i18n import _
from loket.domain.sop import ApplicantKind
from loket.storage import audit as audit_log
from loket.storage import models
from loket.storage.database import Database, StorageError
from loket.storage.ids import new_id

MAX_LIST = 10_000


# Statements the hot paths run, built once: a Core statement on a Table with its
# values passed at execution is compiled once and found in SQLAlchemy's cache by a
# cheap key, where ``insert(Entity).values(**row)`` coerces and hashes every value
# on every call (most of a registration's cost, measured with bench/bench_core.py).
_DOSSIERS = models.table_of(models.Dossier)
_INSERT_DOSSIER = insert(_DOSSIERS)
_INSERT_CHECKLIST = insert(models.table_of(models.ChecklistItem))
_INSERT_VISIT = insert(models.table_of(models.StepVisit))
_INSERT_APPLICANT = insert(models.table_of(models.Applicant))
_INSERT_BUSINESS = insert(models.table_of(models.Business))
_INSERT_OUTBOX = insert(models.table_of(models.OutboxEntry))
_SETTING_VALUE = select(models.Setting.value).where(models.Setting.key == bindparam("key"))
_COUNTERS = models.table_of(models.Counter)
_INCREMENTS = {
    dialect: builder(_COUNTERS)
    .values(name=bindparam("name"), value=1)
    .on_conflict_do_update(index_elements=[_COUNTERS.c.name], set_={"value": _COUNTERS.c.value + 1})
    .returning(_COUNTERS.c.value)
    for dialect, builder in (("sqlite", sqlite_insert), ("postgresql", pg_insert))
}


class NotFound(LookupError):
    pass


class Conflict(StorageError):
    """Someone else changed the dossier first; the user's action was not applied."""


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    username: str
    full_name: str
    role: str
    nip: str
    password_hash: str
    active: bool


@dataclass(frozen=True, slots=True)
class Identity:
    device_id: str
    instance_id: str
    station_code: str


def name_key(name: str) -> str:
    """Case- and space-folded name, indexed for prefix search on any engine."""
    return " ".join(name.casefold().split())


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with ``prefix``, if any."""
    while prefix and ord(prefix[-1]) == sys.maxunicode:
        prefix = prefix[:-1]
    if not prefix:
        return None
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _is_name_query(text: str) -> bool:
    """Not a NIK/NIB (digits) and not a dossier number (has a slash): a name prefix."""
    return not text.isdigit() and "/" not in text


def _starts_with(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``, as a range an ordinary index serves."""
    upper = _prefix_upper_bound(prefix)
    if upper is None:
        return column >= prefix
    return and_(column >= prefix, column < upper)


def _address(row: Any) -> Address:
    return Address(
        street=row.street,
        desa=row.desa,
        kecamatan=row.kecamatan,
        kabupaten=row.kabupaten,
        province=row.province,
    )


def _address_values(address: Address) -> dict[str, str]:
    return {
        "street": address.street,
        "desa": address.desa,
        "kecamatan": address.kecamatan,
        "kabupaten": address.kabupaten,
        "province": address.province,
    }


class Store:
    """One transaction's worth of reads and writes."""

    def __init__(self, connection: Connection, tx_id: str) -> None:
        self._c = connection
        self.tx_id = tx_id

    # --- identity, settings, counters -------------------------------------------------

    def identity(self) -> Identity | None:
        row = self._c.execute(select(models.SyncState).where(models.SyncState.id == 1)).first()
        if row is None:
            return None
        return Identity(row.device_id, row.instance_id, row.station_code)

    def create_identity(self, station_code: str, now: datetime) -> Identity:
        identity = Identity(new_id(), new_id(), station_code)
        self._c.execute(
            insert(models.SyncState).values(
                id=1,
                device_id=identity.device_id,
                instance_id=identity.instance_id,
                station_code=station_code,
                server_cursor="",
                created_at=now,
            )
        )
        return identity

    def setting(self, key: str) -> Any:
        value = self._c.execute(_SETTING_VALUE, {"key": key}).scalar()
        return None if value is None else json.loads(value)

    def settings(self) -> dict[str, Any]:
        rows = self._c.execute(select(models.Setting.key, models.Setting.value))
        return {key: json.loads(value) for key, value in rows}

    def put_setting(self, key: str, value: Any) -> None:
        encoded = json.dumps(value, ensure_ascii=False)
        done = self._c.execute(
            update(models.Setting).where(models.Setting.key == key).values(value=encoded)
        )
        if done.rowcount == 0:
            self._c.execute(insert(models.Setting).values(key=key, value=encoded))

    def days_off(self) -> frozenset[date]:
        return frozenset(self._c.execute(select(models.DayOff.day)).scalars())

    def add_day_off(self, day: date, reason: str) -> None:
        self._c.execute(insert(models.DayOff).values(day=day, reason=reason))

    def next_counter(self, name: str) -> int:
        """Increment and return a named counter (created at 1); safe under concurrent writers.

        One ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` statement: on SQLite the
        write transaction already holds the lock (BEGIN IMMEDIATE); on PostgreSQL the
        upsert takes the row lock until commit.
        """
        value = self._c.execute(_INCREMENTS[self._c.dialect.name], {"name": name}).scalar_one()
        return int(value)

    # --- users ---------------------------------------------------------------------------

    def add_user(self, user: UserRecord, now: datetime) -> None:
        try:
            with self._c.begin_nested():
                self._c.execute(
                    insert(models.User).values(
                        id=user.id,
                        username=user.username,
                        full_name=user.full_name,
                        role=user.role,
                        nip=user.nip,
                        password_hash=user.password_hash,
                        active=user.active,
                        created_at=now,
                    )
                )
        except IntegrityError as exc:
            raise Conflict(
                _("Nama pengguna {username} sudah dipakai.").format(username=user.username)
            ) from exc

    def user_by_name(self, username: str) -> UserRecord | None:
        row = self._c.execute(select(models.User).where(models.User.username == username)).first()
        return None if row is None else self._user(row)

    def user(self, user_id: str) -> UserRecord | None:
        row = self._c.execute(select(models.User).where(models.User.id == user_id)).first()
        return None if row is None else self._user(row)

    def users(self) -> list[UserRecord]:
        rows = self._c.execute(select(models.User).order_by(models.User.username))
        return [self._user(row) for row in rows]

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._c.execute(
            update(models.User).where(models.User.id == user_id).values(password_hash=password_hash)
        )

    @staticmethod
    def _user(row: Any) -> UserRecord:
        return UserRecord(
            row.id, row.username, row.full_name, row.role, row.nip, row.password_hash, row.active
        )

    def count(self, entity: type[models.Base]) -> int:
        return int(self._c.execute(select(func.count()).select_from(entity)).scalar_one())

    # --- SOP snapshots -----------------------------------------------------------------

    def snapshot(self, number: int, version: int) -> str | None:
        return self._c.execute(
            select(models.SopSnapshot.document).where(
                models.SopSnapshot.number == number, models.SopSnapshot.version == version
            )
        ).scalar()

    def store_snapshot(
        self, number: int, version: int, document: str, content_hash: str, now: datetime
    ) -> None:
        stored = self._c.execute(
            select(models.SopSnapshot.content_hash).where(
                models.SopSnapshot.number == number, models.SopSnapshot.version == version
            )
        ).scalar()
        if stored is None:
            self._c.execute(
                insert(models.SopSnapshot).values(
                    number=number,
                    version=version,
                    content_hash=content_hash,
                    document=document,
                    stored_at=now,
                )
            )
        elif stored != content_hash:
            raise Conflict(
                _(
                    "SOP {number} versi {version} telah diubah tanpa menaikkan nomor versi; "
                    "naikkan 'version' di berkas SOP."
                ).format(number=number, version=version)
            )

    # --- applicants ----------------------------------------------------------------------

    def add_applicant(self, applicant: Applicant, now: datetime) -> str:
        applicant_id = new_id()
        self._c.execute(
            _INSERT_APPLICANT,
            {
                "id": applicant_id,
                "kind": applicant.kind.value,
                "name": applicant.name,
                "name_key": name_key(applicant.name),
                "nik": applicant.nik,
                "nib": applicant.nib,
                "npwp": applicant.npwp,
                "phone": applicant.phone,
                "email": applicant.email,
                "representative": applicant.representative,
                "created_at": now,
                **_address_values(applicant.address),
            },
        )
        return applicant_id

    def add_business(self, applicant_id: str, business: Business) -> str:
        business_id = new_id()
        self._c.execute(
            _INSERT_BUSINESS,
            {
                "id": business_id,
                "applicant_id": applicant_id,
                "name": business.name,
                "kbli": business.kbli,
                "kbli_edition": business.kbli_edition,
                **_address_values(business.address),
            },
        )
        return business_id

    def find_applicants(self, query: str, limit: int = 20) -> list[tuple[str, Applicant]]:
        """A returning applicant by NIK, NIB or name prefix."""
        digits = query.strip()
        table = models.Applicant
        if digits.isdigit():
            where = or_(table.nik == digits, table.nib == digits)
        else:
            key = name_key(query)
            if not key:
                return []
            where = _starts_with(table.name_key, key)
        # A name search goes by name first, so the name index serves the order
        # and a common prefix does not sort every match (see list_dossiers).
        by_name = () if digits.isdigit() else (table.name_key,)
        rows = self._c.execute(
            select(table).where(where).order_by(*by_name, table.created_at.desc()).limit(limit)
        )
        return [(row.id, self._applicant(row)) for row in rows]

    @staticmethod
    def _applicant(row: Any) -> Applicant:
        return Applicant(
            kind=ApplicantKind(row.kind),
            name=row.name,
            nik=row.nik,
            nib=row.nib,
            npwp=row.npwp,
            phone=row.phone,
            email=row.email,
            address=_address(row),
            representative=row.representative,
        )

    # --- dossiers ------------------------------------------------------------------------

    def insert_dossier(
        self,
        *,
        dossier_id: str,
        number: str,
        sop_number: int,
        sop_version: int,
        applicant_id: str,
        business_id: str | None,
        state: DossierState,
        checklist: Sequence[ChecklistItem],
        received_at: datetime,
        station_code: str,
        created_by: str,
        sicantik_no: str,
        oss_nib: str,
    ) -> None:
        # No savepoint: a failed INSERT leaves SQLite's transaction usable, and on
        # PostgreSQL the Conflict ends the whole unit of work anyway.
        try:
            self._c.execute(
                _INSERT_DOSSIER,
                {
                    "id": dossier_id,
                    "number": number,
                    "sop_number": sop_number,
                    "sop_version": sop_version,
                    "applicant_id": applicant_id,
                    "business_id": business_id,
                    "status": state.status.value,
                    "step_no": state.step_no,
                    "received_at": received_at,
                    "station_code": station_code,
                    "sicantik_no": sicantik_no,
                    "oss_nib": oss_nib,
                    "permit_number": None,
                    "version": state.version,
                    "created_by": created_by,
                    "updated_at": received_at,
                },
            )
        except IntegrityError as exc:
            raise Conflict(
                _("Nomor berkas {number} sudah ada; penomoran stasiun ini perlu diperiksa.").format(
                    number=number
                )
            ) from exc
        if checklist:
            self._c.execute(
                _INSERT_CHECKLIST,
                [
                    {
                        "dossier_id": dossier_id,
                        "requirement_key": item.key,
                        "position": position,
                        "name": item.name,
                        "mandatory": item.mandatory,
                        "received": item.received,
                        "note": item.note,
                    }
                    for position, item in enumerate(checklist)
                ],
            )
        self._write_visits(dossier_id, (), state.visits)

    def update_checklist(self, dossier_id: str, received: Mapping[str, bool]) -> None:
        for key, value in received.items():
            self._c.execute(
                update(models.ChecklistItem)
                .where(
                    models.ChecklistItem.dossier_id == dossier_id,
                    models.ChecklistItem.requirement_key == key,
                )
                .values(received=value)
            )

    def save_state(
        self,
        dossier_id: str,
        before: DossierState,
        after: DossierState,
        now: datetime,
        **columns: Any,
    ) -> None:
        """Write a transition, refusing it if the dossier moved since ``before`` was read."""
        done = self._c.execute(
            update(models.Dossier)
            .where(models.Dossier.id == dossier_id, models.Dossier.version == before.version)
            .values(
                status=after.status.value,
                step_no=after.step_no,
                version=after.version,
                updated_at=now,
                **columns,
            )
        )
        if done.rowcount != 1:
            raise Conflict(_("Berkas telah diubah oleh pengguna lain; muat ulang lalu coba lagi."))
        self._write_visits(dossier_id, before.visits, after.visits)

    def _write_visits(
        self, dossier_id: str, old: Sequence[StepVisit], new: Sequence[StepVisit]
    ) -> None:
        """Visits only grow, and only the last one can change: write just the difference."""
        added: list[dict[str, Any]] = []
        for seq, visit in enumerate(new, start=1):
            if seq <= len(old) and old[seq - 1] == visit:
                continue
            values = {
                "step_no": visit.step_no,
                "started_at": visit.started_at,
                "finished_at": visit.finished_at,
                "user_id": visit.user_id,
                "role": visit.role,
                "outcome": visit.outcome.value if visit.outcome else None,
                "reason": visit.reason,
                "data": json.dumps(dict(visit.data), ensure_ascii=False),
            }
            if seq <= len(old):
                self._c.execute(
                    update(models.StepVisit)
                    .where(models.StepVisit.dossier_id == dossier_id, models.StepVisit.seq == seq)
                    .values(**values)
                )
            else:
                added.append({"id": new_id(), "dossier_id": dossier_id, "seq": seq, **values})
        if added:
            self._c.execute(_INSERT_VISIT, added)

    def insert_permit(self, dossier_id: str, permit: Permit, signer_id: str) -> None:
        self._c.execute(
            insert(models.Permit).values(
                id=new_id(),
                dossier_id=dossier_id,
                number=permit.number,
                issued_at=permit.issued_at,
                valid_until=permit.valid_until,
                signed_by=signer_id,
            )
        )

    def dossier_id(self, number: str) -> str | None:
        return self._c.execute(
            select(models.Dossier.id).where(models.Dossier.number == number)
        ).scalar()

    def dossier(self, number: str) -> DossierRecord:
        row = self._c.execute(select(models.Dossier).where(models.Dossier.number == number)).first()
        if row is None:
            raise NotFound(_("Berkas {number} tidak ditemukan.").format(number=number))
        applicant = self._c.execute(
            select(models.Applicant).where(models.Applicant.id == row.applicant_id)
        ).one()
        business = None
        if row.business_id:
            brow = self._c.execute(
                select(models.Business).where(models.Business.id == row.business_id)
            ).one()
            business = Business(brow.name, brow.kbli, brow.kbli_edition, _address(brow))
        checklist = tuple(
            ChecklistItem(c.requirement_key, c.name, c.mandatory, c.received, c.note)
            for c in self._c.execute(
                select(models.ChecklistItem)
                .where(models.ChecklistItem.dossier_id == row.id)
                .order_by(models.ChecklistItem.position)
            )
        )
        visits = tuple(
            StepVisit(
                step_no=v.step_no,
                started_at=v.started_at,
                finished_at=v.finished_at,
                user_id=v.user_id,
                role=v.role,
                outcome=Outcome(v.outcome) if v.outcome else None,
                reason=v.reason,
                data=tuple(json.loads(v.data).items()),
            )
            for v in self._c.execute(
                select(models.StepVisit)
                .where(models.StepVisit.dossier_id == row.id)
                .order_by(models.StepVisit.seq)
            )
        )
        prow = self._c.execute(
            select(models.Permit).where(models.Permit.dossier_id == row.id)
        ).first()
        permit = None
        if prow is not None:
            permit = Permit(prow.number, prow.issued_at, prow.valid_until, prow.signed_by)
        return DossierRecord(
            id=row.id,
            number=row.number,
            sop_number=row.sop_number,
            sop_version=row.sop_version,
            applicant=self._applicant(applicant),
            business=business,
            state=DossierState(Status(row.status), row.step_no, visits, row.version),
            checklist=checklist,
            received_at=row.received_at,
            station_code=row.station_code,
            created_by=row.created_by,
            sicantik_no=row.sicantik_no,
            oss_nib=row.oss_nib,
            permit=permit,
        )

    def list_dossiers(
        self,
        *,
        status: Status | None = None,
        sop_number: int | None = None,
        query: str = "",
        limit: int = 100,
        offset: int = 0,
    ) -> list[DossierSummary]:
        """Newest first; ``query`` matches a number, a NIK/NIB, or a name prefix."""
        d, a, b = models.Dossier, models.Applicant, models.Business
        statement = (
            select(
                d.number,
                d.sop_number,
                d.step_no,
                d.status,
                a.name,
                d.received_at,
                d.permit_number,
                a.nik,
                b.name,
            )
            .join(a, a.id == d.applicant_id)
            .outerjoin(b, b.id == d.business_id)
        )
        if status is not None:
            statement = statement.where(d.status == status.value)
        if sop_number is not None:
            statement = statement.where(d.sop_number == sop_number)
        text = query.strip()
        newest = (d.received_at.desc(), d.number.desc())
        if text:
            statement = statement.where(self._search_clause(text))
        if text and _is_name_query(text):
            # A name lists like a phone book, each name's dossiers newest first: the
            # name index then serves the order and the search stops after `limit`
            # rows, where "newest first" over a common prefix sorted every match.
            statement = statement.order_by(a.name_key, *newest)
        else:
            statement = statement.order_by(*newest)
        rows = self._c.execute(statement.limit(min(limit, MAX_LIST)).offset(offset))
        return [
            DossierSummary(
                number=r[0],
                sop_number=r[1],
                step_no=r[2],
                status=Status(r[3]),
                applicant=r[4],
                received_at=r[5],
                permit_number=r[6],
                nik=r[7],
                business=r[8] or "",
            )
            for r in rows
        ]

    @staticmethod
    def _search_clause(text: str) -> Any:
        d, a = models.Dossier, models.Applicant
        if text.isdigit():
            # A subquery rather than an OR across two tables, so that each branch
            # uses its index (NIK, NIB, dossier number) instead of scanning dossiers.
            by_applicant = select(a.id).where(or_(a.nik == text, a.nib == text))
            return or_(d.applicant_id.in_(by_applicant), d.number == text)
        if "/" in text:
            return d.number == text.upper()
        key = name_key(text)
        return _starts_with(a.name_key, key)

    def count_by_status(self) -> dict[str, int]:
        rows = self._c.execute(
            select(models.Dossier.status, func.count()).group_by(models.Dossier.status)
        )
        return {str(status): int(n) for status, n in rows}

    # --- audit and outbox ------------------------------------------------------------------

    def audit(
        self,
        *,
        at: datetime,
        user: UserRecord,
        action: str,
        entity: str,
        entity_id: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> audit_log.AuditRecord:
        return audit_log.append(
            self._c,
            entry_id=new_id(),
            at=at,
            user_id=user.id,
            username=user.username,
            role=user.role,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )

    def audit_trail(self, entity_id: str) -> list[audit_log.AuditRecord]:
        return list(audit_log.entries(self._c, entity_id))

    def verify_audit(self) -> audit_log.AuditReport:
        return audit_log.verify(self._c)

    def enqueue(
        self,
        *,
        command: str,
        entity: str,
        entity_id: str,
        base_version: int,
        payload: Mapping[str, Any],
        now: datetime,
    ) -> None:
        """Queue a domain command for the central server, in this same transaction."""
        self._c.execute(
            _INSERT_OUTBOX,
            {
                "op_id": new_id(),
                "client_seq": self.next_counter("outbox"),
                "tx_id": self.tx_id,
                "command": command,
                "entity": entity,
                "entity_id": entity_id,
                "base_version": base_version,
                "payload": audit_log.canonical_json(payload),
                "created_at": now.astimezone(UTC),
            },
        )

    def outbox(self) -> list[dict[str, Any]]:
        rows = self._c.execute(select(models.OutboxEntry).order_by(models.OutboxEntry.client_seq))
        return [
            {
                "op_id": r.op_id,
                "client_seq": r.client_seq,
                "tx_id": r.tx_id,
                "command": r.command,
                "entity_id": r.entity_id,
                "base_version": r.base_version,
                "payload": json.loads(r.payload),
            }
            for r in rows
        ]


class Storage:
    """Hands out stores: one per user action, writes serialised by the database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def writing(self) -> Iterator[Store]:
        with self.database.write() as connection:
            yield Store(connection, new_id())

    @contextmanager
    def reading(self) -> Iterator[Store]:
        with self.database.read() as connection:
            yield Store(connection, "")
