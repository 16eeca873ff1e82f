"""A write cut short (killed process, exception) leaves the database exactly as before.

The kill tests use a real child process (``tests/storage/child.py``) killed
with SIGKILL while it is inside ``Storage.writing()``: no ``finally``, no
rollback by the child, just a process gone and its files left as they were.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from loket.domain.dossier import Applicant, DossierState, Status
from loket.domain.sop import ApplicantKind
from loket.services.errors import ServiceError
from loket.storage import audit, models
from loket.storage.database import Database
from loket.storage.store import Storage, Store
from tests.storage import scenario
from tests.storage.support import AUDITOR, T0, child, counts, sqlite_url


def integrity(database: Database) -> str:
    with database.read() as connection:
        return str(connection.exec_driver_sql("PRAGMA integrity_check").scalar())


def audit_report(database: Database) -> audit.AuditReport:
    with database.read() as connection:
        return audit.verify(connection)


def table_digest(database: Database) -> str:
    """Every row of every table, hashed: 'exactly as before', not just the same counts."""
    digest = hashlib.sha256()
    with database.read() as connection:
        tables = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).scalars()
        for table in list(tables):
            rows = connection.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1').all()
            digest.update(repr((table, rows)).encode())
    return digest.hexdigest()


@pytest.fixture
def office(tmp_path: Path) -> tuple[str, Path]:
    """An initialised office database with staff and one registered dossier, closed."""
    data_dir = tmp_path / "office"
    url = sqlite_url(data_dir / "loket.sqlite3")
    loket = scenario.open_new(url, data_dir)
    staff = scenario.add_staff(loket)
    scenario.register(loket, staff["fo"], scenario.BUDI)
    loket.close()
    return url, data_dir


def test_a_registration_killed_before_commit_leaves_nothing(office: tuple[str, Path]) -> None:
    url, data_dir = office
    database = Database(url)
    before, digest_before = counts(database), table_digest(database)
    assert before["dossiers"] == 1
    database.dispose()

    with child("hang-register", url, str(data_dir), "fo") as registering:
        registering.expect("ready")
        registering.expect("inside")  # dossier, audit and outbox written, not committed
        # Meanwhile other connections see only what was committed.
        other = Database(url)
        try:
            with other.read() as connection:
                assert connection.execute(text("SELECT count(*) FROM dossiers")).scalar() == 1
        finally:
            other.dispose()
        assert registering.kill() == -9

    database = Database(url)
    try:
        assert counts(database) == before
        assert table_digest(database) == digest_before
        assert audit_report(database) == audit.AuditReport(before["audit_log"], None)
        assert integrity(database) == "ok"
    finally:
        database.dispose()

    # The office carries on: the next number is the one the killed process had taken.
    loket = scenario.open_existing(url, data_dir)
    try:
        fo = loket.users.by_username("fo")
        assert fo is not None
        number = scenario.register(loket, fo, scenario.SITI)
        assert number.endswith("/000002")
        assert loket.dossiers.search(fo, query="yohanes") == []
    finally:
        loket.close()


def test_uncommitted_pages_already_in_the_wal_are_discarded(
    database: Database, db_path: Path
) -> None:
    """A big transaction spills pages into the WAL file before its commit; a kill loses them."""
    with Storage(database).writing() as store:
        store.create_identity("FO1", T0)
    before, digest_before = counts(database), table_digest(database)
    database.dispose()

    with child("hang-bulk", sqlite_url(db_path), "300") as bulk:
        bulk.expect("ready")
        wal_size = int(bulk.expect("inside").split()[1])
        assert wal_size > 100_000, "the test needs uncommitted frames on disk"
        assert bulk.kill() == -9
    assert Path(f"{db_path}-wal").stat().st_size > 0  # the frames are still there

    reopened = Database(sqlite_url(db_path))
    try:
        assert counts(reopened) == before
        assert table_digest(reopened) == digest_before
        assert integrity(reopened) == "ok"
        assert audit_report(reopened).ok
        # And it is writable again at once: nothing left locked.
        with Storage(reopened).writing() as store:
            assert store.next_counter("after-crash") == 1
    finally:
        reopened.dispose()


class Boom(Exception):
    pass


def write_a_registration_then_fail(storage: Storage) -> None:
    """Everything a registration writes, by hand, then an exception before the commit."""
    with storage.writing() as store:
        applicant_id = store.add_applicant(
            Applicant(ApplicantKind.INDIVIDUAL, "Gagal Simpan", nik="6108011203850003"), T0
        )
        store.insert_dossier(
            dossier_id="d-1",
            number="SOP68/2025/FO1/000001",
            sop_number=68,
            sop_version=1,
            applicant_id=applicant_id,
            business_id=None,
            state=DossierState(Status.IN_PROGRESS, 1, (), 1),
            checklist=(),
            received_at=T0,
            station_code="FO1",
            created_by=AUDITOR.id,
            sicantik_no="",
            oss_nib="",
        )
        store.next_counter("SOP68/2025/FO1")
        store.audit(
            at=T0,
            user=AUDITOR,
            action="register",
            entity="dossier",
            entity_id="SOP68/2025/FO1/000001",
            before=None,
            after={"status": "in_progress"},
        )
        store.enqueue(
            command="register",
            entity="dossier",
            entity_id="d-1",
            base_version=0,
            payload={"number": "SOP68/2025/FO1/000001"},
            now=T0,
        )
        assert store.count(models.Dossier) == 1  # visible inside the transaction
        assert len(store.outbox()) == 1
        raise Boom


def test_an_exception_inside_writing_rolls_everything_back(database: Database) -> None:
    storage = Storage(database)
    with storage.writing() as store:
        store.create_identity("FO1", T0)
        store.add_user(AUDITOR, T0)
    before, digest_before = counts(database), table_digest(database)

    with pytest.raises(Boom):
        write_a_registration_then_fail(storage)

    assert counts(database) == before
    assert table_digest(database) == digest_before
    assert audit_report(database).ok
    with storage.reading() as store:
        assert store.outbox() == []
        assert store.dossier_id("SOP68/2025/FO1/000001") is None


def test_a_service_failing_half_way_through_a_registration_leaves_nothing(
    office: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, data_dir = office
    loket = scenario.open_existing(url, data_dir)
    try:
        fo = loket.users.by_username("fo")
        assert fo is not None
        before, digest_before = counts(loket.database), table_digest(loket.database)

        def broken_outbox(self: Store, **kwargs: object) -> None:
            raise ServiceError("antrean sinkronisasi rusak")

        monkeypatch.setattr(Store, "enqueue", broken_outbox)
        with pytest.raises(ServiceError, match="antrean"):
            scenario.register(loket, fo, scenario.SITI)
        assert counts(loket.database) == before
        assert table_digest(loket.database) == digest_before
    finally:
        loket.close()
