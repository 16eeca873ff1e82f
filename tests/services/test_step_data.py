"""What a clerk enters at a step: checked against the step's own fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.catalog.catalog import PACKAGED_SOP_DIR
from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, WorkflowRefused
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import (
    NIB,
    FakeClock,
    LoketFactory,
    counts,
    drive,
    issue,
    make_staff,
    register,
)

TEST_SOPS = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def reklame(make_loket: LoketFactory, tmp_path: Path, clock: FakeClock) -> Loket:
    """A Loket that also runs the made-up SOP 999 (billboards) of ``tests/data``."""
    return make_loket(tmp_path / "data", clock, [PACKAGED_SOP_DIR, TEST_SOPS])


def _inspect(loket: Loket, staff: dict[Role, User], number: str, **fields: str) -> None:
    data = tuple({"tanggal_pemeriksaan": "2026-03-03", "luas_m2": "12", **fields}.items())
    loket.dossiers.act(staff[Role.TIM_TEKNIS], number, Command(Action.COMPLETE_STEP, data=data))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tanggal_pemeriksaan": "2026-02-30"}, "Tanggal pemeriksaan harus tanggal yang sah"),
        ({"tanggal_pemeriksaan": "kemarin"}, "Tanggal pemeriksaan harus tanggal yang sah"),
        ({"luas_m2": "dua belas"}, "harus berupa angka"),
        ({"luas_m2": "12.5.1"}, "harus berupa angka"),
        ({"aman": "y" * 501}, "Konstruksi aman terlalu panjang (paling banyak 500 karakter)"),
        ({"catatan": "x"}, "Isian 'catatan' tidak dikenal pada langkah 3"),
    ],
    ids=["impossible-date", "not-a-date", "not-a-number", "two-points", "too-long", "unknown"],
)
def test_step_fields_are_checked_by_type(
    reklame: Loket, fields: dict[str, str], message: str
) -> None:
    staff = make_staff(reklame)
    number = drive(reklame, staff, register(reklame, staff, 999), 3).record.number
    before = counts(reklame)
    with pytest.raises(InvalidInput) as refused:
        _inspect(reklame, staff, number, **fields)
    assert message in str(refused.value)
    assert counts(reklame) == before


def test_a_whole_reklame_dossier_with_its_sekretariat_step(reklame: Loket) -> None:
    staff = make_staff(reklame)
    view = drive(reklame, staff, register(reklame, staff, 999), 3)
    _inspect(reklame, staff, view.record.number, luas_m2=" -3,25 ", aman="ya")
    inspected = reklame.dossiers.show(staff[Role.KASI_PERIZINAN], view.record.number)
    assert dict(inspected.record.state.visits[2].data) == {
        "tanggal_pemeriksaan": "2026-03-03",
        "luas_m2": "-3,25",
        "aman": "ya",
    }
    # Step 4 is optional, but only the front office may skip (roles.py): the back office
    # completes it.
    skipped = reklame.dossiers.act(
        staff[Role.BACK_OFFICE], view.record.number, Command(Action.COMPLETE_STEP)
    )
    assert skipped.record.state.step_no == 5
    with pytest.raises(WorkflowRefused, match="Sekretariat"):
        reklame.dossiers.act(
            staff[Role.KASI_PERIZINAN], view.record.number, Command(Action.COMPLETE_STEP)
        )
    signed = issue(reklame, staff, skipped)
    assert signed.record.state.status is Status.ISSUED
    assert signed.record.permit is not None


def test_references_entered_at_a_step_are_kept_on_the_dossier(
    loket: Loket, staff: dict[Role, User]
) -> None:
    view = drive(loket, staff, register(loket, staff, 76), 4)
    fo = staff[Role.FRONT_OFFICE]
    with pytest.raises(InvalidInput, match="NIB hanya boleh berisi angka"):
        loket.dossiers.act(
            fo,
            view.record.number,
            Command(Action.COMPLETE_STEP, data=(("oss_nib", "NIB-1"),)),
        )
    with pytest.raises(InvalidInput, match="paling banyak 64 karakter"):
        loket.dossiers.act(
            fo,
            view.record.number,
            Command(Action.COMPLETE_STEP, data=(("sicantik_no", "9" * 65),)),
        )
    done = loket.dossiers.act(
        fo,
        view.record.number,
        Command(
            Action.COMPLETE_STEP,
            data=(("sicantik_no", " SC-76-0001 "), ("oss_nib", f" {NIB} ")),
        ),
    )
    assert (done.record.sicantik_no, done.record.oss_nib) == ("SC-76-0001", NIB)
    trail = loket.dossiers.audit_trail(fo, view.record.number)
    assert '"oss_nib":"' + NIB + '"' in trail[-1]["after"]
    assert '"data":{' in trail[-1]["after"]
    with loket.storage.reading() as store:
        assert store.outbox()[-1]["payload"]["sicantik_no"] == "SC-76-0001"
    # The next step carries no reference: the stored ones stay.
    receipt = loket.dossiers.act(fo, view.record.number, Command(Action.COMPLETE_STEP))
    assert (receipt.record.sicantik_no, receipt.record.oss_nib) == ("SC-76-0001", NIB)
