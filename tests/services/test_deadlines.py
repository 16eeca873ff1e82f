"""The service standard's clocks, through the office calendar (a smoke check of the wiring)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from loket.domain.calendar import WIB
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import (
    FakeClock,
    LoketFactory,
    forward,
    issue,
    make_staff,
    register,
)


def wib(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def test_received_on_a_cuti_bersama_friday(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    # Friday 20 March 2026 is cuti bersama for Idul Fitri; the office reopens on
    # Wednesday the 25th, so five working days run 25, 26, 27, 30 and 31 March.
    clock.set(wib(20, 10))
    view = register(loket, staff)
    deadlines = view.deadlines
    assert deadlines.dossier_due == wib(31, 16)
    assert deadlines.step_due == wib(25, 8, 10)  # step 1: ten minutes of office time
    assert (deadlines.step_fraction, deadlines.dossier_fraction) == (0.0, 0.0)
    clock.set(wib(25, 8, 5))
    later = loket.dossiers.show(staff[Role.FRONT_OFFICE], view.record.number).deadlines
    assert later.step_fraction == pytest.approx(0.5)
    assert later.dossier_fraction == pytest.approx(5 / (5 * 8 * 60))


def test_an_ordinary_monday(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    view = register(loket, staff)
    assert view.deadlines.dossier_due == wib(9, 9)
    assert view.deadlines.step_due == wib(2, 9, 10)
    moved = forward(loket, staff, view)
    assert moved.deadlines.step_due == wib(2, 9, 5)  # step 2: five minutes, from 09:00


def test_the_clock_stops_when_the_permit_is_signed(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = register(loket, staff)
    clock.set(wib(4, 9))
    signed = issue(loket, staff, view)
    used = signed.deadlines.dossier_fraction
    assert used == pytest.approx(2 / 5)  # two working days of five
    assert signed.deadlines.step_due is None
    clock.set(wib(30, 9))
    handed = loket.dossiers.act(
        staff[Role.FRONT_OFFICE], view.record.number, Command(Action.HAND_OVER)
    )
    assert handed.deadlines.dossier_fraction == pytest.approx(used)


def test_office_days_off_are_read_when_loket_opens(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "data"
    first = make_loket(folder, clock)
    with first.storage.writing() as store:
        store.add_day_off(date(2026, 3, 3), "Hari jadi Kabupaten Landak (contoh)")
    first.close()
    loket = make_loket(folder, clock)
    view = register(loket, make_staff(loket))
    assert view.deadlines.dossier_due == wib(10, 9)  # one day later than without it
