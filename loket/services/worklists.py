"""Each role's queue of dossiers waiting on its step, most urgent first.

Urgency is the current step's deadline (*mutu baku* of the step on the working-day
calendar): overdue first (the most overdue at the top), then the nearest deadline,
then the oldest. A deadline is not a column: it depends on the SOP's standard and
the calendar. But within one (SOP, version, step) every dossier has the same
standard, and a deadline only moves later when the step began later, so each such
group, read in order of the time its step began (the dossier's last transition,
``updated_at``, served by the ``ix_dossiers_queue`` index), is already in deadline
order. A page is a merge of those few sorted groups: it reads about ``limit`` rows
per group, however long the queue is, and the :class:`WorklistCursor` carries on
where it stopped (what a lazy list model needs).

The applicant's own steps are in no queue (:func:`queue_role`): a dossier
waiting on the applicant is not the clerk's work.

Filtering by colour uses the same monotony: in a group, the overdue dossiers are
those whose step began before one instant, found by bisection on the calendar, so
the filter and the counts are index ranges too.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from loket.catalog import Catalog, CatalogError, parse_sop
from loket.domain.calendar import WARNING_FRACTION, ClockState, WorkingCalendar, clock_state
from loket.domain.formatting import duration
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.domain.sop import Actor, Sop, Step, TimeStandard
from loket.services.errors import InvalidInput
from loket.services.users import User, require
from loket.storage.store import QueueRow, Storage, Store

MAX_PAGE = 500
DEFAULT_PAGE = 50
#: How far back the bisection looks for a step's start; older steps are overdue anyway.
_LOOKBACK = timedelta(days=3 * 366)
_RESOLUTION = timedelta(microseconds=1)

Group = tuple[int, int, int]  # (sop_number, sop_version, step_no)


class SopBook:
    """The SOP version a dossier was filed under, from the catalog or its stored snapshot."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._known: dict[tuple[int, int], Sop | None] = {}

    def get(self, store: Store, number: int, version: int) -> Sop | None:
        key = (number, version)
        if key not in self._known:
            self._known[key] = self._load(store, number, version)
        return self._known[key]

    def latest(self, number: int) -> Sop | None:
        """The catalog's current version of SOP ``number`` (for labels of reports)."""
        try:
            return self._catalog.get(number)
        except CatalogError:
            return None

    def _load(self, store: Store, number: int, version: int) -> Sop | None:
        try:
            return self._catalog.entry(number, version).sop
        except CatalogError:
            document = store.snapshot(number, version)
        if document is None:
            return None
        return parse_sop(json.loads(document), f"snapshot:SOP{number}v{version}")


def role_of(step: Step) -> Role | None:
    """The user role that works ``step``; None for the applicant's own steps."""
    actor = step.acting_role
    return None if actor is Actor.PEMOHON else Role(actor.value)


def queue_role(step: Step) -> Role | None:
    """The role whose queue holds a dossier waiting at ``step``; None for the applicant's steps.

    A step the applicant performs (bringing the files, opening a SICANTIK account)
    is recorded at the counter, so :func:`role_of` gives the Front Office, who may
    claim and record it. But until the applicant has done it there is nothing for
    the clerk to do: it is not the clerk's work, and its deadline is not the
    clerk's to miss, so it is in no queue and in no queue's counts.
    """
    return None if step.actor is Actor.PEMOHON else role_of(step)


@dataclass(frozen=True, slots=True)
class WorkRow:
    """One line of a worklist: what the screen shows and needs to open the dossier.

    ``days_in_step`` counts working days (*hari kerja*), the unit the SOPs write
    their standards in, so it compares directly with the step's standard and a
    weekend is not two days of delay; whoever shows it says "hari kerja".
    ``due_at`` is an instant: the time left or past it is clock time, as the
    applicant waits it, and is shown next to the deadline itself.
    """

    number: str
    sop_number: int
    sop_name: str
    step_no: int
    activity: str
    role: Role
    applicant: str
    business: str
    received_at: datetime
    step_started_at: datetime
    days_in_step: int  # working days (hari kerja) since the step began
    due_at: datetime
    fraction_used: float
    state: ClockState
    claimed_by: str | None
    claimed_name: str
    version: int


