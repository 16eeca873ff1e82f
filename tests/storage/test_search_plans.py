"""Searches by name prefix, NIK and number find the right rows through their indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import event

from loket.domain.dossier import Applicant, DossierState, Status
from loket.domain.sop import ApplicantKind
from loket.storage.database import Database
from loket.storage.store import Storage, Store, UserRecord, name_key
from tests.storage.support import T0

T = TypeVar("T")
NAMES = ("Budi Santoso", "Budiman", "Bude Sri", "Siti Aminah", "Agus", "Dewi Lestari")
PER_NAME = 40


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Some hundreds of applicants and dossiers (module-scoped: only read)."""
    from loket.storage import migrate

    path = tmp_path_factory.mktemp("search") / "loket.sqlite3"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    clerk = UserRecord("fo", "fo", "Petugas", "front_office", "", "", True)
    with Storage(database).writing() as store:
        store.add_user(clerk, T0)
        for i in range(PER_NAME * len(NAMES)):
            name = f"{NAMES[i % len(NAMES)]} {i}"
            nik = f"61080112{i:08d}"
            applicant_id = store.add_applicant(
                Applicant(ApplicantKind.INDIVIDUAL, name, nik=nik), T0 + timedelta(minutes=i)
            )
            store.insert_dossier(
                dossier_id=f"d{i}",
                number=f"SOP68/2025/FO1/{i + 1:06d}",
                sop_number=68,
                sop_version=1,
                applicant_id=applicant_id,
                business_id=None,
                state=DossierState(Status.IN_PROGRESS, 1, (), 1),
                checklist=(),
                received_at=T0 + timedelta(minutes=i),
                station_code="FO1",
                created_by=clerk.id,
                sicantik_no="",
                oss_nib="",
            )
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def plan(database: Database, search: Callable[[Store], T]) -> tuple[T, str]:
    """The result of ``search`` and SQLite's plan for the statement it ran."""
    with database.read() as connection:
        with statements(database) as seen:
            result = search(Store(connection, ""))
        (statement, parameters), *_ = [(s, p) for s, p in seen if s.lstrip().startswith("SELECT")]
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return result, "\n".join(str(row[-1]) for row in rows)


def test_find_applicants_by_name_prefix_uses_the_name_index(searchable: Database) -> None:
    found, how = plan(searchable, lambda s: s.find_applicants("  BUDI   san", limit=500))
    assert "USING INDEX ix_applicants_name_key (name_key>? AND name_key<?)" in how, how
    assert "SCAN applicants" not in how, how
    names = {applicant.name for _, applicant in found}
    assert len(names) == PER_NAME
    assert all(name.startswith("Budi Santoso ") for name in names)


def test_a_prefix_is_a_prefix_not_a_substring(searchable: Database) -> None:
    with searchable.read() as connection:
        store = Store(connection, "")
        budi = {a.name.split()[0] for _, a in store.find_applicants("budi", limit=500)}
        bud = {a.name.split()[0] for _, a in store.find_applicants("bud", limit=500)}
        assert store.find_applicants("santoso") == []
    assert budi == {"Budi", "Budiman"}
    assert bud == {"Budi", "Budiman", "Bude"}


def test_find_applicants_by_nik_uses_the_nik_index(searchable: Database) -> None:
    found, how = plan(searchable, lambda s: s.find_applicants("6108011200000007"))
    assert "USING INDEX ix_applicants_nik (nik=?)" in how, how
    assert "SCAN applicants" not in how, how
    assert [a.nik for _, a in found] == ["6108011200000007"]


def test_list_dossiers_by_name_prefix_uses_the_name_index(searchable: Database) -> None:
    found, how = plan(searchable, lambda s: s.list_dossiers(query="siti", limit=500))
    assert "USING COVERING INDEX ix_applicants_name_key (name_key>? AND name_key<?)" in how, how
    assert "USING COVERING INDEX ix_dossiers_applicant_id (applicant_id=?)" in how, how
    assert "SCAN dossiers" not in how, how
    assert len(found) == PER_NAME


def test_list_dossiers_by_nik_uses_the_nik_index(searchable: Database) -> None:
    found, how = plan(searchable, lambda s: s.list_dossiers(query="6108011200000007"))
    assert "USING INDEX ix_applicants_nik (nik=?)" in how, how
    assert "USING COVERING INDEX ix_dossiers_applicant_id (applicant_id=?)" in how, how
    assert "SCAN dossiers" not in how, how
    assert [d.number for d in found] == ["SOP68/2025/FO1/000008"]


def test_list_dossiers_by_number_uses_the_unique_index(searchable: Database) -> None:
    found, how = plan(searchable, lambda s: s.list_dossiers(query="sop68/2025/fo1/000008"))
    assert "SCAN dossiers" not in how, how
    assert [d.nik for d in found] == ["6108011200000007"]


def test_list_dossiers_newest_first_and_paged(searchable: Database) -> None:
    with searchable.read() as connection:
        store = Store(connection, "")
        first = store.list_dossiers(limit=5)
        second = store.list_dossiers(limit=5, offset=5)
        returned = store.list_dossiers(status=Status.RETURNED)
    numbers = [d.number for d in first + second]
    total = PER_NAME * len(NAMES)
    assert numbers == [f"SOP68/2025/FO1/{n:06d}" for n in range(total, total - 10, -1)]
    assert returned == []


@pytest.mark.parametrize(
    ("name", "key"),
    [("  Budi   SANTOSO ", "budi santoso"), ("STRASSE", "strasse"), ("Straße", "strasse")],
)
def test_name_key_folds_case_and_spaces(name: str, key: str) -> None:
    assert name_key(name) == key


def test_a_prefix_ending_in_the_last_character_still_works(searchable: Database) -> None:
    with searchable.read() as connection:
        assert Store(connection, "").find_applicants("budi\U0010ffff") == []
