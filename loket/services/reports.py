"""Dossier rows and details as plain data: for the CLI's JSON, the register and reports.

The register's rows (and later the monthly report) come from here, so the
question "which dossiers, with what fields" is answered in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from loket.catalog import Catalog, CatalogError
from loket.documents.register import RegisterRow
from loket.domain.dossier import DossierSummary, Outcome, Status
from loket.domain.formatting import OFFICE_TZ, long_datetime, short_datetime
from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.domain.sop import Sop
from loket.services.errors import InvalidInput
from loket.services.users import SYSTEM
from loket.storage.store import RegisterEntry, Storage

if TYPE_CHECKING:  # the context builds the services that import this module
    from loket.services.context import Loket

#: Register lines read per read transaction.
REGISTER_PAGE = 2_000


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
        outcome = Outcome(visit["outcome"]).label if visit["outcome"] else running
        if visit["role"]:  # two steps may share a name (SOP 68's Kasi and Kabid checks)
            outcome = _("{outcome} oleh {role}").format(
                outcome=outcome, role=Role(visit["role"]).label
            )
        lines.append(
            f"  {visit['step']:>2}. {visit['activity']} — {outcome}"
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


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=OFFICE_TZ)


def _sop_for(
    catalog: Catalog, number: int, version: int, known: dict[tuple[int, int], Sop | None]
) -> Sop | None:
    """The SOP version a dossier was filed under, else its current one, else none."""
    key = (number, version)
    if key not in known:
        try:
            known[key] = catalog.entry(*key).sop
        except CatalogError:
            try:
                known[key] = catalog.get(number)
            except CatalogError:
                known[key] = None
    return known[key]


def register_row(entry: RegisterEntry, sop: Sop | None) -> RegisterRow:
    finished = dict(entry.finished)  # a step visited again keeps its last finish
    activity = ""
    if sop is not None:
        try:
            activity = sop.step(entry.step_no).activity
        except KeyError:
            activity = ""
    return RegisterRow(
        number=entry.number,
        received_at=entry.received_at,
        applicant=entry.applicant,
        business=entry.business,
        sop_number=entry.sop_number,
        sop_name=sop.name if sop else f"SOP {entry.sop_number}",
        step_no=entry.step_no,
        step_activity=activity,
        step_dates=tuple(sorted(finished.items())),
        permit_number=entry.permit_number,
        status=entry.status.label,
        status_code=entry.status.value,
    )


def register_rows(
    storage: Storage, catalog: Catalog, query: RegisterQuery
) -> Iterator[RegisterRow]:
    """The register's rows, oldest first, read page by page so that 100,000 rows stream.

    This is the one place that decides which dossiers the register (and the
    monthly report built on it) contains: received on the office-local days
    ``start`` to ``end``, both included.
    """
    query.check()
    start = None if query.start is None else _local_midnight(query.start)
    end = None if query.end is None else _local_midnight(query.end + timedelta(days=1))
    known: dict[tuple[int, int], Sop | None] = {}
    after: tuple[datetime, str] | None = None
    while True:
        with storage.reading() as store:
            page = store.register_entries(
                start=start,
                end=end,
                sop_number=query.sop,
                status=query.status,
                after=after,
                limit=REGISTER_PAGE,
            )
        for entry in page:
            yield register_row(entry, _sop_for(catalog, entry.sop_number, entry.sop_version, known))
        if len(page) < REGISTER_PAGE:
            return
        after = (page[-1].received_at, page[-1].number)
