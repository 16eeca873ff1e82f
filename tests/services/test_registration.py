"""Registering a dossier: walked steps, refused input, warnings, returning applicants."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from loket.domain.dossier import Address, Applicant, Business, Outcome, Status
from loket.domain.roles import Role
from loket.domain.validation import Severity
from loket.services.context import Loket
from loket.services.dossiers import WalkedStep
from loket.services.errors import InvalidInput, WorkflowRefused
from loket.services.users import User
from loket.workflow import Action
from tests.services.support import (
    NIB,
    T0,
    FakeClock,
    company,
    counts,
    intake,
    person,
    register,
)

FO = Role.FRONT_OFFICE
COMPLETE, SKIP = Action.COMPLETE_STEP, Action.SKIP_STEP
SICANTIK_NO = "SC-2026-000777"
MB10 = 10 * 1024 * 1024


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


# --- walked steps ------------------------------------------------------------------------


WALKED = (
    WalkedStep(1, COMPLETE, at(4)),
    WalkedStep(2, SKIP, at(5)),
    WalkedStep(3, SKIP, at(5)),
    WalkedStep(4, COMPLETE, at(20), data=(("sicantik_no", f" {SICANTIK_NO} "),)),
)


def test_steps_walked_at_the_counter_keep_their_own_times(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    view = register(loket, staff, started_at=T0, walked=WALKED)
    record = view.record
    assert record.received_at == T0
    assert (record.state.status, record.state.step_no) == (Status.IN_PROGRESS, 5)
    visits = [(v.step_no, v.started_at, v.finished_at, v.outcome) for v in record.state.visits]
    assert visits == [
        (1, T0, at(4), Outcome.COMPLETED),
        (2, at(4), at(5), Outcome.SKIPPED),
        (3, at(5), at(5), Outcome.SKIPPED),
        (4, at(5), at(20), Outcome.COMPLETED),
        (5, at(20), None, None),
    ]
    assert {v.user_id for v in record.state.visits[:4]} == {staff[FO].id}
    assert dict(record.state.visits[3].data) == {"sicantik_no": SICANTIK_NO}
    assert record.sicantik_no == SICANTIK_NO
    # The receipt step (5 minutes) began at 09:20: at 09:30 it is twice overdue.
    assert view.deadlines.step_due == at(25)
    assert view.deadlines.step_fraction == pytest.approx(2.0)
    number = record.number
    assert [e["action"] for e in loket.dossiers.audit_trail(staff[FO], number)] == ["register"]
    assert counts(loket).outbox == 1


def test_without_a_typed_start_the_first_walked_step_marks_the_receipt(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    view = register(loket, staff, walked=WALKED[:1])
    assert view.record.received_at == at(4)
    assert view.record.state.visits[0].started_at == at(4)
    later = register(loket, staff, started_at=at(10))
    assert later.record.received_at == at(10)
    assert later.record.state.visits[0].started_at == at(10)
    now = register(loket, staff)
    assert now.record.received_at == at(30)


def test_walked_files_found_incomplete_are_returned_at_the_receipt(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    view = register(loket, staff, started_at=T0, walked=WALKED, received=frozenset({"ktp"}))
    state = view.record.state
    assert (state.status, state.step_no) == (Status.RETURNED, 5)
    assert state.current_visit.outcome is Outcome.RETURNED
    assert state.current_visit.finished_at == at(30)
    assert "Formulir permohonan" in state.current_visit.reason


def _walk(*steps: WalkedStep, started: datetime | None = T0) -> dict[str, Any]:
    return {"walked": steps, "started_at": started}


BAD_WALKS = {
    "out-of-order": (_walk(WalkedStep(2, SKIP, at(1))), "Langkah 2 dicatat di luar urutan"),
    "past-the-intake": (
        _walk(*WALKED, WalkedStep(5, COMPLETE, at(21))),
        "Hanya langkah pemohon dan penerimaan",
    ),
    "not-a-walking-action": (
        _walk(WalkedStep(1, Action.RETURN_FILES, at(1))),
        "hanya dapat dicatat selesai atau dilewati",
    ),
    "in-the-future": (_walk(WalkedStep(1, COMPLETE, at(31))), "tidak boleh melewati"),
    "start-in-the-future": (_walk(started=at(31)), "tidak boleh melewati"),
    "without-a-zone": (
        _walk(WalkedStep(1, COMPLETE, at(1).replace(tzinfo=None))),
        "zona waktu",
    ),
    "going-back-in-time": (
        _walk(WalkedStep(1, COMPLETE, at(5)), WalkedStep(2, SKIP, at(4))),
        "harus berurutan",
    ),
    "before-the-start": (_walk(WalkedStep(1, COMPLETE, at(-1))), "harus berurutan"),
    "unknown-field": (
        _walk(WalkedStep(1, COMPLETE, at(1), data=(("catatan", "x"),))),
        "Isian 'catatan' tidak dikenal pada langkah 1",
    ),
    "reference-too-long": (
        _walk(
            WalkedStep(1, COMPLETE, at(1)),
            WalkedStep(2, SKIP, at(2)),
            WalkedStep(3, SKIP, at(3)),
            WalkedStep(4, COMPLETE, at(4), data=(("sicantik_no", "9" * 65),)),
        ),
        "No. Permohonan SICANTIK terlalu panjang (paling banyak 64 karakter)",
    ),
}


@pytest.mark.parametrize(("changes", "message"), BAD_WALKS.values(), ids=BAD_WALKS.keys())
def test_a_bad_walk_is_refused_and_nothing_is_written(
    loket: Loket,
    staff: dict[Role, User],
    clock: FakeClock,
    changes: dict[str, Any],
    message: str,
) -> None:
    clock.set(at(30))
    before = counts(loket)
    with pytest.raises(InvalidInput, match=re.escape(message)):
        register(loket, staff, **changes)
    assert counts(loket) == before


def test_a_mandatory_step_cannot_be_skipped_at_the_counter(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    before = counts(loket)
    with pytest.raises(WorkflowRefused, match="wajib dan tidak dapat dilewati"):
        register(loket, staff, **_walk(WalkedStep(1, SKIP, at(1))))
    assert counts(loket) == before


def test_the_oss_nib_of_a_walked_intake_is_checked_and_kept(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    steps = [WalkedStep(1, COMPLETE, at(1)), WalkedStep(2, SKIP, at(2)), WalkedStep(3, SKIP, at(3))]
    with pytest.raises(InvalidInput, match="NIB harus 13 digit angka"):
        register(
            loket,
            staff,
            76,
            **_walk(*steps, WalkedStep(4, COMPLETE, at(4), data=(("oss_nib", "12345"),))),
        )
    view = register(
        loket, staff, 76, **_walk(*steps, WalkedStep(4, COMPLETE, at(4), data=(("oss_nib", NIB),)))
    )
    assert view.record.oss_nib == NIB
    assert view.record.sicantik_no == ""


# --- refused input -------------------------------------------------------------------------


def _applicant(**changes: Any) -> dict[str, Any]:
    return {"applicant": person(**changes)}


def _business(**changes: Any) -> dict[str, Any]:
    return {"business": replace(Business("Bengkel Dadi Motor"), **changes)}


BAD_INPUT: dict[str, tuple[int, dict[str, Any], str]] = {
    "nik-too-short": (68, _applicant(nik="12345"), "NIK harus 16 digit angka (tertulis 5 digit)."),
    "nik-serial-0000": (68, _applicant(nik="6108011203850000"), "tidak boleh 0000"),
    "nik-letters": (68, _applicant(nik="61080112O3850001"), "NIK hanya boleh berisi angka"),
    "nik-missing": (68, _applicant(nik=" "), "NIK wajib diisi untuk perorangan."),
    "name-missing": (68, _applicant(name="   "), "Nama pemohon wajib diisi."),
    "name-301": (
        68,
        _applicant(name="A" * 301),
        "Nama pemohon terlalu panjang (paling banyak 300 karakter).",
    ),
    "npwp-letters": (68, _applicant(npwp="NPWP-01"), "NPWP hanya boleh berisi angka"),
    "phone": (68, _applicant(phone="12345"), "Nomor telepon harus nomor Indonesia"),
    "email": (68, _applicant(email="yohanes@gmail"), "Domain alamat e-mail"),
    "street": (68, _applicant(address=Address("J" * 301)), "Alamat terlalu panjang"),
    "hidden-character-name": (
        68,
        _applicant(name="Budi\x01 Santoso"),
        "Nama pemohon memuat karakter tersembunyi",
    ),
    "right-to-left-business": (
        68,
        _business(name="Bengkel \u202eamil"),
        "Nama usaha memuat karakter tersembunyi",
    ),
    "desa": (68, _applicant(address=Address(desa="D" * 101)), "Nama desa terlalu panjang"),
    "representative": (
        68,
        {"applicant": company(representative="R" * 301)},
        "Nama penanggung jawab terlalu panjang",
    ),
    "business-name-missing": (68, _business(name=""), "Nama usaha wajib diisi."),
    "business-name-301": (68, _business(name="U" * 301), "Nama usaha terlalu panjang"),
    "kbli-4-digits": (68, _business(kbli="4540"), "KBLI harus 5 digit angka"),
    "kbli-letters": (68, _business(kbli="4540A"), "KBLI harus 5 digit angka"),
    "kbli-edition": (68, _business(kbli_edition="2020-revisi"), "Edisi KBLI terlalu panjang"),
    "business-address": (
        68,
        _business(address=Address(kecamatan="K" * 101)),
        "Nama kecamatan terlalu panjang",
    ),
    "unknown-sop": (99, {}, "SOP 99 tidak dikenal"),
    "unknown-requirement": (
        68,
        {"received": frozenset({"ktp", "sertifikat_halal"})},
        "Persyaratan tidak dikenal untuk SOP 68: sertifikat_halal",
    ),
    "oss-nib": (76, {"oss_nib": "91200012345"}, "NIB harus 13 digit angka (tertulis 11 digit)."),
    "sicantik-no": (68, {"sicantik_no": "S" * 65}, "No. Permohonan SICANTIK terlalu panjang"),
}


@pytest.mark.parametrize(("sop", "changes", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_in_indonesian_and_nothing_is_written(
    loket: Loket,
    staff: dict[Role, User],
    sop: int,
    changes: dict[str, Any],
    message: str,
) -> None:
    before = counts(loket)
    fo = staff[FO]
    base = intake(loket, sop if sop in loket.catalog.numbers() else 68)
    with pytest.raises(InvalidInput) as refused:
        loket.dossiers.register(fo, replace(base, sop_number=sop, **changes))
    assert message in str(refused.value)
    for problem in refused.value.problems:
        assert problem.message.strip()
    assert counts(loket) == before
    # The refusal consumed no number: the next dossier is still the first.
    assert register(loket, staff, sop if sop != 99 else 68).record.number.endswith("/000001")


HUGE: dict[str, Any] = {
    "name": _applicant(name="x" * MB10),
    "spaced-name": _applicant(name="x " * (MB10 // 2)),
    "nik": _applicant(nik="6" * MB10),
    "nib": _applicant(nib="1" * MB10),
    "npwp": _applicant(npwp="1" * MB10),
    "phone": _applicant(phone="0" * MB10),
    "email": _applicant(email="a" * MB10),
    "street": _applicant(address=Address(" " * MB10)),
    "representative": _applicant(representative="r " * (MB10 // 2)),
    "business-name": _business(name="b" * MB10),
    "kbli": _business(kbli="4" * MB10),
    "kbli-edition": _business(kbli_edition="2" * MB10),
    "sicantik-no": {"sicantik_no": "S" * MB10},
    "oss-nib": {"oss_nib": "1" * MB10},
    "requirement-key": {"received": frozenset({"k" * MB10})},
}


@pytest.mark.parametrize("changes", HUGE.values(), ids=HUGE.keys())
def test_a_pasted_10_mb_value_is_refused_at_once(
    loket: Loket, staff: dict[Role, User], changes: dict[str, Any]
) -> None:
    before = counts(loket)
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as refused:
        loket.dossiers.register(staff[FO], replace(intake(loket), **changes))
    assert time.perf_counter() - started < 1.0
    assert len(str(refused.value)) < 300
    assert counts(loket) == before


def test_a_10_mb_search_is_refused(loket: Loket, staff: dict[Role, User]) -> None:
    fo = staff[FO]
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        loket.dossiers.search(fo, query="x" * MB10)
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        loket.dossiers.find_applicants(fo, "x" * MB10)
    assert time.perf_counter() - started < 1.0
    for limit, offset in ((0, 0), (10_001, 0), (10, -1)):
        with pytest.raises(InvalidInput, match="Batas daftar"):
            loket.dossiers.search(fo, limit=limit, offset=offset)


def test_a_doubtful_npwp_only_warns_and_values_are_stored_cleaned(
    loket: Loket, staff: dict[Role, User]
) -> None:
    applicant = person(
        name="  Yohanes   Dadi ",
        nik=" 6108011203850001 ",
        npwp="01.234.567.8-901.000",
        phone="0812-3456-7890",
        email=" yohanes@example.id ",
        address=Address("  Jl.  Pangsuma  7 ", " Hilir  Kantor ", "Ngabang"),
    )
    view = register(
        loket,
        staff,
        applicant=applicant,
        business=Business("  Bengkel   Dadi ", kbli=" 45405 ", kbli_edition=" 2020 "),
    )
    assert [(w.code, w.severity) for w in view.warnings] == [("npwp.checksum", Severity.WARNING)]
    assert "digit pemeriksa" in view.warnings[0].message
    stored = view.record.applicant
    assert stored == Applicant(
        applicant.kind,
        "Yohanes Dadi",
        nik="6108011203850001",
        npwp="012345678901000",
        phone="+6281234567890",
        email="yohanes@example.id",
        address=Address("Jl. Pangsuma 7", "Hilir Kantor", "Ngabang"),
    )
    assert view.record.business == Business("Bengkel Dadi", "45405", "2020")
    assert loket.dossiers.show(staff[FO], view.record.number).warnings == ()


def test_a_company_needs_no_nik_and_brings_no_business(
    loket: Loket, staff: dict[Role, User]
) -> None:
    view = register(loket, staff, 76, applicant=company(), business=None)
    assert view.record.business is None
    assert view.record.applicant.nik == ""
    assert "akta" in {i.key for i in view.record.checklist}


# --- returning applicants ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicant", "query"),
    [
        (person(), "6108011203850001"),
        (company(), NIB),
        (company(nib=""), "cv landak"),
    ],
    ids=["by-nik", "by-nib", "by-name"],
)
def test_a_returning_applicant_is_not_recorded_twice(
    loket: Loket, staff: dict[Role, User], applicant: Applicant, query: str
) -> None:
    first = register(loket, staff, applicant=applicant)
    found = loket.dossiers.find_applicants(staff[FO], query)
    assert [a for _id, a in found] == [first.record.applicant]
    applicant_id = found[0][0]
    before = counts(loket)
    second = register(loket, staff, 76, applicant=first.record.applicant, applicant_id=applicant_id)
    assert counts(loket).applicants == before.applicants
    assert second.record.applicant == first.record.applicant
    assert [s.number for s in loket.dossiers.search(staff[FO], query=query)] == [
        second.record.number,
        first.record.number,
    ]


def test_an_unknown_returning_applicant_is_refused(loket: Loket, staff: dict[Role, User]) -> None:
    register(loket, staff)
    before = counts(loket)
    for applicant in (person(), company(nib="")):
        with pytest.raises(InvalidInput, match="Pemohon yang dipilih tidak ditemukan"):
            register(loket, staff, applicant=applicant, applicant_id="0190-tidak-ada")
    assert counts(loket) == before
    assert register(loket, staff).record.number == "SOP68/2026/FO1/000002"


# --- the registered record is the stored record -------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"walked": WALKED, "started_at": at(0)},
        {"received": frozenset()},  # incomplete: registered as returned
        {"applicant": company(), "business": None},
    ],
    ids=["plain", "walked", "returned", "company"],
)
def test_register_returns_exactly_what_show_reads_back(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, changes: dict[str, Any]
) -> None:
    """register() builds its record from what it wrote instead of reading it back."""
    clock.set(at(30))
    view = register(loket, staff, **changes)
    shown = loket.dossiers.show(staff[FO], view.record.number)
    assert view.record == shown.record
    # To the letter, time zones too: equal datetimes may still print differently.
    assert repr(view.record) == repr(shown.record)
    assert view.deadlines == shown.deadlines


def test_a_clock_without_a_time_zone_is_refused(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    """The service's own clock must be aware, as storage has always required."""
    clock.set(at(30).replace(tzinfo=None))
    before = counts(loket)
    with pytest.raises(ValueError, match="aware"):
        register(loket, staff)
    assert counts(loket) == before


def test_a_returning_applicant_keeps_the_stored_data_not_the_typed(
    loket: Loket, staff: dict[Role, User]
) -> None:
    first = register(loket, staff)
    (applicant_id, stored), *_ = loket.dossiers.find_applicants(
        staff[FO], first.record.applicant.nik
    )
    typed = replace(stored, phone="081299990000")
    second = register(loket, staff, 76, applicant=typed, applicant_id=applicant_id)
    assert second.record.applicant == stored
    assert loket.dossiers.show(staff[FO], second.record.number).record.applicant == stored
