"""Permits nearing the end of their validity or their re-registration (*daftar ulang*).

Only SOPs with a validity rule have such dates: a permit valid "while the
business runs" never expires. The office looks 30 days and 3 months ahead.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from loket.catalog import Catalog
from loket.domain.calendar import WorkingCalendar, add_years
from loket.domain.roles import Permission
from loket.services.users import User, require
from loket.storage.store import PermitRow, Storage

MAX_YEARS_BACK = 30


class Horizon(enum.IntEnum):
    """How far ahead to look, in days."""

    DAYS_30 = 30
    MONTHS_3 = 91


class DueKind(enum.StrEnum):
    EXPIRY = "expiry"  # masa berlaku habis
    REREGISTRATION = "reregistration"  # daftar ulang


@dataclass(frozen=True, slots=True)
class DuePermit:
    permit_number: str
    dossier_number: str
    sop_number: int
    holder: str
    business: str
    phone: str
    kind: DueKind
    due_on: date
    days_left: int


class ExpiryService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock

    def due(self, actor: User, horizon: Horizon = Horizon.DAYS_30) -> list[DuePermit]:
        """Permits whose validity ends, or whose re-registration falls, within ``horizon``."""
        require(actor, Permission.VIEW_DOSSIERS)
        today = self._clock().astimezone(self._calendar.tz).date()
        last = today + timedelta(days=int(horizon))
        found: list[DuePermit] = []
        with self._storage.reading() as store:
            for p in store.permits_valid_until(today, last):
                assert p.valid_until is not None
                found.append(self._due(p, DueKind.EXPIRY, p.valid_until, today))
            for sop in self._catalog.latest():
                every = sop.permit.validity.reregistration_years
                if not every:
                    continue
                for k in range(1, MAX_YEARS_BACK // every + 1):
                    # Issued k*every years before the window: re-registration falls in it.
                    first = add_years(today, -k * every)
                    stop = add_years(last, -k * every) + timedelta(days=1)
                    tz = self._calendar.tz
                    rows = store.permits_issued(
                        datetime.combine(first, time(), tzinfo=tz),
                        datetime.combine(stop, time(), tzinfo=tz),
                        [sop.number],
                    )
                    for p in rows:
                        issued = p.issued_at.astimezone(tz).date()
                        due_on = add_years(issued, k * every)
                        if p.valid_until is None or due_on < p.valid_until:
                            found.append(self._due(p, DueKind.REREGISTRATION, due_on, today))
        return sorted(found, key=lambda d: (d.due_on, d.permit_number))

    @staticmethod
    def _due(p: PermitRow, kind: DueKind, due_on: date, today: date) -> DuePermit:
        return DuePermit(
            p.number,
            p.dossier_number,
            p.sop_number,
            p.holder,
            p.business,
            p.phone,
            kind,
            due_on,
            (due_on - today).days,
        )
