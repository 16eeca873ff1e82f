"""The ``loket`` command line, run in-process as a person would type it."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from loket.cli.main import main
from loket.domain.calendar import WIB
from loket.domain.dossier import Applicant, Business
from loket.domain.roles import Role
from loket.domain.sop import ApplicantKind
from loket.services.context import open_loket
from loket.services.dossiers import Intake
from loket.services.users import SYSTEM
from loket.storage import migrate
from loket.workflow import Action, Command
from tests.cli.support import run

REPO = Path(__file__).resolve().parents[2]


def test_sop_list_names_both_seed_sops(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sop", "list")
    assert code == 0
    assert "Izin Usaha Perbengkelan" in out
    assert "Izin Pool Kendaraan" in out


def test_sop_show_json_has_the_issue_fields(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "sop", "show", "68", "--json")
    assert code == 0
    sop = json.loads(out)
    for key in (
        "number",
        "name",
        "legal_basis",
        "qualifications",
        "related",
        "equipment",
        "recording",
        "service_time",
        "cost",
        "output",
        "approved_by",
        "requirements",
        "steps",
    ):
        assert key in sop, key
    assert sop["service_time"] == {"amount": 5, "unit": "day"}
    assert [s["seed_no"] for s in sop["steps"]] == [1, 2, 3, 4, 3, 4, 5, 6, 7]
    assert {"name", "mandatory"} <= set(sop["requirements"][0])
    step = sop["steps"][0]
    assert {
        "no",
        "seed_no",
        "activity",
        "actor",
        "requirement",
        "time",
        "output",
        "inferred",
    } <= set(step)
    assert {s["time"]["unit"] for s in sop["steps"]} <= {"minute", "hour", "day"}


def test_sop_show_readable_marks_inferred_steps(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "sop", "show", "76")
    assert code == 0
    assert "Penetapan Izin [disimpulkan]" in out
    assert "Langkah:" in out


def test_sop_show_unknown_number_fails_in_indonesian(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "sop", "show", "99")
    assert code == 1
    assert "SOP 99 tidak dikenal" in err


def test_sop_check_names_file_key_and_problem(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    text = (REPO / "data/sop/sop-068.toml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace('unit = "day" }\noutput = "Izin"', 'unit = "week" }\noutput = "Izin"')
    )
    good = REPO / "data/sop/sop-076.toml"
    code, out, err = run(capsys, "sop", "check", str(good), str(broken))
    assert code == 1
    assert "baik" in out
    assert str(broken) in err
    assert "steps[8].time.unit" in err
    assert "harus salah satu dari" in err


def test_status_before_init_says_what_to_do(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "status")
    assert code == 1
    assert "loket init" in err
    assert not list(data_dir.glob("*.sqlite3"))  # asking made no empty database


def test_a_folder_named_as_the_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "status")
    assert code == 1
    assert "adalah folder, bukan berkas basis data" in err


def test_init_status_user_add_and_list(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "init", "--station", "fo2")[0] == 0
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["identity"]["station"] == "FO2"
    assert info["database"]["revision"] == migrate.HEAD_REVISION
    assert str(data_dir) in info["database"]["url"]
    assert [s["number"] for s in info["sops"]] == [68, 76]

    monkeypatch.setattr("sys.stdin", io.StringIO("rahasia-sekali\n"))
    code, out, _ = run(
        capsys,
        "user",
        "add",
        "siti",
        "--role",
        "front_office",
        "--name",
        "Siti",
        "--password-stdin",
    )
    assert code == 0
    assert "siti" in out
    code, out, _ = run(capsys, "user", "list", "--json")
    assert json.loads(out) == [{"username": "siti", "name": "Siti", "role": "front_office"}]
    # The command line's own SYSTEM row (it added siti) is not a user anyone signs in as.
    assert json.loads(run(capsys, "status", "--json")[1])["users"] == 1


def test_user_add_rejects_a_short_password(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
    code, _, err = run(
        capsys, "user", "add", "budi", "--role", "admin", "--name", "Budi", "--password-stdin"
    )
    assert code == 1
    assert "Kata sandi" in err


def test_wrong_command_line_exits_2_in_indonesian(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["dossier", "list", "--sop", "enam puluh"])
    assert exited.value.code == 2
    assert "kesalahan" in capsys.readouterr().err


def _registered_dossier(data_dir: Path) -> str:
    def clock() -> datetime:
        return datetime(2026, 11, 23, 9, 15, tzinfo=WIB)

    loket = open_loket(data_dir=data_dir, create=True, clock=clock)
    try:
        clerk = loket.users.add_user(
            SYSTEM,
            username="fo",
            full_name="Petugas FO",
            role=Role.FRONT_OFFICE,
            password="rahasia123",
        )
        sop = loket.catalog.get(68)
        view = loket.dossiers.register(
            clerk,
            Intake(
                68,
                Applicant(ApplicantKind.INDIVIDUAL, "Yohanes Dadi", nik="6108011203850001"),
                Business("Bengkel Dadi Motor"),
                frozenset(r.key for r in sop.requirements),
            ),
        )
        loket.dossiers.act(clerk, view.record.number, Command(Action.COMPLETE_STEP))
        return view.record.number
    finally:
        loket.close()


def test_dossier_list_and_show_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = _registered_dossier(data_dir)
    code, out, _ = run(capsys, "dossier", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 1
    row = rows[0]
    assert {"number", "sop", "step", "status", "applicant", "received_at", "permit_number"} <= set(
        row
    )
    assert row["number"] == number == "SOP68/2026/FO1/000001"
    assert row["permit_number"] is None
    assert row["step"] == 2
    assert row["status"] == "in_progress"

    code, out, err = run(capsys, "dossier", "list", "--search", "yoh")
    assert code == 0
    assert number in out
    assert "--limit" not in err  # the whole list
    code, out, err = run(capsys, "dossier", "list", "--limit", "1")
    assert code == 0 and number in out
    assert "Hanya 1 berkas pertama" in err  # a cut list says so

    code, out, _ = run(capsys, "dossier", "show", number)
    assert "— selesai oleh Front Office" in out and "completed" not in out  # in Indonesian

    code, out, _ = run(capsys, "dossier", "show", number, "--json")
    detail = json.loads(out)
    assert detail["applicant"]["nik"] == "6108011203850001"
    assert detail["received_local"] == "Senin, 23 November 2026 09.15 WIB"
    assert [s["outcome"] for s in detail["steps"]] == ["completed", None]

    code, out, _ = run(capsys, "dossier", "show", number)
    assert "Yohanes Dadi" in out

    code, out, _ = run(capsys, "dossier", "list", "--state", "diproses")
    assert code == 0
    assert number in out
    code, out, _ = run(capsys, "dossier", "list", "--state", "in_progress")  # scripts' code
    assert number in out
    code, out, _ = run(capsys, "dossier", "list", "--state", "Berkas dikembalikan")
    assert out == "Tidak ada berkas.\n"


def test_audit_verify_fails_naming_the_altered_entry(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _registered_dossier(data_dir)
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert "3 entri" in out
    backup = data_dir / "before.sqlite3"
    shutil.copy(data_dir / "loket.sqlite3", backup)
    with sqlite3.connect(data_dir / "loket.sqlite3") as db:
        db.execute("UPDATE audit_log SET after = replace(after, 'Yohanes', 'Johan') WHERE seq = 2")
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert "Entri audit 2 telah diubah" in err


def test_english_output_on_request(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "en", "sop", "show", "99")
    assert code == 1
    main(["--lang", "id", "sop", "list"])  # leave the process in the default language
    capsys.readouterr()
    assert "Unknown SOP 99" in err
