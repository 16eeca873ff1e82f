"""The dashboard of the Kabid and the Kepala Dinas, in one call.

Dossiers by step and SOP now, intake and permits issued per day, overdue per
role, the share of finished steps within their standard and the average time per
step against its standard. Every figure is an aggregate over an index (the
queue index for open dossiers, dates for intake, permits and measured steps),
so the call costs about the same on a thousand dossiers as on a million.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from loket.domain.calendar import WorkingCalendar
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.services.errors import InvalidInput
from loket.services.sla import SlaRow, SlaService
from loket.services.users import User, require
from loket.services.worklists import QueueCount, WorklistService, role_of
from loket.storage.store import Storage

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class StepLoad:
    sop_number: int
    sop_name: str
    step_no: int
    activity: str
    role: Role
    open: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    first_day: date
    last_day: date
    by_step: tuple[StepLoad, ...]  # dossiers in progress now
    status_counts: dict[str, int]
    intake_per_day: tuple[tuple[date, int], ...]
    issued_per_day: tuple[tuple[date, int], ...]
    queues: dict[Role, QueueCount]  # waiting, amber and overdue per role
    steps: tuple[SlaRow, ...]  # finished in the window, against the standard
    made_at: datetime

    @property
    def share_within(self) -> float:
        finished = sum(s.finished for s in self.steps)
        return sum(s.within for s in self.steps) / finished if finished else 0.0

    @property
    def overdue_per_role(self) -> dict[Role, int]:
        return {role: count.overdue for role, count in self.queues.items()}


class DashboardService:
    def __init__(
        self,
        storage: Storage,
        worklists: WorklistService,
        sla: SlaService,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._worklists = worklists
        self._sla = sla
        self._calendar = calendar
        self._clock = clock

    def dashboard(self, actor: User, days: int = DEFAULT_DAYS) -> Dashboard:
        """The figures of the last ``days`` days (today included) and of now."""
        require(actor, Permission.VIEW_DOSSIERS)
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(_("Jangka dasbor harus 1–{limit} hari.").format(limit=MAX_DAYS))
        now = self._clock()
        tz = self._calendar.tz
        last = now.astimezone(tz).date()
        first = last - timedelta(days=days - 1)
        start = datetime.combine(first, time(), tzinfo=tz)
        end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)
        offset = now.astimezone(tz).utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        self._sla.refresh()
        with self._storage.reading() as store:
            groups = store.open_groups()
            statuses: dict[str, int] = {}
            for (_sop, status), n in store.status_counts_by_sop().items():
                statuses[status] = statuses.get(status, 0) + n
            intake = store.per_day("received", start, end, minutes)
            issued = store.per_day("issued", start, end, minutes)
            stats = store.step_stats(first, last + timedelta(days=1))
            loads = []
            for number, version, step_no, count in groups:
                sop = self._worklists.sops.get(store, number, version)
                if sop is None:
                    continue
                step = sop.step(step_no)
                # The applicant's own steps are recorded at the counter.
                role = role_of(step) or Role.FRONT_OFFICE
                loads.append(StepLoad(number, sop.name, step_no, step.activity, role, count))
        queues = self._worklists.counts(actor)
        merged: dict[tuple[int, int], StepLoad] = {}
        for load in loads:  # versions of one SOP are one bar
            key = (load.sop_number, load.step_no)
            known = merged.get(key)
            merged[key] = load if known is None else _plus(known, load.open)
        days_in = [first + timedelta(days=i) for i in range(days)]
        return Dashboard(
            first_day=first,
            last_day=last,
            by_step=tuple(merged[k] for k in sorted(merged)),
            status_counts=statuses,
            intake_per_day=tuple((d, intake.get(d, 0)) for d in days_in),
            issued_per_day=tuple((d, issued.get(d, 0)) for d in days_in),
            queues=queues,
            steps=tuple(sorted((self._sla.row(s) for s in stats), key=_by_step)),
            made_at=now,
        )


def _plus(load: StepLoad, more: int) -> StepLoad:
    return StepLoad(
        load.sop_number, load.sop_name, load.step_no, load.activity, load.role, load.open + more
    )


def _by_step(row: SlaRow) -> tuple[int, int]:
    return row.sop_number, row.step_no
