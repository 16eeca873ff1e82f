"""Dossier and permit numbers: per SOP, year and station, and from the office's patterns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from loket.domain.calendar import WIB
from loket.domain.roles import Role
from loket.services.context import Loket, open_loket
from loket.services.errors import InvalidInput, NotFoundError
from loket.services.users import User, UserService
from tests.services.support import (
    CHEAP_HASHER,
    FakeClock,
    counts,
    drive,
    forward,
    issue,
    make_staff,
    register,
)


def _setting(loket: Loket, key: str, value: Any) -> None:
    with loket.storage.writing() as store:
        store.put_setting(key, value)


def test_numbers_count_per_sop_and_per_year(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    numbers = [register(loket, staff, sop).record.number for sop in (68, 68, 76, 68)]
    assert numbers == [
        "SOP68/2026/FO1/000001",
        "SOP68/2026/FO1/000002",
        "SOP76/2026/FO1/000001",
        "SOP68/2026/FO1/000003",
    ]
    clock.set(datetime(2027, 1, 4, 8, 30, tzinfo=WIB))
    assert register(loket, staff, 76).record.number == "SOP76/2027/FO1/000001"
    # A dossier received (walked) on New Year's Eve is numbered in the year it was received.
    late = register(loket, staff, 68, started_at=datetime(2026, 12, 31, 15, 0, tzinfo=WIB))
    assert late.record.number == "SOP68/2026/FO1/000004"


def test_a_new_station_numbers_with_its_own_code(tmp_path: Path, clock: FakeClock) -> None:
    loket = open_loket(data_dir=tmp_path, create=True, clock=clock, station_code=" fo2 ")
    try:
        loket.users = UserService(loket.storage, clock, hasher=CHEAP_HASHER)
        staff = make_staff(loket)
        assert register(loket, staff).record.number == "SOP68/2026/FO2/000001"
        assert register(loket, staff).record.station_code == "FO2"
    finally:
        loket.close()


def test_the_dossier_number_pattern_setting(loket: Loket, staff: dict[Role, User]) -> None:
    _setting(loket, "dossier_number_pattern", "{station}-{sop}/{month:02d}/{year}/{seq:04d}")
    assert register(loket, staff).record.number == "FO1-SOP68/03/2026/0001"
    _setting(loket, "dossier_number_pattern", "berkas-{seq}")
    view = register(loket, staff, 76)
    assert view.record.number == "berkas-1"
    assert loket.dossiers.show(staff[Role.FRONT_OFFICE], " berkas-1 ").record == view.record
    with pytest.raises(NotFoundError):
        loket.dossiers.show(staff[Role.FRONT_OFFICE], "BERKAS-1")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{sop}/{nomor}", "kolom tak dikenal: nomor"),
        ("{sop}/{year}", "harus memuat {seq}"),
        ("{sop}/{seq", "Pola nomor tidak sah"),
        ("{}/{seq}", "dossier_number_pattern"),
        ("{seq:q}", "dossier_number_pattern"),
        ("X" * 70 + "{seq}", "terlalu panjang"),
        (42, "dossier_number_pattern"),
    ],
    ids=["unknown-field", "no-seq", "broken", "positional", "bad-format", "too-long", "number"],
)
def test_a_broken_dossier_pattern_is_refused_and_consumes_nothing(
    loket: Loket, staff: dict[Role, User], pattern: object, message: str
) -> None:
    _setting(loket, "dossier_number_pattern", pattern)
    before = counts(loket)
    with pytest.raises(InvalidInput, match="dossier_number_pattern") as refused:
        register(loket, staff)
    assert message in str(refused.value)
    assert counts(loket) == before
    _setting(loket, "dossier_number_pattern", "")
    assert register(loket, staff).record.number == "SOP68/2026/FO1/000001"


def test_the_permit_number_pattern_setting(loket: Loket, staff: dict[Role, User]) -> None:
    _setting(loket, "permit_number_pattern", "503/{seq:03d}/{code}/DPMPTSP-TK/{roman_month}/{year}")
    signed = issue(loket, staff, register(loket, staff))
    assert signed.record.permit is not None
    assert signed.record.permit.number == "503/001/IUP-BKL/DPMPTSP-TK/III/2026"


def test_a_broken_permit_pattern_refuses_the_signature_and_leaves_no_gap(
    loket: Loket, staff: dict[Role, User]
) -> None:
    at_signing = drive(loket, staff, register(loket, staff), 9)
    _setting(loket, "permit_number_pattern", "503/{kode}/{seq}")
    before = counts(loket)
    with pytest.raises(InvalidInput, match="permit_number_pattern"):
        forward(loket, staff, at_signing)
    assert counts(loket) == before
    _setting(loket, "permit_number_pattern", None)
    signed = forward(loket, staff, at_signing)
    assert signed.record.permit is not None
    assert signed.record.permit.number == "503/0001/IUP-BKL/DPMPTSP-TK/2026"
