"""Dossier rows and details as plain data: for the CLI's JSON, the register and reports.

The register's rows (and later the monthly report) come from here, so the
question "which dossiers, with what fields" is answered in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from loket.catalog import Catalog, CatalogError
from loket.documents.register import RegisterRow
from loket.domain.dossier import DossierRecord, DossierSummary, Status
from loket.domain.formatting import OFFICE_TZ, long_datetime, short_datetime
from loket.domain.i18n import _
from loket.domain.sop import Sop
from loket.services.errors import InvalidInput
from loket.services.users import SYSTEM
from loket.storage.store import Storage, Store

if TYPE_CHECKING:  # the context builds the services that import this module
    from loket.services.context import Loket

#: Dossiers read per page of the listing, and per read transaction of the details.
REGISTER_PAGE = 10_000
REGISTER_CHUNK = 500


def summary_row(summary: DossierSummary) -> dict[str, Any]:
    return {
        "number": summary.number,
        "sop": summary.sop_number,
        "step": summary.step_no,
        "status": summary.status.value,
        "status_label": summary.status.label,
        "applicant": summary.applicant,
        "nik": summary.nik,
        "business": summary.business,
        "received_at": summary.received_at.isoformat(),
        "received_local": short_datetime(summary.received_at),
        "permit_number": summary.permit_number,
    }


def _status(state: str | None) -> Status | None:
    if state is None:
        return None
    try:
        return Status(state)
    except ValueError:
        raise InvalidInput(
            _("Status tidak dikenal: {state} (pilihan: {choices})").format(
                state=state, choices=", ".join(s.value for s in Status)
            )
        ) from None


def dossier_rows(
    loket: Loket,
    *,
    state: str | None = None,
    sop: int | None = None,
    query: str = "",
    limit: int = 100,
) -> list[dict[str, Any]]:
    summaries = loket.dossiers.search(
        SYSTEM, status=_status(state), sop_number=sop, query=query, limit=limit
    )
    return [summary_row(s) for s in summaries]


def dossier_detail(loket: Loket, number: str) -> dict[str, Any]:
    view = loket.dossiers.show(SYSTEM, number)
    record, sop = view.record, view.sop
    step = sop.step(record.state.step_no)
    return {
        "number": record.number,
        "sop": record.sop_number,
        "sop_version": record.sop_version,
        "sop_name": sop.name,
        "status": record.state.status.value,
        "status_label": record.state.status.label,
        "step": record.state.step_no,
        "step_activity": step.activity,
        "version": record.state.version,
        "received_at": record.received_at.isoformat(),
        "received_local": long_datetime(record.received_at),
        "station": record.station_code,
        "applicant": {
            "kind": record.applicant.kind.value,
            "name": record.applicant.name,
            "nik": record.applicant.nik,
            "nib": record.applicant.nib,
            "npwp": record.applicant.npwp,
            "phone": record.applicant.phone,
            "email": record.applicant.email,
            "address": record.applicant.address.one_line(),
        },
        "business": None
        if record.business is None
        else {
            "name": record.business.name,
            "kbli": record.business.kbli,
            "address": record.business.address.one_line(),
        },
        "references": {"sicantik_no": record.sicantik_no, "oss_nib": record.oss_nib},
        "checklist": [
            {"key": c.key, "name": c.name, "mandatory": c.mandatory, "received": c.received}
            for c in record.checklist
        ],
        "steps": [
            {
                "step": v.step_no,
                "activity": sop.step(v.step_no).activity,
                "started_at": v.started_at.isoformat(),
                "finished_at": v.finished_at.isoformat() if v.finished_at else None,
                "role": v.role,
                "outcome": v.outcome.value if v.outcome else None,
                "reason": v.reason,
            }
            for v in record.state.visits
        ],
        "deadlines": {
            "step_due": view.deadlines.step_due.isoformat() if view.deadlines.step_due else None,
            "dossier_due": view.deadlines.dossier_due.isoformat(),
            "step_fraction": round(view.deadlines.step_fraction, 3),
            "dossier_fraction": round(view.deadlines.dossier_fraction, 3),
        },
        "dossier_due_local": long_datetime(view.deadlines.dossier_due),
        "permit_number": record.permit.number if record.permit else None,
        "permit": None
        if record.permit is None
        else {
            "number": record.permit.number,
            "issued_at": record.permit.issued_at.isoformat(),
            "valid_until": record.permit.valid_until.isoformat()
            if record.permit.valid_until
            else None,
        },
    }


def dossier_detail_text(detail: dict[str, Any]) -> list[str]:
    lines = [
        _("Berkas {number} — SOP {sop} {name} (v{version})").format(
            number=detail["number"],
            sop=detail["sop"],
            name=detail["sop_name"],
            version=detail["sop_version"],
        ),
        _("Status     : {label}").format(label=detail["status_label"]),
        _("Langkah    : {step}. {activity}").format(
            step=detail["step"], activity=detail["step_activity"]
        ),
        _("Diterima   : {when}").format(when=detail["received_local"]),
        _("Tenggat    : {when}").format(when=detail["dossier_due_local"]),
        _("Pemohon    : {name} (NIK {nik})").format(
            name=detail["applicant"]["name"], nik=detail["applicant"]["nik"] or "-"
        ),
    ]
    if detail["business"]:
        lines.append(_("Usaha      : {name}").format(name=detail["business"]["name"]))
    if detail["permit_number"]:
        lines.append(_("Nomor izin : {number}").format(number=detail["permit_number"]))
    lines.append(_("Persyaratan:"))
    for item in detail["checklist"]:
        mark = "x" if item["received"] else " "
        lines.append(f"  [{mark}] {item['name']}")
    lines.append(_("Riwayat langkah:"))
    running = _("berjalan")
    for visit in detail["steps"]:
        lines.append(
            f"  {visit['step']:>2}. {visit['activity']} — {visit['outcome'] or running}"
            + (f" ({visit['reason']})" if visit["reason"] else "")
        )
    return lines


# --- the register (and the monthly report that will aggregate it) -----------------------


@dataclass(frozen=True, slots=True)
class RegisterQuery:
    """Which dossiers the register lists: received in [start, end] (WIB dates), by SOP/status."""

    start: date | None = None
    end: date | None = None
    sop: int | None = None
    status: Status | None = None

    def check(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise InvalidInput(
                _("Tanggal awal {start} jatuh setelah tanggal akhir {end}.").format(
                    start=self.start.isoformat(), end=self.end.isoformat()
                )
            )


def _numbers(store: Store, query: RegisterQuery) -> list[str]:
    """The numbers in the period, oldest first, walking the newest-first listing back."""
    numbers: list[str] = []
    offset = 0
    while True:
        page = store.list_dossiers(
            status=query.status, sop_number=query.sop, limit=REGISTER_PAGE, offset=offset
        )
        for summary in page:
            day = summary.received_at.astimezone(OFFICE_TZ).date()
            if query.end is not None and day > query.end:
                continue
            if query.start is not None and day < query.start:
                numbers.reverse()
                return numbers
            numbers.append(summary.number)
        if len(page) < REGISTER_PAGE:
            numbers.reverse()
            return numbers
        offset += len(page)


def _sop_for(
    catalog: Catalog, record: DossierRecord, known: dict[tuple[int, int], Sop | None]
) -> Sop | None:
    key = (record.sop_number, record.sop_version)
    if key not in known:
        try:
            known[key] = catalog.entry(*key).sop
        except CatalogError:
            try:
                known[key] = catalog.get(record.sop_number)
            except CatalogError:
                known[key] = None
    return known[key]


def register_row(record: DossierRecord, sop: Sop | None) -> RegisterRow:
    finished: dict[int, Any] = {}
    for visit in record.state.visits:
        if visit.finished_at is not None:
            finished[visit.step_no] = visit.finished_at
    activity = ""
    if sop is not None:
        try:
            activity = sop.step(record.state.step_no).activity
        except KeyError:
            activity = ""
    return RegisterRow(
        number=record.number,
        received_at=record.received_at,
        applicant=record.applicant.name,
        business=record.business.name if record.business else "",
        sop_number=record.sop_number,
        sop_name=sop.name if sop else f"SOP {record.sop_number}",
        step_no=record.state.step_no,
        step_activity=activity,
        step_dates=tuple(sorted(finished.items())),
        permit_number=record.permit.number if record.permit else "",
        status=record.state.status.label,
        status_code=record.state.status.value,
    )


def register_rows(
    storage: Storage, catalog: Catalog, query: RegisterQuery
) -> Iterator[RegisterRow]:
    """The register's rows, oldest first, read in chunks so that 100,000 rows stream.

    This is the one place that decides which dossiers the register (and the
    monthly report built on it) contains.
    """
    query.check()
    with storage.reading() as store:
        numbers = _numbers(store, query)
    known: dict[tuple[int, int], Sop | None] = {}
    for start in range(0, len(numbers), REGISTER_CHUNK):
        with storage.reading() as store:
            records = store.dossiers_by_number(numbers[start : start + REGISTER_CHUNK])
        for record in records:
            yield register_row(record, _sop_for(catalog, record, known))