@dataclass(frozen=True, slots=True)
class WorklistCursor:
    """Where each group of a queue stopped: (group, step start, number) of its last row."""

    positions: tuple[tuple[Group, datetime, str], ...]

    def of(self, group: Group) -> tuple[datetime, str] | None:
        for key, moment, number in self.positions:
            if key == group:
                return moment, number
        return None


@dataclass(frozen=True, slots=True)
class WorklistPage:
    rows: tuple[WorkRow, ...]
    cursor: WorklistCursor | None  # None when the queue has no more rows


@dataclass(frozen=True, slots=True)
class QueueCount:
    role: Role
    total: int
    warning: int  # amber: at least 75 % of the standard used, not over
    overdue: int  # red


@dataclass(frozen=True, slots=True)
class _Group:
    key: Group
    sop: Sop
    step: Step
    role: Role
    count: int


@dataclass(frozen=True, slots=True)
class _Range:
    """Step starts ``since <= start < before`` (None: open end)."""

    since: datetime | None
    before: datetime | None


class WorklistService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._calendar = calendar
        self._clock = clock
        self.sops = SopBook(catalog)

    # --- reading a queue --------------------------------------------------------------

    def page(
        self,
        actor: User,
        *,
        role: Role | None = None,
        sop_number: int | None = None,
        state: ClockState | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: WorklistCursor | None = None,
    ) -> WorklistPage:
        """The next ``limit`` rows of ``role``'s queue (the actor's own by default)."""
        require(actor, Permission.VIEW_DOSSIERS)
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(
                _("Jumlah baris per halaman harus 1–{limit}.").format(limit=MAX_PAGE)
            )
        wanted = role or actor.role
        now = self._clock()
        with self._storage.reading() as store:
            groups = [
                g
                for g in self._groups(store)
                if g.role is wanted and sop_number in (None, g.sop.number)
            ]
            streams = [
                self._stream(store, g, self._range(g, state, now), cursor, limit, now)
                for g in groups
            ]
            taken: list[tuple[_Group, QueueRow, WorkRow]] = []
            for _key, group, queued, row in heapq.merge(*streams):
                if state is not None and row.state is not state:
                    continue
                taken.append((group, queued, row))
                if len(taken) == limit:
                    break
        positions = {key: (t, n) for key, t, n in (cursor.positions if cursor else ())}
        for group, queued, _row in taken:
            positions[group.key] = (queued.step_started_at, queued.number)
        following = None
        if len(taken) == limit:
            following = WorklistCursor(tuple((k, t, n) for k, (t, n) in positions.items()))
        return WorklistPage(tuple(row for _g, _q, row in taken), following)

    def rows(
        self,
        actor: User,
        *,
        role: Role | None = None,
        sop_number: int | None = None,
        state: ClockState | None = None,
        limit: int = 1000,
    ) -> list[WorkRow]:
        """Up to ``limit`` rows of a queue, page after page (for lists and reports)."""
        found: list[WorkRow] = []
        cursor: WorklistCursor | None = None
        while len(found) < limit:
            page = self.page(
                actor,
                role=role,
                sop_number=sop_number,
                state=state,
                limit=min(MAX_PAGE, limit - len(found)),
                cursor=cursor,
            )
            found.extend(page.rows)
            if page.cursor is None:
                break
            cursor = page.cursor
        return found

    def counts(self, actor: User, *, sop_number: int | None = None) -> dict[Role, QueueCount]:
        """For every role with work waiting: how many dossiers, how many amber, how many red."""
        require(actor, Permission.VIEW_DOSSIERS)
        now = self._clock()
        totals: dict[Role, list[int]] = {}
        with self._storage.reading() as store:
            for g in self._groups(store):
                if sop_number not in (None, g.sop.number):
                    continue
                over, warn = self._boundaries(g, now)
                overdue = store.count_in_step(g.key, before=over, since=None)
                amber = store.count_in_step(g.key, before=warn, since=None) - overdue
                total = totals.setdefault(g.role, [0, 0, 0])
                total[0] += g.count
                total[1] += amber
                total[2] += overdue
        return {role: QueueCount(role, *values) for role, values in totals.items()}

    # --- helpers ------------------------------------------------------------------------

    def _groups(self, store: Store) -> list[_Group]:
        groups = []
        for number, version, step_no, count in store.open_groups():
            sop = self.sops.get(store, number, version)
            if sop is None:
                continue  # filed under an SOP this PC cannot read: shown by the dossier list
            step = sop.step(step_no)
            role = queue_role(step)
            if role is not None:
                groups.append(_Group((number, version, step_no), sop, step, role, count))
        return groups

    def _stream(
        self,
        store: Store,
        group: _Group,
        span: _Range,
        cursor: WorklistCursor | None,
        chunk: int,
        now: datetime,
    ) -> Iterator[tuple[tuple[datetime, datetime, str], _Group, QueueRow, WorkRow]]:
        """One group's rows in deadline order, read ``chunk`` at a time as the merge asks."""
        after = cursor.of(group.key) if cursor else None
        while True:
            found = store.queue_slice(
                group.key, after=after, before=span.before, since=span.since, limit=chunk
            )
            for queued in found:
                row = self._row(group, queued, now)
                yield (row.due_at, queued.received_at, queued.number), group, queued, row
            if len(found) < chunk:
                return
            after = (found[-1].step_started_at, found[-1].number)

    def _row(self, group: _Group, queued: QueueRow, now: datetime) -> WorkRow:
        calendar, standard = self._calendar, group.step.time
        fraction = calendar.fraction_used(queued.step_started_at, now, standard)
        return WorkRow(
            number=queued.number,
            sop_number=group.sop.number,
            sop_name=group.sop.name,
            step_no=group.step.no,
            activity=group.step.activity,
            role=group.role,
            applicant=queued.applicant,
            business=queued.business,
            received_at=queued.received_at,
            step_started_at=queued.step_started_at,
            days_in_step=max(
                0,
                calendar.working_days_between(
                    queued.step_started_at.astimezone(calendar.tz).date(),
                    now.astimezone(calendar.tz).date(),
                ),
            ),
            due_at=calendar.due(queued.step_started_at, standard),
            fraction_used=fraction,
            state=clock_state(fraction),
            claimed_by=queued.claimed_by,
            claimed_name=queued.claimed_name,
            version=queued.version,
        )

    def _range(self, group: _Group, state: ClockState | None, now: datetime) -> _Range:
        if state is None:
            return _Range(None, None)
        over, warn = self._boundaries(group, now)
        if state is ClockState.OVERDUE:
            return _Range(None, over)
        if state is ClockState.WARNING:
            return _Range(over, warn)
        return _Range(warn, None)

    def _boundaries(self, group: _Group, now: datetime) -> tuple[datetime, datetime]:
        """The earliest step starts that are not overdue, and not even amber, at ``now``."""
        standard, calendar = group.step.time, self._calendar

        def amber(start: datetime) -> bool:
            return calendar.fraction_used(start, now, standard) >= WARNING_FRACTION

        over = overdue_before(calendar, standard, now)
        return over, first_false(amber, now - _LOOKBACK, now)


