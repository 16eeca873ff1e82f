"""A dossier keeps the SOP version it was filed under, whatever the files say later."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from loket.catalog.catalog import PACKAGED_SOP_DIR
from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.errors import NotFoundError
from loket.storage.database import DB_FILE_NAME
from loket.storage.store import Conflict
from tests.services.support import FakeClock, LoketFactory, counts, issue, make_staff, register

V1_STEP_7 = 'no = 7\nseed_no = 5\nactivity = "Verifikasi Penerbitan Izin"'
V2_ACTIVITY = "Verifikasi Penerbitan Izin oleh Kasi (versi 2)"


def _folder(path: Path, *, sop_68: str, with_76: bool = True) -> Path:
    path.mkdir()
    (path / "sop-068.toml").write_text(sop_68, encoding="utf-8")
    if with_76:
        shutil.copyfile(PACKAGED_SOP_DIR / "sop-076.toml", path / "sop-076.toml")
    return path


@pytest.fixture
def shipped() -> str:
    text = (PACKAGED_SOP_DIR / "sop-068.toml").read_text(encoding="utf-8")
    assert text.count("\nversion = 1\n") == 1 and text.count(V1_STEP_7) == 1
    return text


def _version_2(text: str) -> str:
    changed = text.replace("\nversion = 1\n", "\nversion = 2\n")
    return changed.replace(V1_STEP_7, V1_STEP_7.replace("Verifikasi Penerbitan Izin", V2_ACTIVITY))


def test_a_dossier_keeps_its_version_when_a_new_one_arrives(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock, shipped: str
) -> None:
    v1 = _folder(tmp_path / "v1", sop_68=shipped)
    v2 = _folder(tmp_path / "v2", sop_68=_version_2(shipped), with_76=False)
    only_v2 = _folder(tmp_path / "only-v2", sop_68=_version_2(shipped))
    data = tmp_path / "data"

    first = make_loket(data, clock, [v1])
    staff = make_staff(first)
    filed = register(first, staff).record.number
    first.close()

    both = make_loket(data, clock, [v1, v2])
    old = both.dossiers.show(staff[Role.FRONT_OFFICE], filed)
    assert (old.record.sop_version, old.sop.version) == (1, 1)
    assert old.sop.step(7).activity == "Verifikasi Penerbitan Izin"
    new = register(both, staff)
    assert (new.record.sop_version, new.sop.version) == (2, 2)
    assert new.sop.step(7).activity == V2_ACTIVITY
    both.close()

    # The v1 file is gone: the dossier is read and moved through its snapshot.
    later = make_loket(data, clock, [only_v2])
    assert later.dossiers.catalog is later.catalog
    assert later.catalog.get(68).version == 2
    view = later.dossiers.show(staff[Role.KASI_PERIZINAN], filed)
    assert (view.record.sop_version, view.sop.version) == (1, 1)
    assert view.sop.step(7).activity == "Verifikasi Penerbitan Izin"
    done = issue(later, staff, view)
    assert done.record.state.status is Status.ISSUED
    assert done.sop.version == 1
    assert register(later, staff).record.sop_version == 2


def test_a_changed_file_without_a_new_version_is_refused(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock, shipped: str
) -> None:
    data = tmp_path / "data"
    first = make_loket(data, clock, [_folder(tmp_path / "v1", sop_68=shipped)])
    staff = make_staff(first)
    filed = register(first, staff).record.number
    first.close()

    edited = shipped.replace(V1_STEP_7, V1_STEP_7.replace("Penerbitan Izin", "Izin (diubah)"))
    loket = make_loket(data, clock, [_folder(tmp_path / "edited", sop_68=edited)])
    before = counts(loket)
    with pytest.raises(Conflict, match="SOP 68 versi 1 telah diubah tanpa menaikkan nomor versi"):
        register(loket, staff)
    assert counts(loket) == before
    # The dossier filed earlier still shows the SOP as it was filed, not the edited file.
    view = loket.dossiers.show(staff[Role.FRONT_OFFICE], filed)
    assert view.sop.step(7).activity == "Verifikasi Penerbitan Izin"
    assert loket.dossiers.show(staff[Role.FRONT_OFFICE], filed).sop is view.sop  # remembered
    # SOP 76 was not touched: it still registers.
    assert register(loket, staff, 76).record.number == "SOP76/2026/FO1/000001"


def test_a_dossier_whose_sop_is_nowhere_is_reported(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock, shipped: str
) -> None:
    data = tmp_path / "data"
    v1 = _folder(tmp_path / "v1", sop_68=shipped)
    first = make_loket(data, clock, [v1])
    staff = make_staff(first)
    filed = register(first, staff).record.number
    first.close()
    with sqlite3.connect(data / DB_FILE_NAME) as raw:
        raw.execute("DELETE FROM sop_snapshots")
    raw.close()

    # Without a snapshot, the catalog's own version 1 serves.
    again = make_loket(data, clock, [v1])
    assert again.dossiers.show(staff[Role.FRONT_OFFICE], filed).sop.version == 1
    again.close()

    gone = make_loket(data, clock, [_folder(tmp_path / "v2", sop_68=_version_2(shipped))])
    with pytest.raises(NotFoundError, match=f"SOP 68 versi 1 untuk berkas {filed} tidak ada"):
        gone.dossiers.show(staff[Role.FRONT_OFFICE], filed)
