"""The working-day calendar that decides every service-standard deadline (*mutu baku*).

The SOPs count time in *hari kerja* (working days) and in minutes or hours of
office time, so a deadline is never a plain ``start + timedelta``: weekends,
national holidays, *cuti bersama* and the office's own days off do not count,
and neither do the hours the counter is closed.

The model is one rule: **office time is a timeline that runs only during office
hours on working days**, and a standard of N minutes, hours or working days is
N office-minutes on that timeline (a working day is one office day's length:
480 minutes for 08:00-16:00). Consequences, all deliberate:

- A start outside office hours or on a day off starts the clock at the next
  opening time. A start exactly at closing time is outside office hours.
- A deadline is the *earliest* instant at which the standard is used up, so it
  always lies in ``(opening, closing]`` of a working day: a 30-minute step
  started at 15:30 is due at 16:00 the same day, not at 08:00 the next day; one
  started at 15:50 is due at 08:20 the next working day.
- N working days are due at the same clock time N working days later (received
  Friday 10:00 with 1 working day: due Monday 10:00). When the clock starts at
  opening time, that same instant on the office timeline is the closing time of
  the N-th working day, which is what is returned: a dossier received before
  opening on Monday with 1 working day is due Monday 16:00, not Tuesday 08:00,
  so that 1 working day and 8 hours give the same deadline.
- Chained steps (:meth:`WorkingCalendar.due_total`) give the same deadline as
  one standard of their summed minutes.

National holidays and *cuti bersama* come from the ``holidays`` library (the
"government" category holds *cuti bersama*). The government decrees *cuti
bersama* year by year, so far-off years may lack them or carry estimated
("perkiraan") dates; the office adds what the library lacks as ``days_off``.

Datetimes are always timezone-aware: the engine never guesses a zone. The
module reads no clock and does no I/O; callers pass every instant in.
"""

from __future__ import annotations

import enum
import functools
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from holidays.countries.indonesia import Indonesia

from loket.domain.i18n import _
from loket.domain.sop import TimeStandard, TimeUnit

__all__ = ["WARNING_FRACTION", "WIB", "ClockState", "WorkingCalendar", "clock_state"]

#: Waktu Indonesia Barat, the office's zone (Kabupaten Landak, Kalimantan Barat).
WIB = ZoneInfo("Asia/Jakarta")

#: From this fraction of the standard used on, a step is shown amber.
WARNING_FRACTION = 0.75

_MINUTE = timedelta(minutes=1)
_ZERO = timedelta(0)
_SATURDAY = 5


class ClockState(enum.StrEnum):
    """How a running step stands against its time standard (green/amber/red)."""

    ON_TIME = "on_time"
    WARNING = "warning"
    OVERDUE = "overdue"


def clock_state(fraction: float) -> ClockState:
    """Colour a fraction of the standard used (see :meth:`WorkingCalendar.fraction_used`).

    Exactly 1.0 is the due instant itself and is not yet overdue: the standard
    allows the whole of its time.
    """
    if fraction > 1:
        return ClockState.OVERDUE
    if fraction >= WARNING_FRACTION:
        return ClockState.WARNING
    return ClockState.ON_TIME


@functools.cache
def _national_holidays(year: int) -> Mapping[date, str]:
    """Indonesian national holidays and *cuti bersama* of ``year``, by date.

    Cached per year for the whole process: the list does not depend on the
    office, and building it is far slower than the lookups that follow.
    """
    found = Indonesia(years=year, categories=("public", "government"), language="id")
    return MappingProxyType(dict(found.items()))


@dataclass(frozen=True, slots=True)
class _YearTable:
    """The working days of one year, for O(1) tests and O(log n) counting."""

    first: int  # ordinal of 1 January
    flags: bytes  # flags[i] is 1 when the day ``first + i`` is a working day
    ordinals: tuple[int, ...]  # ordinals of the working days, ascending

    def is_working(self, ordinal: int) -> bool:
        return self.flags[ordinal - self.first] == 1

    def before(self, ordinal: int) -> int:
        """How many working days of this year fall before ``ordinal``."""
        return bisect_left(self.ordinals, ordinal)


