"""The working-day calendar: holidays, cuti bersama, office hours and deadlines.

Expected deadlines are worked out by hand from the 2026 dates the ``holidays``
library (0.109) gives for Indonesia, listed in the comments.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.domain.calendar import (
    WARNING_FRACTION,
    ClockState,
    WorkingCalendar,
    add_years,
    clock_state,
)
from loket.domain.sop import TimeStandard, TimeUnit

WIB = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")
CAL = WorkingCalendar()


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def minutes(n: int) -> TimeStandard:
    return TimeStandard(n, TimeUnit.MINUTE)


def hours(n: int) -> TimeStandard:
    return TimeStandard(n, TimeUnit.HOUR)


def days(n: int) -> TimeStandard:
    return TimeStandard(n, TimeUnit.DAY)


# -- Nyepi and Idul Fitri 2026 ------------------------------------------------
# Wed 18 Mar cuti bersama Nyepi, Thu 19 Nyepi, Fri 20 cuti bersama Idul Fitri,
# Sat 21 Idul Fitri, Sun 22 Idul Fitri (day 2), Mon 23 and Tue 24 cuti bersama.


def test_library_gives_the_2026_dates_the_tests_assume() -> None:
    off = [date(2026, 3, d) for d in range(18, 25)]
    assert [CAL.is_working_day(d) for d in off] == [False] * 7
    assert CAL.is_working_day(date(2026, 3, 17))
    assert CAL.is_working_day(date(2026, 3, 25))
    assert CAL.holiday_name(date(2026, 3, 20)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert CAL.holiday_name(date(2026, 3, 19)) == "Hari Suci Nyepi"


def test_five_days_received_the_day_before_nyepi_cuti_bersama() -> None:
    # Received Tue 17 Mar 10:00. Skipped: 18-24 Mar (all above).
    # 1 = Wed 25, 2 = Thu 26, 3 = Fri 27, (Sat 28, Sun 29), 4 = Mon 30, 5 = Tue 31.
    assert CAL.due(at(2026, 3, 17), days(5)) == at(2026, 3, 31)


def test_five_days_received_on_monday_before_the_holidays() -> None:
    # Received Mon 16 Mar 10:00: 1 = Tue 17, skip 18-24, 2 = Wed 25, 3 = Thu 26,
    # 4 = Fri 27, 5 = Mon 30.
    assert CAL.due(at(2026, 3, 16), days(5)) == at(2026, 3, 30)


def test_received_on_a_cuti_bersama_day_starts_at_the_next_opening() -> None:
    # Received Fri 20 Mar (cuti bersama): the clock starts Wed 25 at 08:00, so
    # 1 working day ends Wed 25 at 16:00 and 5 end Tue 31 at 16:00.
    assert CAL.due(at(2026, 3, 20), days(1)) == at(2026, 3, 25, 16)
    assert CAL.due(at(2026, 3, 20), days(5)) == at(2026, 3, 31, 16)
    assert CAL.due(at(2026, 3, 20), minutes(10)) == at(2026, 3, 25, 8, 10)


# -- Christmas and New Year ---------------------------------------------------


def test_christmas_2026() -> None:
    # Thu 24 Dec cuti bersama, Fri 25 Christmas, weekend; received Wed 23 14:00:
    # 1 = Mon 28, 2 = Tue 29.
    assert CAL.holiday_name(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    assert CAL.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert CAL.due(at(2026, 12, 23, 14), days(2)) == at(2026, 12, 29, 14)


def test_new_year_across_the_year_boundary() -> None:
    # Received Wed 30 Dec 2026 10:00: 1 = Thu 31, Fri 1 Jan 2027 New Year,
    # weekend, 2 = Mon 4, Tue 5 Jan Isra Mikraj 2027, 3 = Wed 6.
    assert CAL.holiday_name(date(2027, 1, 1)) == "Tahun Baru Masehi"
    assert CAL.due(at(2026, 12, 30), days(3)) == at(2027, 1, 6)
    assert CAL.working_days_between(date(2026, 12, 30), date(2027, 1, 6)) == 3
    assert CAL.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)


def test_add_working_days_across_several_years() -> None:
    start = date(2026, 12, 30)
    later = CAL.add_working_days(start, 600)
    assert later.year == 2029
    assert CAL.working_days_between(start, later) == 600
    assert CAL.working_days_between(later, start) == -600


# -- the office's own days ----------------------------------------------------
# July 2026 has no national holiday.


def test_office_day_off_is_skipped() -> None:
    cal = WorkingCalendar(days_off=frozenset({date(2026, 7, 8)}))
    assert not cal.is_working_day(date(2026, 7, 8))
    assert cal.holiday_name(date(2026, 7, 8)) == "Libur kantor"
    # Received Tue 7 Jul: 1 = Thu 9 (Wed 8 off), 2 = Fri 10.
    assert cal.due(at(2026, 7, 7), days(2)) == at(2026, 7, 10)
    assert CAL.due(at(2026, 7, 7), days(2)) == at(2026, 7, 9)


def test_extra_working_saturday_counts() -> None:
    cal = WorkingCalendar(extra_working_days=frozenset({date(2026, 7, 11)}))
    assert cal.is_working_day(date(2026, 7, 11))
    assert cal.holiday_name(date(2026, 7, 11)) is None
    assert cal.due(at(2026, 7, 10), days(1)) == at(2026, 7, 11)
    assert CAL.due(at(2026, 7, 10), days(1)) == at(2026, 7, 13)


def test_extra_working_day_overrides_a_national_holiday() -> None:
    cal = WorkingCalendar(extra_working_days=frozenset({date(2026, 8, 17)}))
    assert cal.is_working_day(date(2026, 8, 17))
    assert cal.holiday_name(date(2026, 8, 17)) is None
    assert CAL.holiday_name(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"


def test_national_name_wins_over_an_office_day_off() -> None:
    cal = WorkingCalendar(days_off=frozenset({date(2026, 12, 25)}))
    assert cal.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"


def test_plain_weekend_and_working_day_have_no_holiday_name() -> None:
    assert CAL.holiday_name(date(2026, 7, 11)) is None
    assert CAL.holiday_name(date(2026, 7, 7)) is None


def test_any_set_of_dates_is_accepted_and_the_calendar_stays_hashable() -> None:
    cal = WorkingCalendar(days_off={date(2026, 7, 8)})  # type: ignore[arg-type]
    assert cal.days_off == frozenset({date(2026, 7, 8)})
    assert hash(cal) == hash(WorkingCalendar(days_off=frozenset({date(2026, 7, 8)})))
    assert cal == WorkingCalendar(days_off=frozenset({date(2026, 7, 8)}))


def test_a_date_cannot_be_both_off_and_worked() -> None:
    both = frozenset({date(2026, 7, 8)})
    with pytest.raises(ValueError, match="2026-07-08"):
        WorkingCalendar(days_off=both, extra_working_days=both)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [(time(16), time(8)), (time(8), time(8))],
)
def test_opening_must_be_before_closing(opening: time, closing: time) -> None:
    with pytest.raises(ValueError, match="Jam buka"):
        WorkingCalendar(opening=opening, closing=closing)


@pytest.mark.parametrize(
    "moment",
    [time(8, 0, 30), time(8, 0, 0, 5), time(8, tzinfo=UTC)],
)
def test_office_hours_are_naive_whole_minutes(moment: time) -> None:
    with pytest.raises(ValueError, match="Jam kantor"):
        WorkingCalendar(opening=moment)


# -- minutes and hours in office time ----------------------------------------


def test_minutes_across_closing_time() -> None:
    # Mon 6 Jul 15:50 + 30 min: 10 min on Monday, 20 on Tuesday.
    assert CAL.due(at(2026, 7, 6, 15, 50), minutes(30)) == at(2026, 7, 7, 8, 20)


def test_minutes_ending_exactly_at_closing_stay_on_the_same_day() -> None:
    assert CAL.due(at(2026, 7, 6, 15, 30), minutes(30)) == at(2026, 7, 6, 16)


def test_hours_across_a_weekend() -> None:
    # Fri 10 Jul 14:00 + 4 h: 2 h on Friday, 2 h on Monday.
    assert CAL.due(at(2026, 7, 10, 14), hours(4)) == at(2026, 7, 13, 10)


def test_hours_longer_than_an_office_day() -> None:
    # Mon 6 Jul 10:00: 6 h on Monday, 8 h on Tuesday, then Wednesday.
    assert CAL.due(at(2026, 7, 6), hours(20)) == at(2026, 7, 8, 14)
    assert CAL.due(at(2026, 7, 6), hours(22)) == at(2026, 7, 8, 16)
    assert CAL.due(at(2026, 7, 6), hours(23)) == at(2026, 7, 9, 9)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(2026, 7, 6, 7), at(2026, 7, 6, 8, 10)),  # before opening
        (at(2026, 7, 6, 8), at(2026, 7, 6, 8, 10)),  # at opening
        (at(2026, 7, 6, 16), at(2026, 7, 7, 8, 10)),  # at closing: closed
        (at(2026, 7, 6, 17), at(2026, 7, 7, 8, 10)),  # after closing
        (at(2026, 7, 11, 9), at(2026, 7, 13, 8, 10)),  # Saturday
    ],
)
def test_start_outside_office_hours(start: datetime, expected: datetime) -> None:
    assert CAL.due(start, minutes(10)) == expected


def test_one_day_from_opening_is_due_at_closing_the_same_day() -> None:
    # Same office instant as Tuesday 08:00, and the same as 8 hours.
    assert CAL.due(at(2026, 7, 6, 7), days(1)) == at(2026, 7, 6, 16)
    assert CAL.due(at(2026, 7, 6, 7), hours(8)) == at(2026, 7, 6, 16)


def test_friday_plus_one_day_is_monday_same_time() -> None:
    assert CAL.due(at(2026, 7, 10), days(1)) == at(2026, 7, 13)


def test_aware_input_in_another_zone_is_converted() -> None:
    start = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # 10:00 WIB
    result = CAL.due(start, minutes(30))
    assert result == at(2026, 7, 6, 10, 30)
    assert result.tzinfo is WIB


def test_custom_office_hours_and_zone() -> None:
    wit = ZoneInfo("Asia/Jayapura")
    cal = WorkingCalendar(opening=time(7, 30), closing=time(15, 30), tz=wit)
    start = datetime(2026, 7, 6, 15, 0, tzinfo=wit)
    assert cal.due(start, hours(1)) == datetime(2026, 7, 7, 8, 0, tzinfo=wit)
    assert cal.standard_minutes(days(2)) == 960


class _NoOffset(tzinfo):
    """A tzinfo that knows no offset: as naive as no tzinfo at all."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


