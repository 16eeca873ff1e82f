"""Service-standard clocks over Idul Fitri 2026, lapse policy, and deadlines never on a day off."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loket.domain.calendar import WIB, ClockState, WorkingCalendar
from loket.domain.roles import Role
from loket.domain.sop import TimeStandard, TimeUnit
from loket.services.clocks import ClockPolicy, LapseAction
from loket.services.context import Loket
from loket.services.users import User
from tests.backoffice.support import walk_to
from tests.services.support import FakeClock, register

# From the `holidays` package (Indonesia, public + government): Nyepi on Thursday
# 19 March 2026 with cuti bersama on the 18th; Idul Fitri on Saturday 21 March with
# cuti bersama on Friday the 20th and Monday-Tuesday the 23rd-24th.
FRIDAY_BEFORE_IDUL_FITRI = date(2026, 3, 20)
FIRST_DAY_BACK = date(2026, 3, 25)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def test_the_holidays_are_as_the_library_says() -> None:
    calendar = WorkingCalendar()
    off = [date(2026, 3, d) for d in range(18, 25)]
    assert not any(calendar.is_working_day(d) for d in off)
    assert calendar.holiday_name(FRIDAY_BEFORE_IDUL_FITRI) == "Cuti Bersama Hari Raya Idul Fitri"
    assert calendar.is_working_day(FIRST_DAY_BACK)


def test_a_dossier_received_on_the_friday_before_idul_fitri(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(FRIDAY_BEFORE_IDUL_FITRI, 10))
    # The counter's own step; steps 1-3 are the applicant's and in no queue.
    view = walk_to(loket, staff, register(loket, staff, 68), clock, 4)
    # Its clock starts when the office opens again: 5 working days are 25-27, 30, 31 March.
    assert view.deadlines.dossier_due == at(date(2026, 3, 31), 16)
    counter = staff[Role.FRONT_OFFICE]
    clock.set(at(date(2026, 3, 24), 15))  # still the holiday: nothing used
    (row,) = loket.back_office.worklists.rows(counter)
    assert row.due_at == at(FIRST_DAY_BACK, 8, 10)  # step 4: ten minutes
    assert row.fraction_used == 0.0
    assert row.state is ClockState.ON_TIME
    assert row.days_in_step == 0
    clock.set(at(FIRST_DAY_BACK, 8, 9))
    assert loket.back_office.worklists.rows(counter)[0].state is ClockState.WARNING
    clock.set(at(FIRST_DAY_BACK, 8, 11))
    assert loket.back_office.worklists.rows(counter)[0].state is ClockState.OVERDUE
    assert loket.back_office.clocks.overdue_by_role(counter) == {Role.FRONT_OFFICE: 1}


def test_a_kasi_step_begun_before_the_break_is_due_after_it(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(date(2026, 3, 17), 14))  # Tuesday, the last working day before the break
    view = walk_to(loket, staff, register(loket, staff, 68), clock, 7)
    kasi = staff[Role.KASI_PERIZINAN]
    (row,) = loket.back_office.worklists.rows(kasi)
    started = view.record.state.current_visit.started_at
    assert row.due_at == at(
        FIRST_DAY_BACK, started.astimezone(WIB).hour, started.astimezone(WIB).minute
    )
    clock.set(at(date(2026, 3, 24), 12))
    assert loket.back_office.worklists.rows(kasi)[0].state is ClockState.ON_TIME
    clock.set(row.due_at + timedelta(minutes=1))
    assert loket.back_office.clocks.overdue(kasi)[0].number == view.record.number


def test_lapse_policy_warns_the_next_role_up_or_escalates(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clocks = loket.back_office.clocks
    number = walk_to(loket, staff, register(loket, staff, 68), clock, 7).record.number
    assert clocks.check() == []
    clock.advance(days=2)
    (notice,) = clocks.check()
    assert notice.number == number
    assert notice.role is Role.KASI_PERIZINAN
    assert notice.notified_role is Role.KABID_PERIZINAN
    assert notice.kind is LapseAction.WARN_NEXT_ROLE
    assert clocks.check() == []  # once per visit
    kabid = staff[Role.KABID_PERIZINAN]
    assert [n.id for n in clocks.notices(kabid)] == [notice.id]
    clocks.acknowledge(kabid, notice.id)
    assert clocks.notices(kabid) == []

    clocks.set_policy(staff[Role.ADMIN], ClockPolicy(LapseAction.ESCALATE))
    assert clocks.policy().on_lapse is LapseAction.ESCALATE
    other = walk_to(loket, staff, register(loket, staff, 76), clock, 9).record.number
    clock.advance(days=3)
    (escalated,) = clocks.check()
    assert escalated.number == other
    assert escalated.notified_role is Role.KEPALA_DINAS
    trail = [e["action"] for e in loket.dossiers.audit_trail(kabid, other)]
    assert "deadline_lapsed" in trail


standards = st.builds(
    TimeStandard,
    st.integers(min_value=1, max_value=600),
    st.sampled_from(list(TimeUnit)),
)
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=WIB)
)


@settings(max_examples=300, deadline=None)
@given(start=moments, standard=standards)
def test_a_deadline_never_falls_on_a_day_off(start: datetime, standard: TimeStandard) -> None:
    calendar = WorkingCalendar(days_off=frozenset({date(2026, 8, 18)}))
    due = calendar.due(start, standard).astimezone(WIB)
    assert calendar.is_working_day(due.date())
    assert calendar.holiday_name(due.date()) is None
    assert time(8, 0) < due.time() <= time(16, 0)
    assert calendar.fraction_used(start, due, standard) == 1.0
