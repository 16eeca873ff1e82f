"""The monthly report's stock at the month's end: in process versus returned to the applicant."""

from __future__ import annotations

from datetime import date, datetime

from loket.domain.calendar import WIB
from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.monthly import SopMonth, monthly_sheet
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import FakeClock, drive, register

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def sop68(loket: Loket, staff: dict[Role, User], month: date) -> SopMonth:
    report = loket.back_office.monthly.report(staff[Role.KEPALA_DINAS], month)
    (line,) = [s for s in report.sops if s.sop_number == 68]
    return line


def test_returned_dossiers_are_not_in_process(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    """March: one dossier in process, one returned at the counter for a missing file."""
    register(loket, staff, 68)
    returned = register(loket, staff, 68, received=frozenset({"nib"}))
    assert returned.record.state.status is Status.RETURNED
    clock.advance(days=2)
    line = sop68(loket, staff, MARCH)
    assert (line.received, line.returned) == (2, 1)
    assert (line.in_process, line.awaiting_applicant) == (1, 1)
    sheet = monthly_sheet(loket.back_office.monthly.report(staff[Role.KEPALA_DINAS], MARCH))
    (row,) = [r for r in sheet.sop_rows if r[0].startswith("SOP 68")]
    by_header = dict(zip(sheet.sop_headers, row, strict=True))
    assert (by_header["Dalam proses"], by_header["Menunggu pemohon"]) == ("1", "1")
    assert dict(sheet.chart_series)["Dalam proses"] == (1,)


def test_a_past_month_counts_the_state_at_its_end(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    """Returned in March and still waiting; received in March but returned only in April."""
    register(loket, staff, 68)
    register(loket, staff, 68, received=frozenset({"nib"}))
    later = drive(loket, staff, register(loket, staff, 68), 6).record.number
    clock.set(datetime(2026, 4, 6, 10, 0, tzinfo=WIB))
    loket.dossiers.act(
        staff[Role.FRONT_OFFICE],
        later,
        Command(Action.RETURN_FILES, reason="Pas foto buram"),
        received={"pas_foto": False},
    )
    march = sop68(loket, staff, MARCH)
    assert (march.in_process, march.awaiting_applicant) == (2, 1)
    april = sop68(loket, staff, APRIL)
    assert (april.returned, april.in_process, april.awaiting_applicant) == (1, 1, 2)
    # Brought back in April: in process again at April's end, still returned at March's.
    loket.dossiers.act(
        staff[Role.FRONT_OFFICE], later, Command(Action.RESUME), received={"pas_foto": True}
    )
    april = sop68(loket, staff, APRIL)
    assert (april.in_process, april.awaiting_applicant) == (2, 1)
    march = sop68(loket, staff, MARCH)
    assert (march.in_process, march.awaiting_applicant) == (2, 1)