@pytest.mark.parametrize(
    "naive", [datetime(2026, 7, 6, 10), datetime(2026, 7, 6, tzinfo=_NoOffset())]
)
def test_naive_datetimes_are_refused(naive: datetime) -> None:
    aware = at(2026, 7, 6)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.due(naive, minutes(10))
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.due_total(naive, [])
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.working_minutes_between(aware, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.fraction_used(naive, aware, minutes(10))


# -- chained steps ------------------------------------------------------------


def test_due_total_chains_the_steps() -> None:
    # Mon 6 Jul 15:00: 10 min -> 15:10; 1 day -> Tue 15:10; 60 min -> Wed 08:10.
    steps = [minutes(10), days(1), hours(1)]
    assert CAL.due_total(at(2026, 7, 6, 15), steps) == at(2026, 7, 8, 8, 10)
    assert CAL.due_total(at(2026, 7, 6, 15), iter(steps)) == at(2026, 7, 8, 8, 10)


def test_due_total_of_nothing_is_the_start_in_local_time() -> None:
    start = datetime(2026, 7, 11, 3, 0, tzinfo=UTC)
    assert CAL.due_total(start, []) == start
    assert CAL.due_total(start, []).tzinfo is WIB


# -- days ---------------------------------------------------------------------


def test_next_working_day_is_strictly_after() -> None:
    assert CAL.next_working_day(date(2026, 7, 6)) == date(2026, 7, 7)
    assert CAL.next_working_day(date(2026, 7, 10)) == date(2026, 7, 13)
    assert CAL.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)


