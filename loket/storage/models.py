"""The database schema, as SQLAlchemy 2 declarative models.

Alembic migrations (``loket/storage/migrations``) build exactly this schema; a
test upgrades an empty database and compares. Keys are UUIDv7 strings made on
the client (never auto-increment across machines), except the audit log's
local sequence, which orders one database's own chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(36)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC everywhere.

    SQLite has no time zones; storing UTC keeps ordering and comparisons right on
    both engines, and refusing naive values stops a local time slipping in.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(entity: type[Base]) -> Table:
    """The Core table of a model, for statements built once and run many times."""
    table = entity.__table__
    assert isinstance(table, Table)
    return table


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    nip: Mapped[str] = mapped_column(String(32), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Applicant(Base):
    __tablename__ = "applicants"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    # Byte-wise order, so a prefix range is exactly "starts with" (migration 0002).
    name_key: Mapped[str] = mapped_column(
        String(300).with_variant(String(300, collation="C"), "postgresql")
    )
    nik: Mapped[str] = mapped_column(String(16), index=True, default="")
    nib: Mapped[str] = mapped_column(String(13), index=True, default="")
    npwp: Mapped[str] = mapped_column(String(16), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    desa: Mapped[str] = mapped_column(String(100), default="")
    kecamatan: Mapped[str] = mapped_column(String(100), default="")
    kabupaten: Mapped[str] = mapped_column(String(100), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    representative: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Business(Base):
    __tablename__ = "businesses"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicants.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kbli: Mapped[str] = mapped_column(String(10), default="")
    kbli_edition: Mapped[str] = mapped_column(String(10), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    desa: Mapped[str] = mapped_column(String(100), default="")
    kecamatan: Mapped[str] = mapped_column(String(100), default="")
    kabupaten: Mapped[str] = mapped_column(String(100), default="")
    province: Mapped[str] = mapped_column(String(100), default="")


class SopSnapshot(Base):
    """The SOP document a dossier was filed under, kept as the office wrote it."""

    __tablename__ = "sop_snapshots"
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_status_step", "status", "step_no"),
        Index("ix_dossiers_sop", "sop_number", "sop_version"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    sop_number: Mapped[int] = mapped_column(Integer)
    sop_version: Mapped[int] = mapped_column(Integer)
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicants.id"))
    business_id: Mapped[str | None] = mapped_column(ForeignKey("businesses.id"))
    status: Mapped[str] = mapped_column(String(16))
    step_no: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    station_code: Mapped[str] = mapped_column(String(16))
    sicantik_no: Mapped[str] = mapped_column(String(64), default="")
    oss_nib: Mapped[str] = mapped_column(String(13), default="")
    permit_number: Mapped[str | None] = mapped_column(String(80), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChecklistItem(Base):
    __tablename__ = "dossier_checklist"
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    requirement_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    mandatory: Mapped[bool] = mapped_column(Boolean)
    received: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(500), default="")


class StepVisit(Base):
    __tablename__ = "step_visits"
    __table_args__ = (UniqueConstraint("dossier_id", "seq"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"))
    seq: Mapped[int] = mapped_column(Integer)
    step_no: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text, default="{}")


class Permit(Base):
    __tablename__ = "permits"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[date | None] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[str | None] = mapped_column(Text)  # migration 0006


class Counter(Base):
    """Named sequences (dossier numbers per station, permit numbers per year)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """Append-only, hash-chained: each entry's hash covers the previous one's."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[str] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last link, so a truncated tail is noticed too."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEntry(Base):
    """A domain command waiting to be pushed to the central server."""

    __tablename__ = "outbox"
    op_id: Mapped[str] = mapped_column(ID, primary_key=True)
    client_seq: Mapped[int] = mapped_column(Integer, unique=True)
    tx_id: Mapped[str] = mapped_column(ID, index=True)
    command: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(ID)
    base_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncState(Base):
    """This database's identity: a copied database must not pass for a live station."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    device_id: Mapped[str] = mapped_column(ID)
    instance_id: Mapped[str] = mapped_column(ID)
    station_code: Mapped[str] = mapped_column(String(16))
    server_cursor: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Conflict(Base):
    """A write the server refused: kept visible with both versions, never dropped."""

    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    op_id: Mapped[str] = mapped_column(ID, index=True)
    reason: Mapped[str] = mapped_column(Text)
    local: Mapped[str] = mapped_column(Text)
    server: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DayOff(Base):
    """An office-configured day off (beyond national holidays and cuti bersama)."""

    __tablename__ = "days_off"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


