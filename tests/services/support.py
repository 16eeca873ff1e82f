"""Helpers of the service tests: a fake clock, staff, applicants, driving dossiers.

Not a test module (no ``test_`` prefix): imported by the tests and the conftest.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from argon2 import PasswordHasher

from loket.domain.calendar import WIB
from loket.domain.dossier import Address, Applicant, Business
from loket.domain.roles import Role
from loket.domain.sop import ApplicantKind, Step, StepKind
from loket.services.context import Loket, open_loket
from loket.services.dossiers import DossierView, Intake
from loket.services.users import SYSTEM, User, UserService
from loket.storage import models
from loket.storage.database import DB_FILE_NAME
from loket.workflow import Action, Command

#: A Monday and a working day in Kabupaten Landak (WIB = Asia/Jakarta).
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)

#: argon2id, but far cheaper than the default: the suite hashes dozens of passwords.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "rahasia-123"

NIK = "6108011203850001"  # Ngabang, born 12 March 1985
NIB = "9120001234567"
FIELD_VALUES = {
    "sicantik_username": "yohanes.dadi",
    "sicantik_no": "SC-2026-000123",
    "oss_nib": NIB,
    "tanggal_pemeriksaan": "2026-03-05",
    "rekomendasi": "Layak diterbitkan",
    "lokasi": "Jl. Raya Ngabang km 2",
    "luas_m2": "12,5",
}


class FakeClock:
    """A clock the test sets and moves; always an aware datetime in WIB."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


class LoketFactory(Protocol):
    def __call__(
        self, folder: Path, clock: FakeClock, sop_dirs: list[Path] | None = None
    ) -> Loket: ...


def open_copy(
    template: Path, folder: Path, clock: FakeClock, sop_dirs: list[Path] | None = None
) -> Loket:
    """``open_loket(create=True)`` on ``folder``, seeded with a copy of ``template``.

    The copy saves building the schema again; a folder that already holds a
    database (a reopened Loket) is opened as it is.
    """
    target = folder / DB_FILE_NAME
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
    loket = open_loket(data_dir=folder, create=True, clock=clock, sop_dirs=sop_dirs)
    loket.users = UserService(loket.storage, clock, hasher=CHEAP_HASHER)
    return loket


def make_staff(loket: Loket) -> dict[Role, User]:
    """One user per role, added by the command line's SYSTEM user."""
    return {
        role: loket.users.add_user(
            SYSTEM,
            username=role.value,
            full_name=f"Petugas {role.label}",
            role=role,
            password=PASSWORD,
        )
        for role in Role
    }


def person(**changes: Any) -> Applicant:
    applicant = Applicant(
        ApplicantKind.INDIVIDUAL,
        "Yohanes Dadi",
        nik=NIK,
        phone="0812 3456 7890",
        email="yohanes@example.id",
        address=Address("Jl. Pangsuma No. 7", "Hilir Kantor", "Ngabang"),
    )
    return replace(applicant, **changes)


def company(**changes: Any) -> Applicant:
    applicant = Applicant(
        ApplicantKind.COMPANY,
        "CV Landak Jaya Transport",
        nib=NIB,
        representative="Maria Ani",
    )
    return replace(applicant, **changes)


def every_requirement(loket: Loket, sop_number: int) -> frozenset[str]:
    return frozenset(r.key for r in loket.catalog.get(sop_number).requirements)


def intake(loket: Loket, sop_number: int = 68, **changes: Any) -> Intake:
    """A complete, valid intake for ``sop_number``; ``changes`` replace its fields."""
    base = Intake(
        sop_number,
        person(),
        Business("Bengkel Dadi Motor", kbli="45405"),
        every_requirement(loket, sop_number),
    )
    return replace(base, **changes)


def register(
    loket: Loket, staff: dict[Role, User], sop_number: int = 68, **changes: Any
) -> DossierView:
    return loket.dossiers.register(staff[Role.FRONT_OFFICE], intake(loket, sop_number, **changes))


def step_data(step: Step) -> tuple[tuple[str, str], ...]:
    """What a clerk enters at ``step``: a value for each required field."""
    return tuple((f.key, FIELD_VALUES[f.key]) for f in step.fields if f.required)


def role_of(step: Step) -> Role:
    return Role(step.acting_role.value)


def forward(loket: Loket, staff: dict[Role, User], view: DossierView) -> DossierView:
    """Leave the current step the ordinary way, as the step's own role."""
    step = view.sop.step(view.record.state.step_no)
    action = Action.SIGN if step.kind is StepKind.SIGNING else Action.COMPLETE_STEP
    command = Command(action, data=step_data(step))
    return loket.dossiers.act(staff[role_of(step)], view.record.number, command)


def drive(loket: Loket, staff: dict[Role, User], view: DossierView, step_no: int) -> DossierView:
    """Move a dossier forward until it stands at ``step_no``."""
    while view.record.state.step_no != step_no:
        view = forward(loket, staff, view)
    return view


def issue(loket: Loket, staff: dict[Role, User], view: DossierView) -> DossierView:
    """Drive a dossier through every step and sign it."""
    return forward(loket, staff, drive(loket, staff, view, view.sop.last_step.no))


@dataclass(frozen=True)
class Counts:
    dossiers: int
    applicants: int
    businesses: int
    visits: int
    permits: int
    audit: int
    outbox: int
    users: int


def counts(loket: Loket) -> Counts:
    """How many rows each table the services write to holds."""
    with loket.storage.reading() as store:
        return Counts(
            dossiers=store.count(models.Dossier),
            applicants=store.count(models.Applicant),
            businesses=store.count(models.Business),
            visits=store.count(models.StepVisit),
            permits=store.count(models.Permit),
            audit=store.count(models.AuditEntry),
            outbox=store.count(models.OutboxEntry),
            users=store.count(models.User),
        )