def test_add_working_days_from_a_day_off_and_zero() -> None:
    assert CAL.add_working_days(date(2026, 7, 11), 1) == date(2026, 7, 13)
    assert CAL.add_working_days(date(2026, 7, 11), 0) == date(2026, 7, 11)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(date(2026, 7, 6), -1)


def test_working_days_between_counts_the_half_open_interval() -> None:
    assert CAL.working_days_between(date(2026, 7, 6), date(2026, 7, 6)) == 0
    assert CAL.working_days_between(date(2026, 7, 6), date(2026, 7, 13)) == 5
    assert CAL.working_days_between(date(2026, 7, 11), date(2026, 7, 12)) == 0
    assert CAL.working_days_between(date(2026, 7, 10), date(2026, 7, 11)) == 0
    assert CAL.working_days_between(date(2026, 3, 17), date(2026, 3, 25)) == 1
    assert CAL.working_days_between(date(2026, 7, 13), date(2026, 7, 6)) == -5


def test_a_year_with_no_working_day_is_skipped() -> None:
    first = date(2030, 1, 1)
    whole_year = frozenset(first + timedelta(days=i) for i in range(365))
    cal = WorkingCalendar(days_off=whole_year)
    # 1 January 2031 is New Year's Day.
    assert cal.next_working_day(date(2029, 12, 31)) == date(2031, 1, 2)
    assert cal.working_days_between(date(2029, 12, 31), date(2031, 1, 2)) == 1


