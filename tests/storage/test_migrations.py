"""Alembic migrations build exactly the models' schema, and migrate.py knows them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from loket.storage import migrate
from loket.storage.database import Database
from loket.storage.models import Base
from tests.storage.support import sqlite_url


def schema_diffs(db: Database) -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_empty_database_upgraded_to_head_equals_the_models(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "loket.sqlite3"))
    try:
        assert migrate.current_revision(db) is None
        assert migrate.upgrade(db) is True
        assert migrate.current_revision(db) == migrate.HEAD_REVISION
        assert schema_diffs(db) == []
        with db.read() as connection:
            tables = set(inspect(connection).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        db.dispose()


def test_known_revisions_are_alembics_scripts_in_order() -> None:
    scripts = script_directory()
    # walk_revisions goes from the head down to the base.
    ordered = tuple(reversed([s.revision for s in scripts.walk_revisions()]))
    assert ordered == migrate.KNOWN_REVISIONS
    assert scripts.get_heads() == [migrate.HEAD_REVISION]
    assert migrate.KNOWN_REVISIONS[-1] == migrate.HEAD_REVISION


def test_upgrade_is_idempotent(database: Database) -> None:
    with database.read() as connection:
        before = connection.execute(text("SELECT sql FROM sqlite_master ORDER BY name")).all()
    assert migrate.upgrade(database) is False
    assert migrate.upgrade(database) is False
    with database.read() as connection:
        after = connection.execute(text("SELECT sql FROM sqlite_master ORDER BY name")).all()
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert after == before
    assert versions == [(migrate.HEAD_REVISION,)]
    migrate.require_current(database)  # does not raise


def test_two_programs_upgrading_at_once_both_succeed(db_path: Path) -> None:
    """The second waits for the first (BEGIN IMMEDIATE), then finds nothing to do."""
    import threading

    first, second = Database(sqlite_url(db_path)), Database(sqlite_url(db_path))
    results: list[bool] = []
    errors: list[BaseException] = []

    def run(db: Database) -> None:
        try:
            results.append(migrate.upgrade(db))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in (first, second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(results) == [False, True]
        assert schema_diffs(first) == []
    finally:
        first.dispose()
        second.dispose()


def test_downgrade_to_base_and_back(database: Database) -> None:
    """Every migration's downgrade runs, and the upgrade after it rebuilds the same schema."""
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    with database.write() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with database.read() as connection:
        assert set(inspect(connection).get_table_names()) == {"alembic_version"}
    assert migrate.current_revision(database) is None
    assert migrate.upgrade(database) is True
    assert schema_diffs(database) == []
