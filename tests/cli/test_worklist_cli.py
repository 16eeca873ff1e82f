"""``loket worklist``: Indonesian words and readable times as text, machine codes as JSON."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from loket.cli.main import main
from loket.cli.worklist import worklist_line
from loket.domain.calendar import ClockState
from loket.domain.i18n import set_language
from loket.domain.roles import Role
from loket.services.context import open_loket
from loket.services.worklists import WorkRow
from tests.backoffice.support import walk_to
from tests.cli.support import run
from tests.services.support import T0, FakeClock, make_staff, register

NOW = T0 + timedelta(days=3)  # Thursday 5 March 2026, 09:00 WIB


def _row(due_in: timedelta, state: ClockState, days: int = 3, claimed: str = "") -> WorkRow:
    return WorkRow(
        number="SOP68/2026/FO1/000001",
        sop_number=68,
        sop_name="Izin Usaha Perbengkelan",
        step_no=7,
        activity="Verifikasi Penerbitan Izin",
        role=Role.KASI_PERIZINAN,
        applicant="Yohanes Dadi",
        business="Bengkel Dadi Motor",
        received_at=T0,
        step_started_at=T0,
        days_in_step=days,
        due_at=NOW + due_in,
        fraction_used=1.37,
        state=state,
        claimed_by=None,
        claimed_name=claimed,
        version=3,
    )


def test_an_overdue_line_says_how_late_in_words() -> None:
    line = worklist_line(_row(-timedelta(days=1, hours=3), ClockState.OVERDUE), NOW)
    assert "SOP68/2026/FO1/000001" in line
    assert "SOP 68 langkah 7" in line
    assert "terlambat" in line
    assert "lewat 1 hari 3 jam" in line
    assert "batas 04-03-2026 06.00" in line  # the deadline itself, in WIB
    assert "3 hari kerja di langkah ini" in line
    assert line.endswith("Yohanes Dadi")
    assert "%" not in line
    assert "overdue" not in line


def test_lines_before_the_deadline_say_what_is_left() -> None:
    near = worklist_line(_row(timedelta(hours=2), ClockState.WARNING, claimed="Petugas Kasi"), NOW)
    assert "mendekati batas" in near
    assert "sisa 2 jam 0 menit" in near
    assert near.endswith("Yohanes Dadi  (diklaim Petugas Kasi)")
    early = worklist_line(_row(timedelta(days=2), ClockState.ON_TIME, days=0), NOW)
    assert "sesuai waktu" in early
    assert "sisa 2 hari 0 jam" in early
    assert "0 hari kerja di langkah ini" in early
    assert "warning" not in near + early
    assert "on_time" not in near + early


def test_english_on_request() -> None:
    set_language("en")
    try:
        line = worklist_line(_row(-timedelta(days=1, hours=3), ClockState.OVERDUE), NOW)
    finally:
        set_language("id")
    assert "overdue" in line
    assert "1 d 3 h late" in line
    assert "due 04-03-2026 06:00" in line
    assert "3 working days at this step" in line
    assert "terlambat" not in line


@pytest.fixture
def queues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Dossiers at the Kasi's step, at the counter's own step, and at the applicant's step."""
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    clock = FakeClock()
    loket = open_loket(data_dir=tmp_path, create=True, clock=clock)
    try:
        staff = make_staff(loket)
        at_kasi = walk_to(loket, staff, register(loket, staff, 68), clock, 7).record.number
        at_counter = walk_to(loket, staff, register(loket, staff, 68), clock, 4).record.number
        at_applicant = register(loket, staff, 68).record.number  # step 1: the applicant's
    finally:
        loket.close()
    return {"kasi": at_kasi, "counter": at_counter, "applicant": at_applicant}


def test_worklist_text_speaks_indonesian(
    queues: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "worklist", "--role", "kasi_perizinan")
    assert code == 0
    (line,) = out.splitlines()
    assert line.startswith(queues["kasi"])
    # The command line runs on the real clock, months after the fixture's March 2026.
    assert "terlambat" in line
    assert " lewat " in line
    assert "hari kerja di langkah ini" in line
    assert "%" not in line
    assert "overdue" not in line
    code, out, _err = run(capsys, "worklist", "--role", "kasi_perizinan", "--json")
    (row,) = json.loads(out)
    assert row["state"] == "overdue"  # scripts keep the machine codes
    assert row["fraction_used"] > 1
    code, out, _err = run(capsys, "worklist", "--role", "kepala_dinas")
    assert code == 0
    assert out == "Tidak ada berkas dalam antrean Kepala Dinas.\n"


def test_the_counters_queue_leaves_out_the_applicants_steps(
    queues: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "worklist", "--role", "front_office", "--json")
    assert code == 0
    assert [(r["number"], r["step"]) for r in json.loads(out)] == [(queues["counter"], 4)]
    code, out, _err = run(capsys, "worklist", "--role", "front_office")
    assert queues["applicant"] not in out
    assert queues["counter"] in out
    with pytest.raises(SystemExit) as exited:
        main(["worklist", "--role", "lurah"])
    assert exited.value.code == 2
    assert "peran tidak dikenal" in capsys.readouterr().err