def test_years_outside_the_library_have_only_weekends_off() -> None:
    assert CAL.is_working_day(date(1900, 1, 1))
    assert not CAL.is_working_day(date(1900, 1, 6))


# -- elapsed office time ------------------------------------------------------


def test_working_minutes_between_excludes_weekends() -> None:
    # Fri 10 Jul 15:00 -> Mon 13 Jul 09:00: 60 min Friday + 60 min Monday.
    assert CAL.working_minutes_between(at(2026, 7, 10, 15), at(2026, 7, 13, 9)) == 120
    assert CAL.working_minutes_between(at(2026, 7, 13, 9), at(2026, 7, 10, 15)) == -120


def test_working_minutes_between_excludes_holidays() -> None:
    # Tue 17 Mar 15:00 -> Wed 25 Mar 09:00: 60 + 60, 18-24 Mar off.
    assert CAL.working_minutes_between(at(2026, 3, 17, 15), at(2026, 3, 25, 9)) == 120


def test_working_minutes_between_outside_office_hours() -> None:
    assert CAL.working_minutes_between(at(2026, 7, 6, 6), at(2026, 7, 6, 7)) == 0
    assert CAL.working_minutes_between(at(2026, 7, 6, 6), at(2026, 7, 6, 20)) == 480
    assert CAL.working_minutes_between(at(2026, 7, 6, 17), at(2026, 7, 7, 7)) == 0
    assert CAL.working_minutes_between(at(2026, 7, 11, 9), at(2026, 7, 12, 15)) == 0


def test_working_minutes_drop_partial_minutes_towards_zero() -> None:
    start = at(2026, 7, 6, 10)
    end = start + timedelta(seconds=119)
    assert CAL.working_minutes_between(start, end) == 1
    assert CAL.working_minutes_between(end, start) == -1


def test_standard_minutes() -> None:
    assert CAL.standard_minutes(minutes(10)) == 10
    assert CAL.standard_minutes(hours(2)) == 120
    assert CAL.standard_minutes(days(5)) == 2400
    assert CAL.day_length == timedelta(hours=8)


# -- fraction used and colours -------------------------------------------------


def test_fraction_used() -> None:
    start = at(2026, 7, 10, 15)  # Friday
    assert CAL.fraction_used(start, at(2026, 7, 13, 9), hours(4)) == 0.5
    assert CAL.fraction_used(start, CAL.due(start, hours(4)), hours(4)) == 1.0
    assert CAL.fraction_used(start, start, hours(4)) == 0.0
    assert CAL.fraction_used(start, at(2026, 7, 10, 14), hours(4)) == 0.0


@pytest.mark.parametrize(
    ("fraction", "state"),
    [
        (0.0, ClockState.ON_TIME),
        (0.74, ClockState.ON_TIME),
        (WARNING_FRACTION, ClockState.WARNING),
        (1.0, ClockState.WARNING),
        (1.0001, ClockState.OVERDUE),
    ],
)
def test_clock_state(fraction: float, state: ClockState) -> None:
    assert clock_state(fraction) is state


def test_clock_state_along_a_step() -> None:
    start = at(2026, 7, 6, 8)
    std = hours(4)
    assert clock_state(CAL.fraction_used(start, at(2026, 7, 6, 10), std)) is ClockState.ON_TIME
    assert clock_state(CAL.fraction_used(start, at(2026, 7, 6, 11), std)) is ClockState.WARNING
    assert clock_state(CAL.fraction_used(start, at(2026, 7, 6, 12), std)) is ClockState.WARNING
    assert clock_state(CAL.fraction_used(start, at(2026, 7, 6, 13), std)) is ClockState.OVERDUE


