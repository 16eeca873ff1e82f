"""The driver-level rows: complete for their tables, inside transactions, errors as SQLAlchemy's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from loket.storage import models
from loket.storage.database import Database
from loket.storage.rows import COLUMNS, DriverRows, RowCodec


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_each_insert_names_every_column_the_database_needs(table: str) -> None:
    """A column added to a model later must be added to COLUMNS, or left to the database."""
    model = models.Base.metadata.tables[table]
    assert set(COLUMNS[table]) <= set(model.columns.keys())
    for column in model.columns:
        if column.name not in COLUMNS[table]:
            assert column.nullable or column.server_default is not None, column.name


def test_rows_are_written_only_inside_a_transaction(database: Database) -> None:
    """SQLite would commit a statement outside one by itself, out of reach of a rollback."""
    with database.engine.connect() as connection:
        rows = DriverRows(connection)
        with pytest.raises(RuntimeError, match="transaction"):
            rows.run(rows.sql.increment, ("outside",))
        with connection.begin() as transaction:
            assert rows.one(rows.sql.increment, ("inside",)) == (1,)
            rows.close()
            transaction.rollback()
    with database.read() as connection:
        rows = DriverRows(connection)
        assert rows.one(rows.sql.counter, ("inside",)) is None
        rows.close()


def test_a_driver_error_is_raised_as_sqlalchemys_own(database: Database) -> None:
    """So Store's ``except IntegrityError`` and Database's translation work as before."""
    with database.write() as connection:
        rows = DriverRows(connection)
        rows.run(rows.sql.new_audit_head, (0, "0" * 64))
        row = (1, "a", rows.codec.dt(datetime.now(UTC)), "u", "u", "r", "x", "e", "1", "{}", "{}")
        rows.insert(models.AuditEntry.__tablename__, (*row, "p", "h"))
        with pytest.raises(IntegrityError):
            rows.insert(models.AuditEntry.__tablename__, (*row, "p", "h"))  # the same seq
        rows.close()


def test_a_users_action_does_not_remember_its_instants() -> None:
    """A desktop runs for days: the codec of the normal path holds no memory of them."""
    moment = datetime(2026, 11, 20, 3, 4, 5, 6, tzinfo=UTC)
    for remember, kept in ((True, 1), (False, 0)):
        codec = RowCodec("sqlite", remember=remember)
        assert codec.dt(moment) == "2026-11-20 03:04:05.000006"
        assert len(codec._instants) == kept
