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
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
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
from loket.storage.rows import DriverRows, name_key

MAX_LIST = 10_000


# The hot paths' fixed-shape statements go through loket.storage.rows.DriverRows.
_APPLICANTS = models.Applicant.__tablename__
_BUSINESSES = models.Business.__tablename__
_DOSSIERS = models.Dossier.__tablename__
_CHECKLIST = models.ChecklistItem.__tablename__
_VISITS = models.StepVisit.__tablename__
_OUTBOX = models.OutboxEntry.__tablename__


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


class Store:
    """One transaction's worth of reads and writes."""

    def __init__(self, connection: Connection, tx_id: str) -> None:
        self._c = connection
        self._rows = DriverRows(connection)
        self.tx_id = tx_id

    def close(self) -> None:
        """Before the transaction ends: what the store opened on its connection."""
        self._rows.close()

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
        row = self._rows.one(self._rows.sql.setting, (key,))
        return None if row is None else json.loads(row[0])

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
        row = self._rows.one(self._rows.sql.increment, (name,))
        if row is None:
            raise StorageError(_("Penghitung {name} tidak dapat dinaikkan.").format(name=name))
        return int(row[0])

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
        address = applicant.address
        row = self._rows.codec.applicant_row(
            applicant_id,
            kind=applicant.kind.value,
            name=applicant.name,
            nik=applicant.nik,
            nib=applicant.nib,
            npwp=applicant.npwp,
            phone=applicant.phone,
            email=applicant.email,
            street=address.street,
            desa=address.desa,
            kecamatan=address.kecamatan,
            kabupaten=address.kabupaten,
            province=address.province,
            representative=applicant.representative,
        )
        self._rows.insert(_APPLICANTS, (*row, self._rows.codec.dt(now)))
        return applicant_id

    def add_business(self, applicant_id: str, business: Business) -> str:
        business_id = new_id()
        address = business.address
        row = self._rows.codec.business_row(
            business_id,
            applicant_id,
            name=business.name,
            kbli=business.kbli,
            kbli_edition=business.kbli_edition,
            street=address.street,
            desa=address.desa,
            kecamatan=address.kecamatan,
            kabupaten=address.kabupaten,
            province=address.province,
        )
        self._rows.insert(_BUSINESSES, row)
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
        rows = self._rows
        row = rows.codec.dossier_row(
            dossier_id,
            number=number,
            sop_number=sop_number,
            sop_version=sop_version,
            applicant_id=applicant_id,
            business_id=business_id,
            status=state.status.value,
            step_no=state.step_no,
            received_at=received_at,
            station_code=station_code,
            sicantik_no=sicantik_no,
            oss_nib=oss_nib,
            version=state.version,
            created_by=created_by,
            updated_at=received_at,
        )
        try:
            rows.insert(_DOSSIERS, (*row, None))  # no permit number yet
        except IntegrityError as exc:
            raise Conflict(
                _("Nomor berkas {number} sudah ada; penomoran stasiun ini perlu diperiksa.").format(
                    number=number
                )
            ) from exc
        rows.insert_many(_CHECKLIST, rows.codec.checklist_rows(dossier_id, checklist))
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
        kept = len(old)
        for seq, (was, visit) in enumerate(zip(old, new, strict=False), start=1):
            if was == visit:
                continue
            self._c.execute(
                update(models.StepVisit)
                .where(models.StepVisit.dossier_id == dossier_id, models.StepVisit.seq == seq)
                .values(
                    step_no=visit.step_no,
                    started_at=visit.started_at,
                    finished_at=visit.finished_at,
                    user_id=visit.user_id,
                    role=visit.role,
                    outcome=visit.outcome.value if visit.outcome else None,
                    reason=visit.reason,
                    data=json.dumps(dict(visit.data), ensure_ascii=False),
                )
            )
        added = new[kept:]
        if added:
            rows = self._rows
            ids = [new_id() for _ in added]
            rows.insert_many(
                _VISITS, rows.codec.visit_rows(dossier_id, added, ids, first_seq=kept + 1)
            )

    def insert_permit(self, dossier_id: str, permit: Permit, signer_id: str) -> None:
        self._c.execute(
            insert(models.Permit).values(
                id=new_id(),
                dossier_id=dossier_id,
                number=permit.number,
                issued_at=permit.issued_at,
                valid_until=permit.valid_until,
                signed_by=signer_id,
                payload=permit.payload or None,
            )
        )

    def seal_permit(self, dossier_id: str, payload: str) -> str:
        """Keep ``payload`` for a permit issued unsealed, unless one is kept already.

        Returns the payload kept: the first seal stands, whichever PC made it.
        """
        permit = models.Permit
        self._c.execute(
            update(permit)
            .where(permit.dossier_id == dossier_id, permit.payload.is_(None))
            .values(payload=payload)
        )
        return str(
            self._c.execute(
                select(permit.payload).where(permit.dossier_id == dossier_id)
            ).scalar_one()
        )

    def dossier_id(self, number: str) -> str | None:
        return self._c.execute(
            select(models.Dossier.id).where(models.Dossier.number == number)
        ).scalar()

    def dossier(self, number: str) -> DossierRecord:
        found = self.dossiers_by_number([number])
        if not found:
            raise NotFound(_("Berkas {number} tidak ditemukan.").format(number=number))
        return found[0]

    def dossiers_by_number(self, numbers: Sequence[str]) -> list[DossierRecord]:
        """Whole dossiers, in the order asked, those that exist; six queries for any number.

        The register reads 100,000 dossiers in chunks through this: one query per
        table and chunk, not six per dossier.
        """
        d = models.Dossier
        rows = list(self._c.execute(select(d).where(d.number.in_(numbers))))
        if not rows:
            return []
        ids = [row.id for row in rows]
        applicants = {
            a.id: self._applicant(a)
            for a in self._c.execute(
                select(models.Applicant).where(
                    models.Applicant.id.in_({row.applicant_id for row in rows})
                )
            )
        }
        businesses = {
            b.id: Business(b.name, b.kbli, b.kbli_edition, _address(b))
            for b in self._c.execute(
                select(models.Business).where(
                    models.Business.id.in_({row.business_id for row in rows if row.business_id})
                )
            )
        }
        checklists: dict[str, list[ChecklistItem]] = {i: [] for i in ids}
        for c in self._c.execute(
            select(models.ChecklistItem)
            .where(models.ChecklistItem.dossier_id.in_(ids))
            .order_by(models.ChecklistItem.dossier_id, models.ChecklistItem.position)
        ):
            checklists[c.dossier_id].append(
                ChecklistItem(c.requirement_key, c.name, c.mandatory, c.received, c.note)
            )
        visits: dict[str, list[StepVisit]] = {i: [] for i in ids}
        for v in self._c.execute(
            select(models.StepVisit)
            .where(models.StepVisit.dossier_id.in_(ids))
            .order_by(models.StepVisit.dossier_id, models.StepVisit.seq)
        ):
            visits[v.dossier_id].append(
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
            )
        permits = {
            p.dossier_id: Permit(p.number, p.issued_at, p.valid_until, p.signed_by, p.payload or "")
            for p in self._c.execute(select(models.Permit).where(models.Permit.dossier_id.in_(ids)))
        }
        by_number = {
            row.number: DossierRecord(
                id=row.id,
                number=row.number,
                sop_number=row.sop_number,
                sop_version=row.sop_version,
                applicant=applicants[row.applicant_id],
                business=businesses.get(row.business_id) if row.business_id else None,
                state=DossierState(
                    Status(row.status), row.step_no, tuple(visits[row.id]), row.version
                ),
                checklist=tuple(checklists[row.id]),
                received_at=row.received_at,
                station_code=row.station_code,
                created_by=row.created_by,
                sicantik_no=row.sicantik_no,
                oss_nib=row.oss_nib,
                permit=permits.get(row.id),
            )
            for row in rows
        }
        return [by_number[n] for n in dict.fromkeys(numbers) if n in by_number]

    def register_entries(
        self,
        *,
        start: datetime | None,
        end: datetime | None,
        sop_number: int | None,
        status: Status | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[RegisterEntry]:
        """The register's lines received in ``[start, end)``, oldest first, after ``after``.

        Keyset-paged on (received_at, number), which the received_at index serves, and
        only the columns a register line shows: 100,000 lines stream in pages.
        """
        d, a, b = models.Dossier, models.Applicant, models.Business
        statement = (
            select(
                d.id,
                d.number,
                d.received_at,
                a.name,
                b.name,
                d.sop_number,
                d.sop_version,
                d.status,
                d.step_no,
                d.permit_number,
            )
            .join(a, a.id == d.applicant_id)
            .outerjoin(b, b.id == d.business_id)
        )
        if start is not None:
            statement = statement.where(d.received_at >= start)
        if end is not None:
            statement = statement.where(d.received_at < end)
        if sop_number is not None:
            statement = statement.where(d.sop_number == sop_number)
        if status is not None:
            statement = statement.where(d.status == status.value)
        if after is not None:
            statement = statement.where(tuple_(d.received_at, d.number) > tuple_(*after))
        rows = list(self._c.execute(statement.order_by(d.received_at, d.number).limit(limit)))
        finished: dict[str, list[tuple[int, datetime]]] = {row[0]: [] for row in rows}
        if rows:
            v = models.StepVisit
            for dossier_id, step_no, at in self._c.execute(
                select(v.dossier_id, v.step_no, v.finished_at)
                .where(v.dossier_id.in_(list(finished)), v.finished_at.is_not(None))
                .order_by(v.dossier_id, v.seq)
            ):
                if at is not None:  # the query asked for finished visits only
                    finished[dossier_id].append((int(step_no), at))
        return [
            RegisterEntry(
                number=row[1],
                received_at=row[2],
                applicant=row[3],
                business=row[4] or "",
                sop_number=row[5],
                sop_version=row[6],
                status=Status(row[7]),
                step_no=row[8],
                permit_number=row[9] or "",
                finished=tuple(finished[row[0]]),
            )
            for row in rows
        ]

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
            self._rows,
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
        self._rows.insert(
            _OUTBOX,
            (
                new_id(),
                self.next_counter("outbox"),
                self.tx_id,
                command,
                entity,
                entity_id,
                base_version,
                audit_log.canonical_json(payload),
                self._rows.codec.dt(now),
            ),
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

    # --- back office: worklists and claims (migration 0003) ------------------------------

    def open_groups(self) -> list[tuple[int, int, int, int]]:
        """``(sop_number, sop_version, step_no, count)`` of the dossiers in progress.

        Read from the queue index alone (its leading columns), so it costs one
        index range however many dossiers are closed.
        """
        d = models.Dossier
        rows = self._c.execute(
            select(d.sop_number, d.sop_version, d.step_no, func.count())
            .where(d.status == Status.IN_PROGRESS.value)
            .group_by(d.sop_number, d.sop_version, d.step_no)
        )
        return [(int(a), int(b), int(c), int(n)) for a, b, c, n in rows]

    def count_in_step(
        self, group: tuple[int, int, int], *, before: datetime | None, since: datetime | None
    ) -> int:
        """Dossiers in progress at one (SOP, version, step) whose step began in a range."""
        d = models.Dossier
        statement = select(func.count()).where(*_group_clause(group))
        if before is not None:
            statement = statement.where(d.updated_at < before)
        if since is not None:
            statement = statement.where(d.updated_at >= since)
        return int(self._c.execute(statement).scalar_one())

    def queue_slice(
        self,
        group: tuple[int, int, int],
        *,
        after: tuple[datetime, str] | None,
        before: datetime | None,
        since: datetime | None,
        limit: int,
    ) -> list[QueueRow]:
        """The next ``limit`` dossiers of one step, in order of the step's start.

        A keyset page (``after`` is the last row already read), so page 1,000 costs
        what page 1 does.
        """
        d, a, b, c, u = (
            models.Dossier,
            models.Applicant,
            models.Business,
            models.Claim,
            models.User,
        )
        statement = (
            select(
                d.id,
                d.number,
                d.updated_at,
                d.received_at,
                a.name,
                b.name,
                c.user_id,
                u.full_name,
                c.step_no,
                d.version,
            )
            .join(a, a.id == d.applicant_id)
            .outerjoin(b, b.id == d.business_id)
            .outerjoin(c, c.dossier_id == d.id)
            .outerjoin(u, u.id == c.user_id)
            .where(*_group_clause(group))
            .order_by(d.updated_at, d.number)
            .limit(limit)
        )
        if after is not None:
            moment, number = after
            statement = statement.where(
                or_(d.updated_at > moment, and_(d.updated_at == moment, d.number > number))
            )
        if before is not None:
            statement = statement.where(d.updated_at < before)
        if since is not None:
            statement = statement.where(d.updated_at >= since)
        sop_number, sop_version, step_no = group
        return [
            QueueRow(
                dossier_id=r[0],
                number=r[1],
                sop_number=sop_number,
                sop_version=sop_version,
                step_no=step_no,
                step_started_at=r[2],
                received_at=r[3],
                applicant=r[4],
                business=r[5] or "",
                claimed_by=r[6] if r[8] == step_no else None,
                claimed_name=(r[7] or "") if r[8] == step_no else "",
                version=r[9],
            )
            for r in self._c.execute(statement)
        ]

    def dossier_head(self, number: str) -> DossierHead | None:
        """The few columns that decide who may work a dossier now."""
        d = models.Dossier
        row = self._c.execute(
            select(
                d.id, d.number, d.sop_number, d.sop_version, d.status, d.step_no, d.version
            ).where(d.number == number)
        ).first()
        if row is None:
            return None
        return DossierHead(row[0], row[1], row[2], row[3], Status(row[4]), row[5], row[6])

    def claim_of(self, dossier_id: str) -> ClaimRecord | None:
        c, u = models.Claim, models.User
        row = self._c.execute(
            select(c.user_id, u.username, u.full_name, c.role, c.step_no, c.claimed_at)
            .join(u, u.id == c.user_id)
            .where(c.dossier_id == dossier_id)
        ).first()
        return None if row is None else ClaimRecord(dossier_id, *row)

    def put_claim(
        self, dossier_id: str, *, user_id: str, role: str, step_no: int, now: datetime
    ) -> None:
        """Hold the dossier for ``user_id``, replacing a stale or released claim."""
        self.drop_claim(dossier_id)
        self._c.execute(
            insert(models.Claim).values(
                dossier_id=dossier_id, user_id=user_id, role=role, step_no=step_no, claimed_at=now
            )
        )

    def drop_claim(self, dossier_id: str) -> None:
        self._c.execute(delete(models.Claim).where(models.Claim.dossier_id == dossier_id))

    def claimed_numbers(self, user_id: str) -> list[str]:
        """Numbers of the dossiers ``user_id`` holds at the step they are at now."""
        c, d = models.Claim, models.Dossier
        rows = self._c.execute(
            select(d.number)
            .select_from(c)
            .join(d, d.id == c.dossier_id)
            .where(
                c.user_id == user_id,
                c.step_no == d.step_no,
                d.status == Status.IN_PROGRESS.value,
            )
            .order_by(c.claimed_at)
        )
        return [str(r[0]) for r in rows]

    # --- back office: measured steps -----------------------------------------------------

    def latest_scored(self) -> datetime | None:
        """When the last measured visit finished (the step results' high-water mark)."""
        return self._c.execute(select(func.max(models.StepResult.finished_at))).scalar()

    def unscored_visits(self, since: datetime | None, limit: int) -> list[VisitRow]:
        """Finished visits not measured yet, finished at or after ``since``."""
        v, d, r = models.StepVisit, models.Dossier, models.StepResult
        statement = (
            select(
                v.id,
                v.dossier_id,
                d.sop_number,
                d.sop_version,
                v.step_no,
                v.role,
                v.outcome,
                v.started_at,
                v.finished_at,
            )
            .join(d, d.id == v.dossier_id)
            .outerjoin(r, r.visit_id == v.id)
            .where(v.finished_at.is_not(None), r.visit_id.is_(None))
            .order_by(v.finished_at)
            .limit(limit)
        )
        if since is not None:
            statement = statement.where(v.finished_at >= since)
        return [VisitRow(*row) for row in self._c.execute(statement)]

    def add_step_results(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._c.execute(insert(models.table_of(models.StepResult)), list(rows))

    def add_step_days(self, days: Sequence[StepStats], on: Sequence[date]) -> None:
        """Add measured steps to their days' sums (``days[i]`` fell on ``on[i]``)."""
        table = models.table_of(models.StepDay)
        builder = pg_insert if self._c.dialect.name == "postgresql" else sqlite_insert
        statement = builder(table)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.day, table.c.sop_number, table.c.step_no],
            set_={
                "finished": table.c.finished + statement.excluded.finished,
                "within": table.c.within + statement.excluded.within,
                "total_minutes": table.c.total_minutes + statement.excluded.total_minutes,
                "longest_minutes": case(
                    (
                        statement.excluded.longest_minutes > table.c.longest_minutes,
                        statement.excluded.longest_minutes,
                    ),
                    else_=table.c.longest_minutes,
                ),
            },
        )
        rows = [
            {
                "day": day,
                "sop_number": stats.sop_number,
                "step_no": stats.step_no,
                "finished": stats.finished,
                "within": stats.within,
                "total_minutes": stats.total_minutes,
                "longest_minutes": stats.longest_minutes,
            }
            for stats, day in zip(days, on, strict=True)
        ]
        if rows:
            self._c.execute(statement, rows)

    def step_days_missing(self) -> bool:
        """Measured steps exist but their daily sums do not (a database from before 0004)."""
        has_days = self._c.execute(select(models.StepDay.day).limit(1)).first() is not None
        has_results = (
            self._c.execute(select(models.StepResult.visit_id).limit(1)).first() is not None
        )
        return has_results and not has_days

    def rebuild_step_days(self, offset_minutes: int) -> None:
        """Sum every measured step into its office-local day, from scratch."""
        r = models.StepResult
        day = self._local_day(r.finished_at, offset_minutes)
        self._c.execute(delete(models.StepDay))
        self._c.execute(
            insert(models.table_of(models.StepDay)).from_select(
                [
                    "day",
                    "sop_number",
                    "step_no",
                    "finished",
                    "within",
                    "total_minutes",
                    "longest_minutes",
                ],
                select(
                    day,
                    r.sop_number,
                    r.step_no,
                    func.count(),
                    func.sum(case((r.within, 1), else_=0)),
                    func.sum(r.minutes),
                    func.max(r.minutes),
                ).group_by(day, r.sop_number, r.step_no),
            )
        )

    def step_stats(self, first: date | None, stop: date | None) -> list[StepStats]:
        """Per SOP and step: steps finished on local days ``first <= day < stop``."""
        d = models.StepDay
        statement = select(
            d.sop_number,
            d.step_no,
            func.sum(d.finished),
            func.sum(d.within),
            func.sum(d.total_minutes),
            func.max(d.longest_minutes),
        ).group_by(d.sop_number, d.step_no)
        if first is not None:
            statement = statement.where(d.day >= first)
        if stop is not None:
            statement = statement.where(d.day < stop)
        return [
            StepStats(int(s), int(n), int(c), int(w or 0), int(t or 0), int(m or 0))
            for s, n, c, w, t, m in self._c.execute(statement)
        ]

    def dossier_stops(self, dossier_ids: Sequence[str]) -> dict[str, datetime]:
        """When each dossier's own clock stopped: its signing, rejection or cancellation."""
        v = models.StepVisit
        rows = self._c.execute(
            select(v.dossier_id, func.max(v.finished_at))
            .where(v.dossier_id.in_(list(dossier_ids)), v.outcome == "signed")
            .group_by(v.dossier_id)
        )
        return {str(i): t for i, t in rows if t is not None}

    # --- back office: counts for reports and the dashboard -----------------------------

    def received_by_sop(self, start: datetime, end: datetime) -> dict[int, int]:
        d = models.Dossier
        rows = self._c.execute(
            select(d.sop_number, func.count())
            .where(d.received_at >= start, d.received_at < end)
            .group_by(d.sop_number)
        )
        return {int(s): int(n) for s, n in rows}

    def issued_by_sop(self, start: datetime, end: datetime) -> dict[int, int]:
        p, d = models.Permit, models.Dossier
        rows = self._c.execute(
            select(d.sop_number, func.count())
            .select_from(p)
            .join(d, d.id == p.dossier_id)
            .where(p.issued_at >= start, p.issued_at < end)
            .group_by(d.sop_number)
        )
        return {int(s): int(n) for s, n in rows}

    def issued_durations(
        self, start: datetime, end: datetime
    ) -> list[tuple[int, int, datetime, datetime]]:
        """``(sop_number, sop_version, received_at, issued_at)`` of permits issued in range."""
        p, d = models.Permit, models.Dossier
        rows = self._c.execute(
            select(d.sop_number, d.sop_version, d.received_at, p.issued_at)
            .select_from(p)
            .join(d, d.id == p.dossier_id)
            .where(p.issued_at >= start, p.issued_at < end)
        )
        return [(int(s), int(v), r, i) for s, v, r, i in rows]

    def outcomes_by_sop(self, start: datetime, end: datetime) -> dict[tuple[int, str], int]:
        """Dossiers per SOP and visit outcome (returned, sent back, rejected...) in range."""
        v, d = models.StepVisit, models.Dossier
        rows = self._c.execute(
            select(d.sop_number, v.outcome, func.count(func.distinct(v.dossier_id)))
            .select_from(v)
            .join(d, d.id == v.dossier_id)
            .where(v.finished_at >= start, v.finished_at < end, v.outcome.is_not(None))
            .group_by(d.sop_number, v.outcome)
        )
        return {(int(s), str(o)): int(n) for s, o, n in rows}

    def in_process_by_sop(self, moment: datetime) -> dict[int, int]:
        """Dossiers received before ``moment`` that were not yet closed at ``moment``.

        Closed means signed, rejected or cancelled by then; a dossier cancelled while
        returned has no closing visit and counts as closed when last changed.
        """
        d, v = models.Dossier, models.StepVisit
        closed = (
            select(v.id)
            .where(
                v.dossier_id == d.id,
                v.outcome.in_(("signed", "rejected", "cancelled")),
                v.finished_at < moment,
            )
            .exists()
        )
        cancelled = and_(d.status == Status.CANCELLED.value, d.updated_at < moment)
        rows = self._c.execute(
            select(d.sop_number, func.count())
            .where(d.received_at < moment, ~closed, ~cancelled)
            .group_by(d.sop_number)
        )
        return {int(s): int(n) for s, n in rows}

    def per_day(
        self, what: str, start: datetime, end: datetime, offset_minutes: int
    ) -> dict[date, int]:
        """Dossiers received (``what="received"``) or permits issued per local day."""
        column = models.Dossier.received_at if what == "received" else models.Permit.issued_at
        day = self._local_day(column, offset_minutes)
        rows = self._c.execute(
            select(day, func.count()).where(column >= start, column < end).group_by(day)
        )
        return {_as_date(k): int(n) for k, n in rows}

    def _local_day(self, column: Any, offset_minutes: int) -> Any:
        if self._c.dialect.name == "postgresql":
            return func.date(column + func.make_interval(0, 0, 0, 0, 0, offset_minutes))
        return func.date(column, f"{offset_minutes:+d} minutes")

    def status_counts_by_sop(self) -> dict[tuple[int, str], int]:
        d = models.Dossier
        rows = self._c.execute(
            select(d.sop_number, d.status, func.count()).group_by(d.sop_number, d.status)
        )
        return {(int(s), str(t)): int(n) for s, t, n in rows}

    def permits_valid_until(self, first: date, last: date) -> list[PermitRow]:
        """Permits whose validity ends in ``[first, last]``, soonest first."""
        return self._permit_rows(
            and_(models.Permit.valid_until >= first, models.Permit.valid_until <= last),
            models.Permit.valid_until,
        )

    def permits_issued(
        self, start: datetime, end: datetime, sop_numbers: Sequence[int]
    ) -> list[PermitRow]:
        p, d = models.Permit, models.Dossier
        return self._permit_rows(
            and_(p.issued_at >= start, p.issued_at < end, d.sop_number.in_(list(sop_numbers))),
            p.issued_at,
        )

    def _permit_rows(self, where: Any, order: Any) -> list[PermitRow]:
        p, d, a, b = models.Permit, models.Dossier, models.Applicant, models.Business
        rows = self._c.execute(
            select(
                p.number,
                d.number,
                d.sop_number,
                a.name,
                b.name,
                p.issued_at,
                p.valid_until,
                a.phone,
            )
            .select_from(p)
            .join(d, d.id == p.dossier_id)
            .join(a, a.id == d.applicant_id)
            .outerjoin(b, b.id == d.business_id)
            .where(where, d.status.in_((Status.ISSUED.value, Status.HANDED_OVER.value)))
            .order_by(order)
            .limit(MAX_LIST)
        )
        return [PermitRow(r[0], r[1], int(r[2]), r[3], r[4] or "", r[5], r[6], r[7]) for r in rows]

    # --- back office: clock notices -------------------------------------------------------

    def add_notice(self, notice: Mapping[str, Any]) -> bool:
        """Record a lapse notice; False when this visit was already noticed."""
        n = models.ClockNotice
        exists = self._c.execute(
            select(n.id).where(
                n.dossier_id == notice["dossier_id"],
                n.step_no == notice["step_no"],
                n.visit_started_at == notice["visit_started_at"],
            )
        ).first()
        if exists is not None:
            return False
        self._c.execute(insert(models.table_of(n)), [dict(notice)])
        return True

    def notices_for(self, role: str, *, open_only: bool = True) -> list[NoticeRow]:
        n, d = models.ClockNotice, models.Dossier
        statement = (
            select(
                n.id,
                d.number,
                n.step_no,
                n.role,
                n.notified_role,
                n.kind,
                n.due_at,
                n.created_at,
                n.acknowledged_at,
            )
            .select_from(n)
            .join(d, d.id == n.dossier_id)
            .where(n.notified_role == role)
            .order_by(n.due_at)
            .limit(MAX_LIST)
        )
        if open_only:
            statement = statement.where(n.acknowledged_at.is_(None))
        return [NoticeRow(*row) for row in self._c.execute(statement)]

    def acknowledge_notice(self, notice_id: str, role: str, now: datetime) -> bool:
        n = models.ClockNotice
        done = self._c.execute(
            update(n)
            .where(n.id == notice_id, n.notified_role == role, n.acknowledged_at.is_(None))
            .values(acknowledged_at=now)
        )
        return bool(done.rowcount == 1)

    # --- back office: attachments, inspections, handovers, surveys ------------------------

    def add_attachment(self, row: Mapping[str, Any]) -> None:
        self._c.execute(insert(models.table_of(models.Attachment)), [dict(row)])

    def attachments(self, dossier_id: str) -> list[AttachmentRow]:
        t = models.Attachment
        rows = self._c.execute(
            select(t.id, t.sha256, t.kind, t.filename, t.media_type, t.size, t.added_by, t.added_at)
            .where(t.dossier_id == dossier_id)
            .order_by(t.added_at, t.id)
        )
        return [AttachmentRow(*r) for r in rows]

    def put_inspection(self, row: Mapping[str, Any]) -> None:
        t = models.table_of(models.Inspection)
        exists = self._c.execute(select(t.c.id).where(t.c.id == row["id"])).first()
        if exists is None:
            self._c.execute(insert(t), [dict(row)])
        else:
            self._c.execute(update(t).where(t.c.id == row["id"]).values(**row))

    def inspections(self, dossier_id: str) -> list[dict[str, Any]]:
        t = models.table_of(models.Inspection)
        rows = self._c.execute(
            select(t).where(t.c.dossier_id == dossier_id).order_by(t.c.scheduled_on, t.c.id)
        )
        return [dict(r._mapping) for r in rows]

    def add_handover(self, row: Mapping[str, Any]) -> None:
        self._c.execute(insert(models.table_of(models.Handover)), [dict(row)])

    def handover(self, dossier_id: str) -> dict[str, Any] | None:
        t = models.table_of(models.Handover)
        row = self._c.execute(select(t).where(t.c.dossier_id == dossier_id)).first()
        return None if row is None else dict(row._mapping)

    def add_survey(self, row: Mapping[str, Any]) -> bool:
        """Store one survey response; False when the dossier was already answered for."""
        t = models.table_of(models.SurveyResponse)
        if self._c.execute(
            select(t.c.dossier_id).where(t.c.dossier_id == row["dossier_id"])
        ).first():
            return False
        self._c.execute(insert(t), [dict(row)])
        return True

    def survey_sums(self, start: datetime, end: datetime) -> dict[int, tuple[int, tuple[int, ...]]]:
        """Per SOP: how many answered in range and the sum of each of the nine elements."""
        t = models.table_of(models.SurveyResponse)
        elements = [func.sum(t.c[f"u{i}"]) for i in range(1, 10)]
        rows = self._c.execute(
            select(t.c.sop_number, func.count(), *elements)
            .where(t.c.answered_at >= start, t.c.answered_at < end)
            .group_by(t.c.sop_number)
        )
        return {int(r[0]): (int(r[1]), tuple(int(x or 0) for x in r[2:])) for r in rows}


# --- records of the back office's reads (plain rows, no ORM objects) ----------------------


def _group_clause(group: tuple[int, int, int]) -> tuple[Any, ...]:
    d = models.Dossier
    sop_number, sop_version, step_no = group
    return (
        d.status == Status.IN_PROGRESS.value,
        d.sop_number == sop_number,
        d.sop_version == sop_version,
        d.step_no == step_no,
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True, slots=True)
class QueueRow:
    dossier_id: str
    number: str
    sop_number: int
    sop_version: int
    step_no: int
    step_started_at: datetime
    received_at: datetime
    applicant: str
    business: str
    claimed_by: str | None
    claimed_name: str
    version: int


@dataclass(frozen=True, slots=True)
class DossierHead:
    id: str
    number: str
    sop_number: int
    sop_version: int
    status: Status
    step_no: int
    version: int


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    dossier_id: str
    user_id: str
    username: str
    full_name: str
    role: str
    step_no: int
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class VisitRow:
    id: str
    dossier_id: str
    sop_number: int
    sop_version: int
    step_no: int
    role: str | None
    outcome: str | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One line of the register as stored; ``finished`` is (step, when) per finished visit."""

    number: str
    received_at: datetime
    applicant: str
    business: str
    sop_number: int
    sop_version: int
    status: Status
    step_no: int
    permit_number: str
    finished: tuple[tuple[int, datetime], ...]


@dataclass(frozen=True, slots=True)
class StepStats:
    sop_number: int
    step_no: int
    finished: int
    within: int
    total_minutes: int
    longest_minutes: int


@dataclass(frozen=True, slots=True)
class PermitRow:
    number: str
    dossier_number: str
    sop_number: int
    holder: str
    business: str
    issued_at: datetime
    valid_until: date | None
    phone: str


@dataclass(frozen=True, slots=True)
class NoticeRow:
    id: str
    dossier_number: str
    step_no: int
    role: str
    notified_role: str
    kind: str
    due_at: datetime
    created_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    id: str
    sha256: str
    kind: str
    filename: str
    media_type: str
    size: int
    added_by: str
    added_at: datetime


class Storage:
    """Hands out stores: one per user action, writes serialised by the database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def writing(self) -> Iterator[Store]:
        with self.database.write() as connection:
            store = Store(connection, new_id())
            try:
                yield store
            finally:
                store.close()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        with self.database.read() as connection:
            store = Store(connection, "")
            try:
                yield store
            finally:
                store.close()
