"""One dossier's life through the services, run the same way on any engine.

Not a test module. :func:`life` registers dossiers, moves one through every
step of SOP 68 to hand-over, and returns what a user would read back, with the
random ids taken out, so the result of SQLite and PostgreSQL can be compared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loket.domain.dossier import Applicant, Status
from loket.domain.roles import Role
from loket.domain.sop import ApplicantKind
from loket.services.context import Loket, open_loket
from loket.services.dossiers import Intake
from loket.services.errors import WorkflowRefused
from loket.services.users import SYSTEM, User
from loket.storage.store import Storage
from loket.workflow import Action, Command
from tests.storage.support import Ticker, plain

PASSWORD = "rahasia-sekali"
STAFF = {
    "fo": Role.FRONT_OFFICE,
    "kasi": Role.KASI_PERIZINAN,
    "kabid": Role.KABID_PERIZINAN,
    "kadis": Role.KEPALA_DINAS,
}
BUDI = Applicant(ApplicantKind.INDIVIDUAL, "Budi  Santoso", nik="6108011203850001")
SITI = Applicant(ApplicantKind.INDIVIDUAL, "Siti Aminah", nik="6108014507900002")


def open_new(url: str, data_dir: Path) -> Loket:
    return open_loket(url, data_dir=data_dir, create=True, clock=Ticker())


def open_existing(url: str, data_dir: Path) -> Loket:
    return open_loket(url, data_dir=data_dir, clock=Ticker())


def add_staff(loket: Loket) -> dict[str, User]:
    return {
        name: loket.users.add_user(
            SYSTEM, username=name, full_name=f"Petugas {name}", role=role, password=PASSWORD
        )
        for name, role in STAFF.items()
    }


def register(loket: Loket, actor: User, applicant: Applicant, *, missing: str = "") -> str:
    sop = loket.catalog.get(68)
    received = frozenset(r.key for r in sop.requirements if r.key != missing)
    view = loket.dossiers.register(actor, Intake(68, applicant, None, received))
    return view.record.number


def outbox(loket: Loket) -> list[dict[str, Any]]:
    with Storage(loket.database).reading() as store:
        return store.outbox()


def life(loket: Loket) -> dict[str, Any]:
    """Register two dossiers, carry one to hand-over; everything read back, ids removed."""
    staff = add_staff(loket)
    fo, kasi, kabid, kadis = staff["fo"], staff["kasi"], staff["kabid"], staff["kadis"]
    number = register(loket, fo, BUDI)
    returned = register(loket, fo, SITI, missing="ktp")

    steps: list[tuple[User, Command]] = [
        (fo, Command(Action.COMPLETE_STEP)),
        (fo, Command(Action.SKIP_STEP, reason="sudah punya akun")),
        (fo, Command(Action.SKIP_STEP, reason="sudah login")),
        (fo, Command(Action.COMPLETE_STEP, data=(("sicantik_no", "SC-2025-0001"),))),
        (fo, Command(Action.COMPLETE_STEP)),
        (fo, Command(Action.COMPLETE_STEP)),
        (kasi, Command(Action.COMPLETE_STEP)),
        (kabid, Command(Action.COMPLETE_STEP)),
        (kadis, Command(Action.SIGN)),
        (fo, Command(Action.HAND_OVER)),
    ]
    for actor, command in steps:
        version = loket.dossiers.show(actor, number).record.state.version
        loket.dossiers.act(actor, number, command, seen_version=version)
    final = loket.dossiers.show(fo, number).record
    assert final.state.status is Status.HANDED_OVER
    with pytest.raises(WorkflowRefused):  # a stale screen is refused, never applied
        loket.dossiers.act(fo, number, Command(Action.CANCEL, reason="x"), seen_version=1)

    other = loket.dossiers.show(fo, returned).record
    report = loket.audit.verify(SYSTEM)
    assert report.ok, report.problem
    trail = loket.dossiers.audit_trail(fo, number)
    return {
        "numbers": [number, returned],
        "final": _record(final),
        "returned": _record(other),
        "search_name": plain(loket.dossiers.search(fo, query="budi")),
        "search_name_inner_space": plain(loket.dossiers.search(fo, query="BUDI SAN")),
        "search_nik": plain(loket.dossiers.search(fo, query=SITI.nik)),
        "search_number": plain(loket.dossiers.search(fo, query=number.lower())),
        "search_status": plain(loket.dossiers.search(fo, status=Status.RETURNED)),
        "search_none": plain(loket.dossiers.search(fo, query="zulkifli")),
        "applicants": [plain(a) for _, a in loket.dossiers.find_applicants(fo, "siti")],
        "applicants_nik": [plain(a) for _, a in loket.dossiers.find_applicants(fo, BUDI.nik)],
        "trail": [(e["seq"], e["user"], e["role"], e["action"], e["after"]) for e in trail],
        "audit_checked": report.checked,
        "outbox": [
            (e["client_seq"], e["command"], e["base_version"], _no_ids(e["payload"]))
            for e in outbox(loket)
        ],
    }


def _record(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = plain(record)
    data.pop("id")
    data["created_by"] = "<user>"
    for visit in data["state"]["visits"]:
        visit["user_id"] = visit["user_id"] and "<user>"
    if data["permit"]:
        data["permit"]["signed_by"] = "<user>"
    return data


def _no_ids(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: ("<id>" if k.endswith("_id") and v else v) for k, v in payload.items()}
