"""The first-run answers as the desktop sends them: what is refused before anything is written."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from loket.services.desk import (
    FIRST_RUN_OFFICE_REQUIRED,
    Admin,
    finish_first_run,
    first_run_problems,
    needs_first_run,
)
from loket.services.office import Office
from tests.services.support import FakeClock, LoketFactory

PASSWORD = "rahasia-kantor-1"
EMPTY_OFFICE = Office(**{f.name: "" for f in fields(Office)})
ANSWERED = Office(
    government="PEMERINTAH KABUPATEN SANGGAU",
    name="DINAS PENANAMAN MODAL DAN PTSP",
    short_name="",
    address="Jl. Jenderal Sudirman No. 1",
    phone="",
    email="",
    city="Sanggau",
    head_title="KEPALA DINAS",
)
ADMIN = Admin("admin", "Admin Kantor", PASSWORD)


def _by_field(station: str, office: Office, admin: Admin, again: str) -> dict[str, str]:
    return {p.field: p.code for p in first_run_problems(station, office, admin, again)}


def test_complete_answers_have_no_problem() -> None:
    assert first_run_problems("FO1", ANSWERED, ADMIN, PASSWORD) == []


def test_every_required_field_left_empty_is_named() -> None:
    found = _by_field("", EMPTY_OFFICE, Admin("", "", ""), "")
    required = {*FIRST_RUN_OFFICE_REQUIRED, "station", "username", "full_name", "password"}
    assert found == {key: f"{key}.required" for key in required}


def test_blank_counts_as_empty_and_optional_fields_may_stay_empty() -> None:
    office = Office(**{**{f.name: "" for f in fields(Office)}, "name": "   "})
    found = _by_field("FO1", office, ADMIN, PASSWORD)
    assert found["name"] == "name.required"
    for optional in ("short_name", "phone", "email", "logo_path", "head_name", "head_nip"):
        assert optional not in found


def test_passwords_must_match_and_be_long_enough() -> None:
    assert _by_field("FO1", ANSWERED, ADMIN, PASSWORD + "x") == {
        "password_again": "password_again.differs"
    }
    short = Admin("admin", "Admin Kantor", "pendek")
    problems = first_run_problems("FO1", ANSWERED, short, "pendek")
    assert [(p.field, p.code) for p in problems] == [("password", "password.length")]
    assert problems[0].message == "Kata sandi harus 8–256 karakter."


def test_the_first_run_makes_the_signing_key(make_loket: LoketFactory, tmp_path: Path) -> None:
    """Else the first permit signed could not be printed until someone ran `loket keys init`."""
    loket = make_loket(tmp_path / "office", FakeClock())
    assert not loket.documents.keys.private_path.exists()
    finish_first_run(loket, Office(), Admin("admin", "Admin Kantor", "rahasia-sekali-12"))
    assert loket.documents.keys.private_path.exists()
    assert not needs_first_run(loket)