def overdue_before(calendar: WorkingCalendar, standard: TimeStandard, now: datetime) -> datetime:
    """The earliest step start not yet overdue at ``now``: steps begun before it are late.

    The worklists' red rows and the SLA report's "still open, late" both count
    from this one boundary, so the two always agree.
    """

    def overdue(start: datetime) -> bool:
        return calendar.fraction_used(start, now, standard) > 1

    return first_false(overdue, now - _LOOKBACK, now)


def countdown(row: WorkRow, now: datetime) -> str:
    """``sisa 2 jam 0 menit`` before the step's deadline, ``lewat 1 hari 3 jam`` after it.

    Clock time, as a person waiting feels it; the desktop's column and the command
    line's worklist say the same words.
    """
    left = (row.due_at - now).total_seconds()
    if left < 0:
        return _("lewat {time}").format(time=duration(-left))
    return _("sisa {time}").format(time=duration(left))


def first_false(predicate: Callable[[datetime], bool], low: datetime, high: datetime) -> datetime:
    """The first instant in ``[low, high]`` where a predicate, true then false, turns false.

    ``low`` is returned when it is already false, and ``high`` is assumed false.
    """
    if not predicate(low):
        return low
    while high - low > _RESOLUTION:
        middle = low + (high - low) / 2
        if predicate(middle):
            low = middle
        else:
            high = middle
    return high
