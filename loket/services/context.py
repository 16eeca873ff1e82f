"""Building the core once: database, catalog, calendar, clock and services.

The CLI, the desktop's composition root and the tests all open Loket through
:func:`open_loket`, so there is one way to get a working set of services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loket.catalog import Catalog, default_sop_dirs
from loket.domain.calendar import WIB, WorkingCalendar
from loket.domain.i18n import _
from loket.services.audit import AuditService
from loket.services.backoffice import BackOffice, build_back_office
from loket.services.documents import DocumentService
from loket.services.dossiers import DEFAULT_STATION, DossierService
from loket.services.errors import InvalidInput
from loket.services.keys import KeyStore
from loket.services.office import OfficeService
from loket.services.permit_seal import PermitSeal
from loket.services.users import UserService
from loket.storage import migrate
from loket.storage.database import Database, default_data_dir, resolve_url
from loket.storage.store import Identity, Storage

STATION_CODE_MAX = 8


def system_clock() -> datetime:
    return datetime.now(WIB)


@dataclass
class Loket:
    """Everything a front end needs, built once per process."""

    database: Database
    storage: Storage
    catalog: Catalog
    calendar: WorkingCalendar
    clock: Callable[[], datetime]
    users: UserService
    dossiers: DossierService
    audit: AuditService
    office: OfficeService
    documents: DocumentService
    back_office: BackOffice
    data_dir: Path

    def close(self) -> None:
        self.database.dispose()


def initialise(database: Database, *, station_code: str, clock: Callable[[], datetime]) -> bool:
    """Create or upgrade the schema and give the database its identity; idempotent."""
    station = station_code.strip().upper()
    if not station.isalnum() or len(station) > STATION_CODE_MAX:
        raise InvalidInput(
            _("Kode stasiun harus 1–{limit} huruf atau angka, misalnya FO1.").format(
                limit=STATION_CODE_MAX
            )
        )
    changed = migrate.upgrade(database)
    storage = Storage(database)
    with storage.writing() as store:
        if store.identity() is None:
            store.create_identity(station, clock())
            changed = True
    return changed


def identity(loket: Loket) -> Identity | None:
    with loket.storage.reading() as store:
        return store.identity()


def open_loket(
    url: str | None = None,
    *,
    data_dir: Path | None = None,
    clock: Callable[[], datetime] = system_clock,
    create: bool = False,
    station_code: str = DEFAULT_STATION,
    sop_dirs: list[Path] | None = None,
) -> Loket:
    """Open (and with ``create``, initialise) the database and build the services."""
    folder = data_dir or default_data_dir()
    database = Database(resolve_url(url, folder))
    try:
        if create:
            initialise(database, station_code=station_code, clock=clock)
        else:
            migrate.require_current(database)
        catalog = Catalog.from_dirs(sop_dirs or default_sop_dirs(folder))
        storage = Storage(database)
        with storage.reading() as store:
            days_off = store.days_off()
        calendar = WorkingCalendar(days_off=days_off)
    except BaseException:
        database.dispose()
        raise
    # One instance of each service, shared by those that build on another.
    office = OfficeService(storage, clock)
    seal = PermitSeal(KeyStore(folder), office.office)
    dossiers = DossierService(storage, catalog, calendar, clock, seal)
    return Loket(
        database=database,
        storage=storage,
        catalog=catalog,
        calendar=calendar,
        clock=clock,
        users=UserService(storage, clock),
        dossiers=dossiers,
        audit=AuditService(storage),
        office=office,
        documents=DocumentService(storage, catalog, dossiers, office, clock, folder),
        back_office=build_back_office(storage, catalog, calendar, clock, folder),
        data_dir=folder,
    )
