"""Service-standard compliance per SOP and step: the data of ``loket report sla``.

Every finished step visit is measured once against its step's time standard on
the working-day calendar and kept in ``step_results`` (see
:meth:`SlaService.refresh`); the reports then aggregate in SQL. A visit counts
as within standard when the office time it took is at most its standard, the
same rule that colours a running step (:func:`loket.domain.calendar.clock_state`).

A step still open whose due time has already passed is late too, even though it
has no result yet: a report that counted finished steps only would look best
exactly when the office is most behind. Such steps are counted at the moment of
the report (:meth:`SlaService.running_late`, the same rule and index ranges as
the red rows of the worklists) and kept apart from the finished ones: "selesai
terlambat" (``finished_late``) versus "masih berjalan, terlambat"
(``running_late``). A step the applicant has still to perform is not counted: the
dossier waits on the applicant, not on the office.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from loket.domain.calendar import WorkingCalendar
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.domain.sop import Sop
from loket.services.errors import InvalidInput
from loket.services.users import User, require
from loket.services.worklists import SopBook, overdue_before, queue_role
from loket.storage.store import StepStats, Storage, VisitRow

#: Visits finishing this long before the last measured one are still looked for: a
#: registration records its walked steps with the times typed at the counter.
SLACK = timedelta(days=1)
BATCH = 5000

StepKey = tuple[int, int]  # (sop_number, step_no)


@dataclass(frozen=True, slots=True)
class SlaRow:
    sop_number: int
    sop_name: str
    step_no: int
    activity: str
    standard_minutes: int
    finished: int
    within: int
    average_minutes: float
    longest_minutes: int
    running_late: int = 0  # still open and already past their due time

    @property
    def finished_late(self) -> int:
        """Finished, but after their due time (*selesai terlambat*)."""
        return self.finished - self.within

    @property
    def late(self) -> int:
        return self.finished_late + self.running_late

    @property
    def share_within(self) -> float:
        """Within standard among the finished steps and the open ones already late."""
        counted = self.finished + self.running_late
        return self.within / counted if counted else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "sop": self.sop_number,
            "sop_name": self.sop_name,
            "step": self.step_no,
            "activity": self.activity,
            "standard_minutes": self.standard_minutes,
            "finished": self.finished,
            "within_standard": self.within,
            "finished_late": self.finished_late,
            "running_late": self.running_late,
            "late": self.late,
            # Within standard among finished and still-open late steps; the share
            # among finished steps alone (what this key meant before) has its own key.
            "share_within": round(self.share_within, 4),
            "share_within_finished": round(self.within / self.finished, 4) if self.finished else 0,
            "average_minutes": round(self.average_minutes, 1),
            "longest_minutes": self.longest_minutes,
        }


class SlaService:
    def __init__(
        self,
        storage: Storage,
        sops: SopBook,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._sops = sops
        self._calendar = calendar
        self._clock = clock

    def refresh(self) -> int:
        """Measure the visits finished since the last refresh; how many were measured.

        Derived data, rebuilt from ``step_visits`` at will, so not audited. Each
        batch is its own short transaction, so a first run over a large database
        does not hold the write lock for long.
        """
        with self._storage.reading() as store:
            latest = store.latest_scored()
            rebuild = store.step_days_missing()
        if rebuild:  # measured before the daily sums existed (migration 0004)
            with self._storage.writing() as store:
                store.rebuild_step_days(self._offset_minutes())
        since = None if latest is None else latest - SLACK
        measured = 0
        while True:
            with self._storage.writing() as store:
                visits = store.unscored_visits(since, BATCH)
                rows = [r for r in (self._measure(store, v) for v in visits) if r is not None]
                store.add_step_results(rows)
                store.add_step_days(*self._by_day(rows))
            measured += len(rows)
            if len(visits) < BATCH:
                return measured
            since = visits[-1].finished_at

    def _offset_minutes(self) -> int:
        offset = self._clock().astimezone(self._calendar.tz).utcoffset() or timedelta(0)
        return int(offset.total_seconds() // 60)

    def _by_day(self, rows: list[dict[str, Any]]) -> tuple[list[StepStats], list[date]]:
        """Measured visits summed per office-local day, SOP and step."""
        sums: dict[tuple[date, int, int], list[int]] = {}
        for row in rows:
            day = row["finished_at"].astimezone(self._calendar.tz).date()
            total = sums.setdefault((day, row["sop_number"], row["step_no"]), [0, 0, 0, 0])
            total[0] += 1
            total[1] += int(row["within"])
            total[2] += row["minutes"]
            total[3] = max(total[3], row["minutes"])
        keys = list(sums)
        stats = [StepStats(sop, step, *sums[day, sop, step]) for day, sop, step in keys]
        return stats, [day for day, _sop, _step in keys]

    def _measure(self, store: Any, visit: VisitRow) -> dict[str, Any] | None:
        sop = self._sops.get(store, visit.sop_number, visit.sop_version)
        if sop is None or visit.finished_at is None:
            return None
        standard = sop.step(visit.step_no).time
        calendar = self._calendar
        return {
            "visit_id": visit.id,
            "dossier_id": visit.dossier_id,
            "sop_number": visit.sop_number,
            "sop_version": visit.sop_version,
            "step_no": visit.step_no,
            "role": visit.role or "",
            "outcome": visit.outcome or "",
            "finished_at": visit.finished_at,
            "minutes": max(
                0, calendar.working_minutes_between(visit.started_at, visit.finished_at)
            ),
            "standard_minutes": calendar.standard_minutes(standard),
            "within": calendar.fraction_used(visit.started_at, visit.finished_at, standard) <= 1,
        }

    def report(
        self, actor: User, first: date | None = None, last: date | None = None
    ) -> list[SlaRow]:
        """Per SOP and step: visits finished between ``first`` and ``last`` (local dates).

        When the period reaches today, the steps still open and already past their
        due time now are counted as well (``running_late``); a period wholly in the
        past has no "now" to measure open steps against.
        """
        require(actor, Permission.VIEW_DOSSIERS)
        if first is not None and last is not None and last < first:
            raise InvalidInput(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
        self.refresh()
        now = self._clock()
        today = now.astimezone(self._calendar.tz).date()
        current = (first is None or first <= today) and (last is None or today <= last)
        late = self.running_late(now) if current else {}
        with self._storage.reading() as store:
            stats = store.step_stats(first, None if last is None else last + timedelta(days=1))
        return self.rows(stats, late)

    def rows(self, stats: Iterable[StepStats], late: Mapping[StepKey, int]) -> list[SlaRow]:
        """Report rows of finished-step sums and of open steps running late, by step.

        A step with late open visits but none finished in the period still gets a row.
        """
        by_step = {(s.sop_number, s.step_no): s for s in stats}
        for sop_number, step_no in late:
            by_step.setdefault((sop_number, step_no), StepStats(sop_number, step_no, 0, 0, 0, 0))
        return [
            replace(self.row(by_step[key]), running_late=late.get(key, 0))
            for key in sorted(by_step)
        ]

    def running_late(self, moment: datetime) -> dict[StepKey, int]:
        """Per SOP and step, the dossiers in progress whose current step is overdue at ``moment``.

        Within one (SOP, version, step) the standard is the same, so the overdue
        dossiers are those whose step began before one instant, found by bisection on
        the calendar; each group is then one index range count (as in the worklists).
        """
        calendar = self._calendar
        late: dict[StepKey, int] = {}
        with self._storage.reading() as store:
            for number, version, step_no, _count in store.open_groups():
                sop = self._sops.get(store, number, version)
                if sop is None or step_no not in {s.no for s in sop.steps}:
                    continue
                if queue_role(sop.step(step_no)) is None:
                    continue  # waiting on the applicant, not on the office
                before = overdue_before(calendar, sop.step(step_no).time, moment)
                count = store.count_in_step((number, version, step_no), before=before, since=None)
                if count:
                    late[number, step_no] = late.get((number, step_no), 0) + count
        return late

    def stats(self, first: date | None, stop: date | None) -> list[StepStats]:
        """The raw aggregates of local days ``first <= day < stop``."""
        with self._storage.reading() as store:
            return store.step_stats(first, stop)

    def row(self, stats: StepStats) -> SlaRow:
        """One aggregate as a report row, labelled from the SOP's current version."""
        return self._row(self._sops.latest(stats.sop_number), stats)

    def _row(self, sop: Sop | None, stats: StepStats) -> SlaRow:
        step = None
        if sop is not None and stats.step_no in {s.no for s in sop.steps}:
            step = sop.step(stats.step_no)
        return SlaRow(
            sop_number=stats.sop_number,
            sop_name=sop.name if sop else "",
            step_no=stats.step_no,
            activity=step.activity if step else "",
            standard_minutes=self._calendar.standard_minutes(step.time) if step else 0,
            finished=stats.finished,
            within=stats.within,
            average_minutes=stats.total_minutes / stats.finished if stats.finished else 0.0,
            longest_minutes=stats.longest_minutes,
        )
