"""``loket report monthly|sla`` and ``loket worklist``, run in-process on a real database."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loket.cli.main import main
from loket.services.context import open_loket
from tests.services.support import FakeClock, drive, issue, make_staff, register


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("LOKET_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    loket = open_loket(data_dir=tmp_path, create=True, clock=FakeClock())
    try:
        staff = make_staff(loket)
        issued = issue(loket, staff, register(loket, staff, 76)).record.number
        waiting = drive(loket, staff, register(loket, staff, 68), 7).record.number
    finally:
        loket.close()
    return {"issued": issued, "waiting": waiting}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sla_as_json(office: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys, "report", "sla", "--from", "2026-03-01", "--to", "2026-03-31", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["from"] == "2026-03-01"
    steps = {(s["sop"], s["step"]): s for s in payload["steps"]}
    assert steps[(76, 11)]["finished"] == 1
    assert steps[(68, 6)]["finished"] == 1
    assert (68, 7) not in steps  # still open
    assert set(steps[(76, 1)]) >= {"within_standard", "average_minutes", "longest_minutes"}
    assert steps[(68, 6)]["running_late"] == 0  # a period in the past: no open steps
    # A period reaching today counts the step still open since March as running late
    # (the command runs on the real clock, long after its one-day standard).
    code, out, _err = run(capsys, "report", "sla", "--from", "2026-04-01", "--json")
    (open_step,) = json.loads(out)["steps"]
    assert (open_step["sop"], open_step["step"]) == (68, 7)
    assert (open_step["finished"], open_step["finished_late"]) == (0, 0)
    assert (open_step["running_late"], open_step["late"]) == (1, 1)
    assert open_step["share_within"] == 0
    assert open_step["share_within_finished"] == 0  # nothing finished yet
    assert steps[(68, 6)]["share_within_finished"] == steps[(68, 6)]["share_within"]
    code, _out, err = run(capsys, "report", "sla", "--from", "2026-03-31", "--to", "2026-03-01")
    assert code == 1
    assert "Tanggal akhir" in err


def test_sla_as_text_names_late_steps_finished_and_open(
    office: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "report", "sla", "--from", "2026-04-01")
    assert code == 0
    assert out.strip() == (
        "SOP 68 langkah 7: 0 selesai (0 sesuai mutu baku, 0 terlambat), "
        "1 masih berjalan dan terlambat; kepatuhan 0%, rata-rata 0 menit, terlama 0 menit"
    )


def test_monthly_pdf_and_xlsx(
    office: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "bulanan.pdf"
    assert (
        run(
            capsys, "report", "monthly", "--month", "2026-03", "--format", "pdf", "--out", str(pdf)
        )[0]
        == 0
    )
    words = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Laporan Bulanan 03/2026" in words
    assert "Izin Usaha Perbengkelan" in words
    xlsx = tmp_path / "bulanan.xlsx"
    assert (
        run(
            capsys,
            "report",
            "monthly",
            "--month",
            "2026-03",
            "--format",
            "xlsx",
            "--out",
            str(xlsx),
        )[0]
        == 0
    )
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["SOP"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    sop76 = next(v for k, v in rows.items() if str(k).startswith("SOP 76"))
    sop68 = next(v for k, v in rows.items() if str(k).startswith("SOP 68"))
    assert sop76[1:3] == (1, 1)  # received, issued
    assert sop68[1:3] == (1, 0)
    assert sop68[6] == 1  # in process
    code, _out, err = run(
        capsys, "report", "monthly", "--month", "2026-13", "--format", "pdf", "--out", str(pdf)
    )
    assert code == 1
    assert "TTTT-BB" in err


def test_worklist(office: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "worklist", "--role", "kasi_perizinan", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["number"] == office["waiting"]
    assert row["step"] == 7
    assert row["state"] == "overdue"  # the command line runs on the real clock, months later
    with pytest.raises(SystemExit) as exited:
        main(["worklist", "--role", "lurah"])
    assert exited.value.code == 2
    assert "peran tidak dikenal" in capsys.readouterr().err