def _is_working(day: date, days_off: frozenset[date], extra: frozenset[date]) -> bool:
    """The rule itself; the tables below only cache it."""
    if day in extra:
        return True
    if day in days_off or day.weekday() >= _SATURDAY:
        return False
    return day not in _national_holidays(day.year)


@functools.lru_cache(maxsize=256)
def _year_table(year: int, days_off: frozenset[date], extra: frozenset[date]) -> _YearTable:
    """Build (once per office configuration and year) the table of working days.

    Shared between equal calendars, so that building a new calendar from the
    same settings does not rebuild the tables.
    """
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    flags = bytes(_is_working(date.fromordinal(o), days_off, extra) for o in range(first, last + 1))
    ordinals = tuple(first + i for i, flag in enumerate(flags) if flag)
    return _YearTable(first, flags, ordinals)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days and office hours of the office, and the deadlines they give.

    ``days_off`` are office-configured extra days off (shown as "Libur kantor");
    ``extra_working_days`` are days worked although they would be off (a
    Saturday make-up day, or even a holiday); a date cannot be both. ``opening``
    and ``closing`` are naive wall-clock times in ``tz``, in whole minutes.
    """

    days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    opening: time = time(8, 0)
    closing: time = time(16, 0)
    tz: ZoneInfo = WIB
    _tables: dict[int, _YearTable] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Accept any set of dates, but keep frozensets: the calendar is hashable.
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        for moment in (self.opening, self.closing):
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                raise ValueError(
                    _("Jam kantor harus berupa jam dan menit tanpa zona waktu: {time}").format(
                        time=moment.isoformat()
                    )
                )
        if self.opening >= self.closing:
            raise ValueError(
                _("Jam buka ({opening}) harus sebelum jam tutup ({closing})").format(
                    opening=self.opening.strftime("%H:%M"), closing=self.closing.strftime("%H:%M")
                )
            )
        both = self.days_off & self.extra_working_days
        if both:
            raise ValueError(
                _("Tanggal ini sekaligus libur kantor dan hari kerja tambahan: {dates}").format(
                    dates=", ".join(sorted(d.isoformat() for d in both))
                )
            )

    # -- days -------------------------------------------------------------

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = _year_table(year, self.days_off, self.extra_working_days)
            self._tables[year] = table
        return table

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on ``day``; O(1) once its year has been seen."""
        return self._table(day.year).is_working(day.toordinal())

    def holiday_name(self, day: date) -> str | None:
        """Why ``day`` is off, in Indonesian, or None.

        National holidays and *cuti bersama* give the library's name (it wins
        over an office day off on the same date, being more telling); office
        days off give "Libur kantor". A plain weekend is not a holiday and an
        extra working day is worked, so both give None. Whenever a name is
        returned, the day is not a working day.
        """
        if day in self.extra_working_days:
            return None
        national = _national_holidays(day.year).get(day)
        if national is not None:
            return national
        if day in self.days_off:
            return _("Libur kantor")
        return None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself when n is 0).

        ``day`` need not be a working day: from a Saturday, 1 working day is
        the next working Monday. Negative n is refused; nothing counts back.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return day
        year = day.year
        table = self._table(year)
        index = bisect_left(table.ordinals, day.toordinal() + 1) + n - 1
        while index >= len(table.ordinals):
            index -= len(table.ordinals)
            year += 1
            table = self._table(year)
        return date.fromordinal(table.ordinals[index])

    def _working_days_from(self, first: date, stop: date) -> int:
        """How many working days d have ``first <= d < stop`` (``first <= stop``)."""
        total = sum(len(self._table(y).ordinals) for y in range(first.year, stop.year))
        start_rank = self._table(first.year).before(first.toordinal())
        return total + self._table(stop.year).before(stop.toordinal()) - start_rank

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``, negative when ``end`` is before ``start``.

        The half-open count makes it the inverse of :meth:`add_working_days`
        (``working_days_between(d, add_working_days(d, n)) == n``) and makes
        "days left" and "days overdue" read naturally from the sign.
        """
        if end < start:
            return -self.working_days_between(end, start)
        inside = self._working_days_from(start, end)
        return inside + int(self.is_working_day(end)) - int(self.is_working_day(start))

    # -- office time ------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        """The office time of one working day (8 hours for 08:00-16:00)."""
        return datetime.combine(date.min, self.closing) - datetime.combine(date.min, self.opening)

    def standard_minutes(self, standard: TimeStandard) -> int:
        """A time standard in office minutes; a working day is one office day long."""
        if standard.unit is TimeUnit.MINUTE:
            return standard.amount
        if standard.unit is TimeUnit.HOUR:
            return 60 * standard.amount
        return standard.amount * (self.day_length // _MINUTE)

    def _local(self, moment: datetime) -> datetime:
        """``moment`` in the calendar's zone; a naive datetime is refused, never guessed."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
        return moment.astimezone(self.tz)

    def _open(self, day: date) -> datetime:
        return datetime.combine(day, self.opening, tzinfo=self.tz)

    def _close(self, day: date) -> datetime:
        return datetime.combine(day, self.closing, tzinfo=self.tz)

    def _clock_start(self, local: datetime) -> datetime:
        """Where the clock starts for a step begun at ``local`` (see the module doc)."""
        day = local.date()
        if self.is_working_day(day) and local < self._close(day):
            return max(local, self._open(day))
        return self._open(self.next_working_day(day))

    def _into_day(self, local: datetime) -> timedelta:
        """Office time of ``local``'s own day that has passed at ``local``."""
        if not self.is_working_day(local.date()):
            return _ZERO
        return min(max(local - self._open(local.date()), _ZERO), self.day_length)

    def _office_time(self, start: datetime, end: datetime) -> timedelta:
        """Office time in ``[start, end]``, both local and ``start <= end``."""
        days = self._working_days_from(start.date(), end.date())
        return days * self.day_length + self._into_day(end) - self._into_day(start)

    def due(self, start: datetime, standard: TimeStandard) -> datetime:
        """When a step begun at ``start`` with ``standard`` is due, in the calendar's zone.

        The earliest instant at which ``standard_minutes(standard)`` office
        minutes have passed since ``start``: on a working day, in
        ``(opening, closing]``.
        """
        clock = self._clock_start(self._local(start))
        remaining = timedelta(minutes=self.standard_minutes(standard))
        left_today = self._close(clock.date()) - clock
        if remaining <= left_today:
            return clock + remaining
        full_days, rest = divmod(remaining - left_today, self.day_length)
        if not rest:
            return self._close(self.add_working_days(clock.date(), full_days))
        return self._open(self.add_working_days(clock.date(), full_days + 1)) + rest

    def due_total(self, start: datetime, standards: Iterable[TimeStandard]) -> datetime:
        """When a chain of steps is due, each starting when the previous one is due.

        With no standards at all, nothing runs and ``start`` (in the calendar's
        zone) is returned.
        """
        moment = self._local(start)
        for standard in standards:
            moment = self.due(moment, standard)
        return moment

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole office minutes from ``start`` to ``end``: the time used against a standard.

        Days off and closed hours do not count. Negative when ``end`` is before
        ``start`` (so "minutes left" until a passed deadline reads as negative);
        partial minutes are dropped, towards zero.
        """
        begin, finish = self._local(start), self._local(end)
        if finish < begin:
            return -self.working_minutes_between(end, start)
        return self._office_time(begin, finish) // _MINUTE

    def fraction_used(self, start: datetime, now: datetime, standard: TimeStandard) -> float:
        """Office time used since ``start`` over the standard: 1.0 at the due instant.

        Exact to the microsecond (no rounding to minutes), and 0.0 when ``now``
        is before ``start`` (clocks of two PCs disagreeing), for :func:`clock_state`.
        """
        begin, finish = self._local(start), self._local(now)
        if finish <= begin:
            return 0.0
        allowed = timedelta(minutes=self.standard_minutes(standard))
        return self._office_time(begin, finish) / allowed


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February falls back to the 28th.

    A permit valid for five years from 29 February 2028 ends on 28 February 2033.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)