# --- back office (migration 0003) ---------------------------------------------------------
#
# Indexes added to existing tables, named so the migration and the models agree:
# the worklist walks each (SOP, version, step) group of open dossiers in order of
# the time its current step began (``updated_at``: the last transition), so a page
# is a few index range reads however long the queue; the reports read permits and
# finished visits by date.
Index(
    "ix_dossiers_queue",
    Dossier.status,
    Dossier.sop_number,
    Dossier.sop_version,
    Dossier.step_no,
    Dossier.updated_at,
)
# A search list row's dossier and applicant columns come from these indexes alone,
# never from the tables (migration 0005): a name prefix walks applicants in name
# order, then each applicant's dossiers. Only the business name is read from its
# table (SQLite always takes the unique key for `id = ?`, so a covering index there
# would not be used).
Index("ix_applicants_name_key", Applicant.name_key, Applicant.id, Applicant.name, Applicant.nik)
Index(
    "ix_dossiers_applicant_id",
    Dossier.applicant_id,
    Dossier.received_at,
    Dossier.number,
    Dossier.sop_number,
    Dossier.step_no,
    Dossier.status,
    Dossier.permit_number,
    Dossier.business_id,
)
Index("ix_permits_issued_at", Permit.issued_at)
Index("ix_permits_valid_until", Permit.valid_until)
Index("ix_step_visits_finished_at", StepVisit.finished_at)


class Claim(Base):
    """Who works a dossier's current step now: one holder per dossier, so two Kasi never
    work the same one. A claim made at another step than the dossier's is stale."""

    __tablename__ = "claims"
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    step_no: Mapped[int] = mapped_column(Integer)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StepResult(Base):
    """A finished step visit measured against its standard, in office minutes.

    Derived from ``step_visits`` (and rebuilt from them at will): kept so that the
    SLA, the monthly report and the dashboard aggregate in SQL instead of running
    the working-day calendar over millions of visits on every call.
    """

    __tablename__ = "step_results"
    __table_args__ = (
        Index(
            "ix_step_results_finished",
            "finished_at",
            "sop_number",
            "step_no",
            "outcome",
            "minutes",
            "within",
        ),
    )
    visit_id: Mapped[str] = mapped_column(ForeignKey("step_visits.id"), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    sop_number: Mapped[int] = mapped_column(Integer)
    sop_version: Mapped[int] = mapped_column(Integer)
    step_no: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(32), default="")
    outcome: Mapped[str] = mapped_column(String(16))
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    standard_minutes: Mapped[int] = mapped_column(Integer)
    within: Mapped[bool] = mapped_column(Boolean)


class StepDay(Base):
    """Measured steps summed per office-local day, SOP and step.

    Derived from ``step_results`` (rebuilt from them at will): a 30-day dashboard
    over a million dossiers sums a few hundred of these rows instead of grouping
    some 750,000 measured visits on every look.
    """

    __tablename__ = "step_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sop_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    finished: Mapped[int] = mapped_column(Integer)
    within: Mapped[int] = mapped_column(Integer)
    total_minutes: Mapped[int] = mapped_column(Integer)
    longest_minutes: Mapped[int] = mapped_column(Integer)


class ClockNotice(Base):
    """A lapsed step deadline, told to the role the office's policy names (once per visit)."""

    __tablename__ = "clock_notices"
    __table_args__ = (UniqueConstraint("dossier_id", "step_no", "visit_started_at"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"))
    step_no: Mapped[int] = mapped_column(Integer)
    visit_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    role: Mapped[str] = mapped_column(String(32))
    notified_role: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Attachment(Base):
    """A scan attached to a dossier; the file lives once, named by its SHA-256."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("dossier_id", "sha256"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Inspection(Base):
    """The Tim Teknis's field inspection and its report (Berita Acara Pemeriksaan)."""

    __tablename__ = "inspections"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    scheduled_on: Mapped[date] = mapped_column(Date)
    inspected_on: Mapped[date | None] = mapped_column(Date)
    team: Mapped[str] = mapped_column(Text, default="[]")
    findings: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[str] = mapped_column(Text, default="[]")
    recorded_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Handover(Base):
    """Who received the permit at the counter (*penyerahan*)."""

    __tablename__ = "handovers"
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    receiver_name: Mapped[str] = mapped_column(String(200))
    receiver_id_number: Mapped[str] = mapped_column(String(32))
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))


class SurveyResponse(Base):
    """One applicant's answers to the nine elements of Permenpan RB 14/2017, 1-4 each."""

    __tablename__ = "survey_responses"
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), primary_key=True)
    sop_number: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    u1: Mapped[int] = mapped_column(Integer)
    u2: Mapped[int] = mapped_column(Integer)
    u3: Mapped[int] = mapped_column(Integer)
    u4: Mapped[int] = mapped_column(Integer)
    u5: Mapped[int] = mapped_column(Integer)
    u6: Mapped[int] = mapped_column(Integer)
    u7: Mapped[int] = mapped_column(Integer)
    u8: Mapped[int] = mapped_column(Integer)
    u9: Mapped[int] = mapped_column(Integer)
    suggestion: Mapped[str] = mapped_column(Text, default="")
