"""What the desktop needs from the core beyond the services themselves.

The desktop may not import storage or the workflow engine (import contracts), so
the few things it needs from them live here: whether a database is set up yet,
the first-run answers checked and written in one go, the environment errors it must show as
messages, and the step actions of the dossier view as plain calls.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from loket.domain.dossier import Applicant, Business
from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.domain.sop import Step
from loket.domain.validation import Problem, Severity
from loket.services.context import Loket, identity
from loket.services.dossiers import (
    DossierView,
    Intake,
    _intake_problems,
    _step_data,
)
from loket.services.errors import InvalidInput
from loket.services.office import Office
from loket.services.users import MAX_PASSWORD, MIN_PASSWORD, SYSTEM, User
from loket.storage import migrate
from loket.storage.database import Database, StorageError, resolve_url
from loket.storage.store import Storage
from loket.workflow import Action, Command

__all__ = [
    "Admin",
    "Returning",
    "StorageError",
    "Timeliness",
    "blocking",
    "complete_step",
    "find_returning",
    "finish_first_run",
    "first_run_problems",
    "intake_problems",
    "is_set_up",
    "needs_first_run",
    "resume",
    "station_code",
    "step_problems",
    "timeliness",
]


def is_set_up(url: str | None, data_dir: Path | None) -> bool:
    """Whether the database exists with an identity (a station code), without creating it."""
    database = Database(resolve_url(url, data_dir))
    try:
        if migrate.check_version(database) is None:
            return False
        with Storage(database).reading() as store:
            return store.identity() is not None
    finally:
        database.dispose()


def station_code(loket: Loket) -> str:
    found = identity(loket)
    return found.station_code if found else ""


def needs_first_run(loket: Loket) -> bool:
    """The office's identity or its first admin account is still missing."""
    if not loket.office.is_configured():
        return True
    return not any(u.role is Role.ADMIN for u in loket.users.users(SYSTEM))


@dataclass(frozen=True, slots=True)
class Admin:
    username: str
    full_name: str
    password: str
    nip: str = ""


#: What a letterhead and a permit's signature block cannot do without; the rest of the
#: office's identity (phone, e-mail, logo, the head's name and NIP) may follow later.
FIRST_RUN_OFFICE_REQUIRED = ("government", "name", "address", "city", "head_title")


def first_run_problems(
    station: str, office: Office, admin: Admin, password_again: str
) -> list[Problem]:
    """What the first-run questions refuse before anything is written, one per field.

    Field keys are the :class:`Office` field names, ``station``, the :class:`Admin`
    field names and ``password_again``. The services still check everything else
    (NIP digits, the username's form, the station code's form) when the answers are saved.
    """
    required = _("Wajib diisi.")
    values = {name: getattr(office, name) for name in FIRST_RUN_OFFICE_REQUIRED}
    values.update(station=station, username=admin.username, full_name=admin.full_name)
    problems = [
        Problem(key, f"{key}.required", required)
        for key, value in values.items()
        if not value.strip()
    ]
    if not admin.password:
        problems.append(Problem("password", "password.required", required))
    elif not MIN_PASSWORD <= len(admin.password) <= MAX_PASSWORD:
        message = _("Kata sandi harus {minimum}–{maximum} karakter.").format(
            minimum=MIN_PASSWORD, maximum=MAX_PASSWORD
        )
        problems.append(Problem("password", "password.length", message))
    if admin.password != password_again:
        problems.append(
            Problem("password_again", "password_again.differs", _("Kedua kata sandi tidak sama."))
        )
    return problems


def finish_first_run(loket: Loket, office: Office, admin: Admin) -> User:
    """The first admin account (made by SYSTEM) and the office identity (saved by it).

    Answering again after a refusal is safe: an admin account already made by an
    earlier attempt, with the same name and password, is used instead of refused.
    """
    existing = loket.users.by_username(admin.username)
    if existing is not None and existing.role is Role.ADMIN:
        user = loket.users.authenticate(admin.username, admin.password)
    else:
        user = loket.users.add_user(
            SYSTEM,
            username=admin.username,
            full_name=admin.full_name,
            role=Role.ADMIN,
            password=admin.password,
            nip=admin.nip,
        )
    loket.office.save(user, office)
    # The office's signing key, so that the first permit signed can be printed.
    loket.documents.init_key(user)
    return user


def complete_step(
    loket: Loket,
    actor: User,
    number: str,
    data: tuple[tuple[str, str], ...] = (),
    *,
    seen_version: int | None = None,
) -> DossierView:
    return loket.dossiers.act(
        actor, number, Command(Action.COMPLETE_STEP, data=data), seen_version=seen_version
    )


def resume(
    loket: Loket, actor: User, number: str, received: dict[str, bool], *, seen_version: int | None
) -> DossierView:
    """A returned dossier back at the counter, with what the applicant brought this time."""
    return loket.dossiers.act(
        actor, number, Command(Action.RESUME), seen_version=seen_version, received=received
    )


def intake_problems(intake: Intake) -> list[Problem]:
    """Exactly what :meth:`DossierService.register` would refuse (and warn about), by field,
    so the wizard shows each reason beside its field before anything is sent."""
    return _intake_problems(intake)


def step_problems(step: Step, values: dict[str, str]) -> list[Problem]:
    """The problems of a step's own fields, one per field, as the service would refuse them."""
    problems: list[Problem] = []
    for spec in step.fields:
        value = values.get(spec.key, "")
        if spec.required and not value.strip():
            message = _("{label} wajib diisi.").format(label=spec.label)
            problems.append(Problem(spec.key, f"{spec.key}.required", message))
            continue
        try:
            _step_data(step, ((spec.key, value),))
        except InvalidInput as exc:
            problems.append(Problem(spec.key, f"{spec.key}.invalid", str(exc)))
    return problems


class Timeliness(enum.StrEnum):
    """How a step's time spent stands against its standard (the *mutu baku*)."""

    ON_TIME = "on_time"  # green
    NEAR = "near"  # amber: most of the standard used
    LATE = "late"  # red: over the standard


NEAR_FRACTION = 0.75


def timeliness(fraction_used: float) -> Timeliness:
    if fraction_used > 1.0:
        return Timeliness.LATE
    if fraction_used >= NEAR_FRACTION:
        return Timeliness.NEAR
    return Timeliness.ON_TIME


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


@dataclass(frozen=True, slots=True)
class Returning:
    """A returning applicant, with the business of their latest dossier (if any)."""

    applicant_id: str
    applicant: Applicant
    business: Business | None


MAX_RETURNING = 8


def find_returning(loket: Loket, actor: User, query: str) -> list[Returning]:
    """Applicants by NIK, NIB or name prefix; each with the business they last filed for."""
    found: list[Returning] = []
    for applicant_id, applicant in loket.dossiers.find_applicants(actor, query)[:MAX_RETURNING]:
        business = None
        key = applicant.nik or applicant.nib
        if key:
            latest = loket.dossiers.search(actor, query=key, limit=1)
            if latest:
                business = loket.dossiers.show(actor, latest[0].number).record.business
        found.append(Returning(applicant_id, applicant, business))
    return found