# -- properties ---------------------------------------------------------------

ZONES = [WIB, UTC, ZoneInfo("Asia/Jayapura"), ZoneInfo("Europe/Amsterdam")]

starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59),
    timezones=st.sampled_from(ZONES),
)
standards = st.one_of(
    st.builds(minutes, st.integers(1, 600)),
    st.builds(hours, st.integers(1, 48)),
    st.builds(days, st.integers(1, 30)),
)
units = st.sampled_from(list(TimeUnit))
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(start=starts, standard=standards)
def test_deadline_is_on_a_working_day_within_office_hours(
    start: datetime, standard: TimeStandard
) -> None:
    due = CAL.due(start, standard)
    assert due.tzinfo is WIB
    assert CAL.is_working_day(due.date())
    assert CAL.holiday_name(due.date()) is None
    assert CAL.opening < due.time() <= CAL.closing
    assert due > start


@PROPERTY
@given(start=starts, standard=standards)
def test_minutes_used_at_the_deadline_equal_the_standard(
    start: datetime, standard: TimeStandard
) -> None:
    due = CAL.due(start, standard)
    assert CAL.working_minutes_between(start, due) == CAL.standard_minutes(standard)
    assert CAL.fraction_used(start, due, standard) == 1.0


@PROPERTY
@given(start=starts, unit=units, a=st.integers(1, 60), b=st.integers(1, 60))
def test_due_is_monotonic_in_amount(start: datetime, unit: TimeUnit, a: int, b: int) -> None:
    low, high = sorted((a, b))
    due_low = CAL.due(start, TimeStandard(low, unit))
    due_high = CAL.due(start, TimeStandard(high, unit))
    assert due_low <= due_high
    assert (due_low == due_high) == (low == high)


@PROPERTY
@given(start=starts, first=standards, second=standards)
def test_chained_steps_equal_their_summed_minutes(
    start: datetime, first: TimeStandard, second: TimeStandard
) -> None:
    total = CAL.standard_minutes(first) + CAL.standard_minutes(second)
    assert CAL.due_total(start, [first, second]) == CAL.due(start, minutes(total))


@PROPERTY
@given(start=starts, n=st.integers(1, 30))
def test_days_are_due_at_the_same_clock_time(start: datetime, n: int) -> None:
    local = start.astimezone(WIB)
    clock = local.time()
    due = CAL.due(start, days(n))
    if CAL.is_working_day(local.date()) and CAL.opening < clock < CAL.closing:
        assert due.time() == clock
        assert CAL.working_days_between(local.date(), due.date()) == n


@PROPERTY
@given(day=dates, n=st.integers(1, 300))
def test_add_working_days_lands_on_a_working_day(day: date, n: int) -> None:
    later = CAL.add_working_days(day, n)
    assert CAL.is_working_day(later)
    assert later > day
    assert CAL.working_days_between(day, later) == n
    assert CAL.working_days_between(later, day) == -n
    assert CAL.add_working_days(day, n - 1) < later


@PROPERTY
@given(day=dates)
def test_next_working_day_skips_only_days_off(day: date) -> None:
    following = CAL.next_working_day(day)
    skipped = [day + timedelta(days=i) for i in range(1, (following - day).days)]
    assert not any(CAL.is_working_day(d) for d in skipped)
    assert CAL.is_working_day(following)


@PROPERTY
@given(day=dates)
def test_named_days_are_never_working_days(day: date) -> None:
    if CAL.holiday_name(day) is not None:
        assert not CAL.is_working_day(day)


@PROPERTY
@given(a=starts, b=starts, c=starts)
def test_working_minutes_add_up(a: datetime, b: datetime, c: datetime) -> None:
    first, middle, last = sorted((a, b, c))
    whole = CAL.working_minutes_between(first, last)
    parts = CAL.working_minutes_between(first, middle) + CAL.working_minutes_between(middle, last)
    assert parts in {whole, whole - 1}  # partial minutes are dropped in each part
    assert whole >= 0


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 11, 23), 5, date(2031, 11, 23)),
        (date(2028, 2, 29), 5, date(2033, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2028, 2, 29), -1, date(2027, 2, 28)),
    ],
)
def test_years_later_keep_the_day_or_fall_back_from_29_february(
    day: date, years: int, expected: date
) -> None:
    assert add_years(day, years) == expected
