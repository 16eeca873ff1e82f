"""Bringing a database to this program's schema, and refusing one that is newer.

Alembic is imported only when a migration actually runs (it costs about half a
second at start-up); checking the version needs just the ``alembic_version``
table and the list of revisions this program knows.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from loket.domain.i18n import _
from loket.storage.database import Database, DatabaseNotInitialised, DatabaseTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Oldest first; the last is the head. A test checks this against Alembic's scripts.
KNOWN_REVISIONS = (
    "0001_initial",
    "0002_name_key_collation",
    "0003_back_office",
    "0004_step_days",
    "0005_search_indexes",
    "0006_permit_payload",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]


# Any constant will do: it only has to be the same in every Loket process.
_PG_MIGRATION_LOCK = 0x4C4F4B4554  # "LOKET"


def _read_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _refuse_too_new(revision: str | None) -> str | None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            _(
                "Basis data ini dibuat oleh versi Loket yang lebih baru (skema {revision}). "
                "Perbarui Loket di komputer ini; basis data tidak diubah."
            ).format(revision=revision)
        )
    return revision


def current_revision(db: Database) -> str | None:
    with db.read() as connection:
        return _read_revision(connection)


def check_version(db: Database) -> str | None:
    """The revision; raises DatabaseTooNew for a schema this program does not know."""
    return _refuse_too_new(current_revision(db))


def require_current(db: Database) -> None:
    """Refuse to work on a database that is missing, too old or too new."""
    path = db.sqlite_path
    if path is not None and not path.exists():
        # Asking SQLite would leave an empty file where the office's database was expected.
        raise DatabaseNotInitialised(
            _("Basis data {path} belum ada. Jalankan 'loket init' terlebih dahulu.").format(
                path=path
            )
        )
    revision = check_version(db)
    if revision is None:
        raise DatabaseNotInitialised(
            _("Basis data belum disiapkan. Jalankan 'loket init' terlebih dahulu.")
        )
    if revision != HEAD_REVISION:
        raise DatabaseNotInitialised(_("Skema basis data perlu diperbarui. Jalankan 'loket init'."))


def upgrade(db: Database) -> bool:
    """Migrate to head; True when anything changed."""
    revision = check_version(db)
    if revision == HEAD_REVISION:
        return False
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.write() as connection:
        # Two programs may start at once: the second waits here (SQLite's BEGIN
        # IMMEDIATE already did; PostgreSQL needs a lock), then looks again.
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        if _refuse_too_new(_read_revision(connection)) == HEAD_REVISION:
            return False
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True
