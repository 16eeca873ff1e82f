"""The Store's reads and writes in domain terms, on a real SQLite file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from loket.domain.dossier import (
    Address,
    Applicant,
    Business,
    ChecklistItem,
    DossierState,
    Outcome,
    Permit,
    Status,
    StepVisit,
)
from loket.domain.sop import ApplicantKind
from loket.storage import models
from loket.storage.database import Database, default_data_dir
from loket.storage.store import Conflict, Identity, NotFound, Storage, Store, UserRecord
from tests.storage.support import T0

CLERK = UserRecord("u-fo", "fo", "Petugas FO", "front_office", "1980", "hash-1", True)
KADIS = UserRecord("u-kd", "kadis", "Kepala Dinas", "kepala_dinas", "", "hash-2", True)
NUMBER = "SOP68/2025/FO1/000001"
VISIT_1 = StepVisit(1, T0)
CHECKLIST = (
    ChecklistItem("formulir", "Formulir", True, True),
    ChecklistItem("ktp", "KTP", True, False, "menyusul"),
)


@pytest.fixture
def storage(database: Database) -> Storage:
    storage = Storage(database)
    with storage.writing() as store:
        store.add_user(CLERK, T0)
        store.add_user(KADIS, T0)
    return storage


def file_dossier(store: Store, number: str = NUMBER, *, business: bool = True) -> str:
    applicant_id = store.add_applicant(
        Applicant(
            ApplicantKind.COMPANY,
            "PT Maju Jaya",
            nib="1234567890123",
            phone="0812",
            email="a@b.id",
            address=Address("Jl. Pahlawan 1", "Hilir", "Ngabang"),
            representative="Andi",
        ),
        T0,
    )
    business_id = (
        store.add_business(applicant_id, Business("Bengkel Maju", "45201", "2020"))
        if business
        else None
    )
    dossier_id = f"id-{number}"
    store.insert_dossier(
        dossier_id=dossier_id,
        number=number,
        sop_number=68,
        sop_version=1,
        applicant_id=applicant_id,
        business_id=business_id,
        state=DossierState(Status.IN_PROGRESS, 1, (VISIT_1,), 1),
        checklist=CHECKLIST,
        received_at=T0,
        station_code="FO1",
        created_by=CLERK.id,
        sicantik_no="",
        oss_nib="",
    )
    return dossier_id


def test_identity_settings_and_days_off(storage: Storage) -> None:
    with storage.writing() as store:
        assert store.identity() is None
        made = store.create_identity("FO2", T0)
        store.put_setting("dossier_number_pattern", "{sop}/{seq:06d}")
        store.put_setting("dossier_number_pattern", "{sop}/{year}/{seq:06d}")  # an update
        store.put_setting("office", {"name": "DPMPTSP-TK Landak", "kode": 61})
        store.add_day_off(date(2025, 3, 31), "Cuti bersama")
    with storage.reading() as store:
        assert store.identity() == made
        assert isinstance(made, Identity) and made.station_code == "FO2"
        assert made.device_id != made.instance_id
        assert store.setting("dossier_number_pattern") == "{sop}/{year}/{seq:06d}"
        assert store.setting("missing") is None
        assert store.settings()["office"] == {"name": "DPMPTSP-TK Landak", "kode": 61}
        assert store.days_off() == frozenset({date(2025, 3, 31)})


def test_users(storage: Storage) -> None:
    with storage.writing() as store:
        store.set_password_hash(CLERK.id, "hash-new")
    with storage.reading() as store:
        assert store.user_by_name("fo") == UserRecord(
            CLERK.id, "fo", "Petugas FO", "front_office", "1980", "hash-new", True
        )
        assert store.user(KADIS.id) == KADIS
        assert store.user("nobody") is None and store.user_by_name("nobody") is None
        assert [u.username for u in store.users()] == ["fo", "kadis"]
        assert store.count(models.User) == 2


def test_sop_snapshots_are_kept_and_never_silently_changed(storage: Storage) -> None:
    with storage.writing() as store:
        store.store_snapshot(68, 1, '{"number": 68}', "h1", T0)
        store.store_snapshot(68, 1, '{"number": 68}', "h1", T0)  # the same again: nothing
    with storage.reading() as store:
        assert store.snapshot(68, 1) == '{"number": 68}'
        assert store.snapshot(68, 2) is None
    with pytest.raises(Conflict, match="naikkan 'version'"), storage.writing() as store:
        store.store_snapshot(68, 1, '{"number": 68, "x": 1}', "h2", T0)


def test_a_dossier_round_trip(storage: Storage) -> None:
    issued = T0 + timedelta(days=2)
    with storage.writing() as store:
        dossier_id = file_dossier(store)
        assert store.dossier_id(NUMBER) == dossier_id
        store.update_checklist(dossier_id, {"ktp": True})
        before = store.dossier(NUMBER).state
        done = StepVisit(1, T0, issued, KADIS.id, "kepala_dinas", Outcome.SIGNED, "", (("a", "b"),))
        after = DossierState(Status.ISSUED, 1, (done,), 2)
        permit = Permit("503/0001/IUP", issued, date(2030, 3, 5), KADIS.id)
        store.insert_permit(dossier_id, permit, KADIS.id)
        store.save_state(dossier_id, before, after, issued, permit_number="503/0001/IUP")
    with storage.reading() as store:
        record = store.dossier(NUMBER)
        assert record.state == after
        assert record.checklist == (
            CHECKLIST[0],
            ChecklistItem("ktp", "KTP", True, True, "menyusul"),
        )
        assert record.business == Business("Bengkel Maju", "45201", "2020")
        assert record.applicant.address.kecamatan == "Ngabang"
        assert record.applicant.representative == "Andi"
        assert record.permit == Permit("503/0001/IUP", issued, date(2030, 3, 5), KADIS.id)
        assert record.received_at == T0
        assert store.count_by_status() == {"issued": 1}
        [summary] = store.list_dossiers(status=Status.ISSUED, sop_number=68)
        assert summary.permit_number == "503/0001/IUP"
        assert summary.business == "Bengkel Maju"
        assert store.list_dossiers(sop_number=76) == []
        assert store.dossier_id("SOP68/2025/FO1/999999") is None
        with pytest.raises(NotFound, match="tidak ditemukan"):
            store.dossier("SOP68/2025/FO1/999999")


def test_a_stale_state_is_refused(storage: Storage) -> None:
    with storage.writing() as store:
        dossier_id = file_dossier(store, business=False)
    stale = DossierState(Status.IN_PROGRESS, 1, (VISIT_1,), 1)
    moved = DossierState(Status.IN_PROGRESS, 2, (VISIT_1, StepVisit(2, T0)), 2)
    with storage.writing() as store:
        store.save_state(dossier_id, stale, moved, T0)
    with pytest.raises(Conflict, match="diubah oleh pengguna lain"), storage.writing() as store:
        store.save_state(dossier_id, stale, moved, T0)
    with storage.reading() as store:
        assert store.dossier(NUMBER).state == moved
        assert store.dossier(NUMBER).business is None


def test_a_duplicate_dossier_number_is_a_conflict_and_keeps_the_rest(storage: Storage) -> None:
    with storage.writing() as store:
        file_dossier(store)
    with storage.writing() as store:
        store.put_setting("kept", True)  # written before the duplicate, in the same transaction
        with pytest.raises(Conflict, match="penomoran stasiun ini perlu diperiksa"):
            file_dossier(store)
        store.put_setting("also_kept", True)  # the transaction goes on (savepoint)
    with storage.reading() as store:
        assert store.setting("kept") and store.setting("also_kept")
        assert store.count(models.Dossier) == 1


def test_audit_trail_and_outbox(storage: Storage) -> None:
    with storage.writing() as store:
        store.audit(
            at=T0,
            user=CLERK,
            action="register",
            entity="dossier",
            entity_id=NUMBER,
            before=None,
            after={"status": "in_progress"},
        )
        store.enqueue(
            command="register",
            entity="dossier",
            entity_id="d1",
            base_version=0,
            payload={"number": NUMBER},
            now=T0,
        )
        tx = store.tx_id
    with storage.writing() as store:
        store.enqueue(
            command="complete_step",
            entity="dossier",
            entity_id="d1",
            base_version=1,
            payload={},
            now=T0,
        )
    with storage.reading() as store:
        [entry] = store.audit_trail(NUMBER)
        assert (entry.username, entry.role, entry.action) == ("fo", "front_office", "register")
        assert store.verify_audit().ok
        first, second = store.outbox()
    assert (first["client_seq"], first["command"], first["tx_id"]) == (1, "register", tx)
    assert first["payload"] == {"number": NUMBER}
    assert (second["client_seq"], second["base_version"]) == (2, 1)
    assert second["tx_id"] != tx


def test_an_empty_or_unbounded_prefix(storage: Storage) -> None:
    with storage.reading() as store:
        assert store.find_applicants("   ") == []
        assert store.find_applicants("\U0010ffff") == []


def test_the_default_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOKET_DATA_DIR", raising=False)
    assert default_data_dir().name == "Loket"
