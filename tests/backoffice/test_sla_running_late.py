"""Steps still open past their due time count as late, apart from the steps finished late."""

from __future__ import annotations

from datetime import date, timedelta

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.monthly import monthly_sheet
from loket.services.sla import SlaRow
from loket.services.users import User
from tests.backoffice.support import claim_and_forward
from tests.services.support import FakeClock, drive, register

REVIEW = 7  # SOP 68: the Kasi's review, one working day


def rows_of(loket: Loket, staff: dict[Role, User], **period: date) -> dict[int, SlaRow]:
    rows = loket.back_office.sla.report(staff[Role.KABID_PERIZINAN], **period)
    return {r.step_no: r for r in rows if r.sop_number == 68}


def test_an_open_step_past_its_due_time_is_late(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    """Monday: two dossiers reach the review. One is reviewed on Thursday, one waits on."""
    finished_late = drive(loket, staff, register(loket, staff, 68), REVIEW)
    drive(loket, staff, register(loket, staff, 68), REVIEW)
    clock.advance(days=3)
    claim_and_forward(loket, staff, finished_late, clock)
    drive(loket, staff, register(loket, staff, 68), REVIEW)  # Thursday: not due yet
    clock.advance(hours=1)

    review = rows_of(loket, staff)[REVIEW]
    assert (review.finished, review.within, review.finished_late) == (1, 0, 1)
    assert (review.running_late, review.late) == (1, 2)
    assert review.share_within == 0
    as_json = review.to_json()
    assert (as_json["finished_late"], as_json["running_late"], as_json["late"]) == (1, 1, 2)
    # The worklist's red rows of the Kasi are the same dossiers.
    overdue = loket.back_office.clocks.overdue(staff[Role.KASI_PERIZINAN])
    assert len(overdue) == review.running_late
    # The counter's steps were all done on time; none of them is open.
    data_entry = rows_of(loket, staff)[6]
    assert (data_entry.finished, data_entry.within, data_entry.running_late) == (3, 3, 0)
    assert data_entry.share_within == 1


def test_a_late_open_step_gets_a_row_without_finished_visits(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    drive(loket, staff, register(loket, staff, 68), REVIEW)
    clock.advance(days=5)
    today = clock.now.date()
    review = rows_of(loket, staff, first=today, last=today)[REVIEW]
    assert (review.finished, review.running_late, review.share_within) == (0, 1, 0)
    # A period wholly in the past has no "now" to hold open steps against.
    past = rows_of(loket, staff, first=today - timedelta(days=5), last=today - timedelta(days=1))
    assert set(past) == {1, 2, 3, 4, 5, 6}  # finished on Monday; the review is still open
    assert all(r.running_late == 0 for r in past.values())


def test_the_monthly_report_shows_steps_running_late_this_month_only(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    drive(loket, staff, register(loket, staff, 68), REVIEW)
    clock.advance(days=3)
    head = staff[Role.KEPALA_DINAS]
    march = loket.back_office.monthly.report(head, date(2026, 3, 1))
    assert march.running_checked_at == clock.now
    (line,) = march.sops
    review = {r.step_no: r for r in line.steps}[REVIEW]
    assert (review.finished, review.running_late) == (0, 1)
    sheet = monthly_sheet(march)
    by_step = {row[1]: dict(zip(sheet.step_headers, row, strict=True)) for row in sheet.step_rows}
    assert by_step[str(REVIEW)]["Masih berjalan, terlambat"] == "1"
    assert by_step[str(REVIEW)]["Selesai terlambat"] == "0"
    assert by_step[str(REVIEW)]["Kepatuhan"] == "0,0%"
    assert ("SOP 68 / 7", 0.0) in sheet.compliance

    clock.advance(days=30)  # April: March is over, its open steps are not measured
    march = loket.back_office.monthly.report(head, date(2026, 3, 1))
    assert march.running_checked_at is None
    sheet = monthly_sheet(march)
    assert {row[7] for row in sheet.step_rows} == {"-"}
    assert all(r.step_no != REVIEW for s in march.sops for r in s.steps)
